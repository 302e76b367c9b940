/**
 * The tests' twin of bin/deploy-pipeline.js: the same runBin over the TypeScript sources, run as
 * `node --import tsx test/helpers/bin.ts ARGS` (CLI_ARGV), so process tests need no build. The
 * compiled bin itself is tested installed from the packed tarball (test/cli/installed.spec.ts).
 */
import { runBin } from "../../core/cli/bin.js"

process.exitCode = await runBin(process.argv.slice(2))
