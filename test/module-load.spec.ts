/**
 * What each `dagger call` process loads of this module, in the runtime replica. The runtime
 * imports every file under src/ and type-scans them with all they import, twice per call
 * (constructor, then function); src/ reaches the core only through src/functions.ts's computed
 * import, so neither the scan nor the constructor's process walks core/ (`npm run bench:module`
 * measures what that saves; this spec keeps it true).
 */
import { expect } from "chai"
import { createRequire } from "node:module"
import * as path from "node:path"

import { ensureReplica } from "./harness/replica/build-replica.js"
import { ROOT } from "./helpers/paths.js"

describe("module load: what the runtime scans and imports on every call", function () {
  this.timeout(600_000)

  it("scans src/ and, of core/, only its two files that import nothing of ours", async () => {
    const replica = await ensureReplica(ROOT)
    // The runtime's own TypeScript and options (introspector/typescript_module/ast.ts in dagger/dagger).
    const ts = createRequire(path.join(replica.moduleDir, "package.json"))("typescript") as typeof import("typescript")
    const program = ts.createProgram(replica.scannedFiles, {
      experimentalDecorators: true,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      target: ts.ScriptTarget.ES2022,
    })
    const ours = program
      .getSourceFiles()
      .map((file) => path.relative(replica.moduleDir, file.fileName))
      .filter((file) => /^(src|core)\//.test(file))
      .sort()
    expect(ours).to.deep.equal([
      "core/constants.ts",
      "core/dagger/functions-contract.ts",
      "src/__dagger.entrypoint.ts",
      "src/functions.ts",
      "src/index.ts",
      "src/scan-report.ts",
    ])
  })
})
