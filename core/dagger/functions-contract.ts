/**
 * What the Dagger surface (src/index.ts) asks of the core: one entry per Dagger function, with the
 * function's parameters by name. The surface loads the core only when a function runs
 * (src/functions.ts), so that the runtime's per-call scan and import of src/ stay small; this
 * contract is the one core file the surface's types reach, so it imports nothing but the SDK's
 * types. core/dagger/functions.ts implements it, and the compiler holds the two together.
 */
import type { Container, Directory, File, Secret, Service, Socket } from "@dagger.io/dagger"

/** The module object's state: the app source and the environments folder. */
export interface ModuleState {
  source: Directory
  environments: Directory
}

/** The image labels every build takes. */
export interface BuildLabels {
  target: string
  version: string
  revision: string
  sourceUrl: string
  created: string
}

/** What a scan produced, as ScanReport (src/scan-report.ts) holds it. */
export interface ScanResult {
  scanner: Container
  targets: string[]
  severity: string[]
  ignoreUnfixed: boolean
}

/** Where a deploy-side function reaches its Docker host and the host's services. */
export interface HostArgs {
  sshKey?: Secret | undefined
  dockerSocket?: Socket | undefined
  postgres?: Service | undefined
  memcached?: Service | undefined
  rabbitmq?: Service | undefined
}

interface LockingArgs extends HostArgs {
  env: string
  requestedBy: string
  lockWait?: number | undefined
}

export interface DeployArgs extends LockingArgs {
  image: string
  approve?: string | undefined
  version?: string | undefined
  migrations?: Directory | undefined
  allowUnsafeMigrations?: string | undefined
}

export interface ModuleFunctions {
  configCheck(state: ModuleState, env: string | undefined): Promise<string>
  plan(state: ModuleState, a: { env: string; image: string | undefined; json: boolean }): Promise<string>
  lint(state: ModuleState): Promise<string>
  test(state: ModuleState, env: string): Promise<Directory>
  build(state: ModuleState, platform: string | undefined, labels: BuildLabels): Promise<Container>
  buildMultiArch(state: ModuleState, platforms: string[], labels: BuildLabels): Promise<Container[]>
  publish(
    state: ModuleState,
    a: { address: string; username: string; password: Secret; platforms: string[] },
    labels: BuildLabels,
  ): Promise<string>
  scan(state: ModuleState, env: string, platforms: string[]): Promise<ScanResult>
  scanCheck(scan: ScanResult): Promise<string>
  ci(state: ModuleState, env: string, platforms: string[]): Promise<string>
  dev(state: ModuleState, env: string): Promise<Service>
  loadTest(a: { url: string; users: number | undefined; duration: number | undefined; json: boolean }): Promise<string>
  alerts(state: ModuleState, env: string): Promise<File>
  checkMigrations(
    state: ModuleState,
    a: { env: string; migrations: Directory | undefined; json: boolean },
  ): Promise<string>
  rehearseMigrations(
    state: ModuleState,
    a: HostArgs & { env: string; image: string; json: boolean; requestedBy: string },
  ): Promise<string>
  deploy(state: ModuleState, a: DeployArgs): Promise<string>
  rollback(state: ModuleState, a: LockingArgs & { to?: string | undefined }): Promise<string>
  restoreBackup(
    state: ModuleState,
    a: LockingArgs & { id: string; confirmRestore?: string | undefined },
  ): Promise<string>
  scale(state: ModuleState, a: LockingArgs & { service: string; replicas: number }): Promise<string>
  status(state: ModuleState, a: HostArgs & { env: string; json: boolean }): Promise<string>
  history(
    state: ModuleState,
    a: { env: string; json: boolean; limit: number; postgres?: Service | undefined },
  ): Promise<string>
  lockStatus(state: ModuleState, a: { env: string; postgres?: Service | undefined }): Promise<string>
  lockRelease(
    state: ModuleState,
    a: { env: string; force: boolean; reason: string; requestedBy: string; postgres?: Service | undefined },
  ): Promise<string>
}
