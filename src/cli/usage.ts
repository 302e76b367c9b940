/** The CLI's help text. */
export const USAGE = `deploy-pipeline: lint, test, build, scan, deploy and roll back a Django app (the engine-free part).

Usage:
  deploy-pipeline config check [--dir DIR] [--env NAME]
      Validate environments/*.yaml; exit 1 listing every problem as file:line:col path: message.
  deploy-pipeline plan --env NAME [--dir DIR] [--image REF] [--json]
      Print the resolved configuration and the steps a deploy would take, touching nothing.
  deploy-pipeline help

Options:
  --dir DIR     the environments folder (default: ./environments)
  --env NAME    an environment: the name of a file in that folder, such as staging
  --image REF   the image to plan for, pinned as repo@sha256:…
  --json        print one JSON document

The same operations are Dagger functions: dagger call config-check, dagger call plan --env staging.`
