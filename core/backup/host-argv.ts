/**
 * Pure docker command lines that keep backups in a directory on the deploy's Docker host, the
 * one durable place a Dagger deploy reaches. Files go in with `docker cp` through a created,
 * never-started holder container that bind-mounts the directory; listing and pruning run a
 * throwaway container of an image the host already has (the release just pulled), as root, with
 * no network. Tests compare these arrays whole.
 */

/** Where the holder and the throwaway containers see the host directory. */
export const HOST_BACKUP_MOUNT = "/backups"

/** The holder container's name for one backup (unique per backup id). */
export function holderName(id: string): string {
  return `deploy-pipeline-backup-${id}`
}

/** docker create: a container that is never started, only there to `docker cp` into the bind-mounted location. */
export function createHolderArgv(name: string, location: string, image: string): string[] {
  return [
    "docker",
    "create",
    "--name",
    name,
    "--label",
    "deploy-pipeline.role=backup-copy",
    "--network",
    "none",
    "--entrypoint",
    "true",
    "--volume",
    `${location}:${HOST_BACKUP_MOUNT}`,
    image,
  ]
}

/** docker cp: a file of this process into the holder's mounted location, under its own name. */
export function copyIntoHolderArgv(name: string, file: string, fileName: string): string[] {
  return ["docker", "cp", file, `${name}:${HOST_BACKUP_MOUNT}/${fileName}`]
}

/** docker cp: a file of the holder's mounted location out to this process, at `file`. */
export function copyFromHolderArgv(name: string, fileName: string, file: string): string[] {
  return ["docker", "cp", `${name}:${HOST_BACKUP_MOUNT}/${fileName}`, file]
}

export function removeHolderArgv(name: string): string[] {
  return ["docker", "rm", "--force", name]
}

/** docker run … ls -1: the file names in the location, one a line (read-only mount). */
export function listHostBackupsArgv(location: string, image: string): string[] {
  return [
    "docker",
    "run",
    "--rm",
    "--network",
    "none",
    "--user",
    "0:0",
    "--entrypoint",
    "ls",
    "--volume",
    `${location}:${HOST_BACKUP_MOUNT}:ro`,
    image,
    "-1",
    HOST_BACKUP_MOUNT,
  ]
}

/** docker run … rm -f: deletes the named files from the location. */
export function removeHostBackupsArgv(location: string, image: string, fileNames: readonly string[]): string[] {
  return [
    "docker",
    "run",
    "--rm",
    "--network",
    "none",
    "--user",
    "0:0",
    "--entrypoint",
    "rm",
    "--volume",
    `${location}:${HOST_BACKUP_MOUNT}`,
    image,
    "-f",
    "--",
    ...fileNames.map((n) => `${HOST_BACKUP_MOUNT}/${n}`),
  ]
}

/** Why a location cannot be bind-mounted with --volume, or undefined when it can. */
export function hostLocationProblem(location: string): string | undefined {
  if (!location.startsWith("/"))
    return `deploy.backup.location must be an absolute path on the Docker host (a relative one would name a Docker volume); got ${JSON.stringify(location)}`
  if (/[:,]/.test(location))
    return `deploy.backup.location cannot hold ":" or "," (docker --volume separators); got ${JSON.stringify(location)}`
  return undefined
}

export const HOST_REF_PREFIX = "docker-host:"

/** What the ledger records as a backup's location on the Docker host. */
export function hostBackupRef(location: string, fileName: string): string {
  return `${HOST_REF_PREFIX}${location.replace(/\/+$/, "")}/${fileName}`
}
