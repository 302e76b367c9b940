/**
 * Which view of each backing service each part of a deploy uses: the deployer (ledger, preflight,
 * the migrations gate's schema read, notifications) reaches a service through its deployer view
 * (deployer-services.ts: a Dagger host service, else services.<name>.deployer, else services.*);
 * the app's containers (the migrate step and the replicas) and the backup use services.*. Pure.
 */
import type { EnvironmentConfig } from "../config/schema.js"
import {
  type Address,
  type Reach,
  SERVICE_NAMES,
  type ServiceName,
  type ViewSource,
  deployerView,
  describeViewSource,
} from "../deploy/deployer-services.js"

export interface ServiceViews {
  service: ServiceName
  /** The parts of the deploy that run in the deployer, and where they reach the service. */
  deployer: { parts: string[]; host: string; port: number; source: ViewSource }
  /** The parts that use services.<name> as written. */
  app: { parts: string[]; host: string; port: number }
}

export function serviceViews(config: EnvironmentConfig, reach: Reach = {}): ServiceViews[] {
  return SERVICE_NAMES.map((service) => {
    const { host, port, source } = deployerView(config.services, service, reach)
    const deployerParts =
      service === "postgres"
        ? ["ledger", "preflight", "migrations gate"]
        : service === "rabbitmq" && config.notify.enabled
          ? ["preflight", "notifications"]
          : ["preflight"]
    const appParts =
      service === "postgres" && config.deploy.backup.enabled ? ["app containers", "backup"] : ["app containers"]
    return {
      service,
      deployer: { parts: deployerParts, host, port, source },
      app: { parts: appParts, host: config.services[service].host, port: config.services[service].port },
    }
  })
}

/** One line per service: who reaches it where, and where that address comes from. */
export function describeServiceViews(views: readonly ServiceViews[]): string[] {
  return views.map(({ service, deployer, app }) => {
    const at = (address: Address) => `${service} at ${address.host}:${address.port}`
    if (deployer.source === "services")
      return `${[...deployer.parts, ...app.parts].join(", ")}: ${at(app)} (${describeViewSource(service, "services")})`
    return `${deployer.parts.join(", ")}: ${at(deployer)} (${describeViewSource(service, deployer.source)}); ${app.parts.join(", ")}: ${at(app)}`
  })
}
