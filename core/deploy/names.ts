/**
 * Names and labels of everything the compose driver creates on a Docker host. One project per
 * app and environment; web containers are named by release so several releases can be kept
 * (stopped) for a fast rollback, and labels let the driver find them again.
 */
import type { Release } from "./release.js"

export type Colour = "blue" | "green"
export const otherColour = (colour: Colour): Colour => (colour === "blue" ? "green" : "blue")

export const LABEL = {
  project: "deploy-pipeline.project",
  role: "deploy-pipeline.role",
  digest: "deploy-pipeline.digest",
  version: "deploy-pipeline.version",
  colour: "deploy-pipeline.colour",
  deployId: "deploy-pipeline.deploy-id",
} as const

export interface ProjectNames {
  project: string
  network: string
  proxy: string
}

export function projectNames(app: string, env: string): ProjectNames {
  const project = `${app}-${env}`
  return { project, network: `${project}-net`, proxy: `${project}-proxy` }
}

export function webContainerName(project: string, release: Pick<Release, "short">, replica: number): string {
  return `${project}-web-${release.short}-${replica}`
}

export function webLabels(project: string, release: Release, colour: Colour, deployId: number): Record<string, string> {
  return {
    [LABEL.project]: project,
    [LABEL.role]: "web",
    [LABEL.digest]: release.digest,
    [LABEL.version]: release.version,
    [LABEL.colour]: colour,
    [LABEL.deployId]: String(deployId),
  }
}
