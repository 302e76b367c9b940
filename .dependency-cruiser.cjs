/**
 * The layering of src/ and core/, checked by `npm run lint:imports` (part of `npm test`).
 * docs/architecture.md ("Layout") explains the floors; this file is their only definition.
 *
 * Floors of core/, lowest first. A file may import from its own floor and the floors below it, never above:
 *   0 base        errors/, time/, constants.ts, config/
 *   1 libraries   alerts/ backup/ docker/ exec/ health/ ledger/ loadtest/ migrations/ notify/
 *   2 operations  deploy/
 *   3 planning    plan/
 *   4 commands    commands/
 *   5 surfaces    cli/, and the Dagger edge: dagger/, stages/, exec/dagger*.ts, and all of src/
 * Only the Dagger edge imports @dagger.io/dagger, and no import forms a circle. src/ (what the
 * runtime imports and scans on every call) reaches the rest of core/ only through src/functions.ts's
 * computed import; statically it imports just the two core files that import nothing of ours.
 */
const FLOORS = [
  ["base", "^core/(constants\\.ts$|config/|errors/|time/)"],
  ["libraries", "^core/(alerts|backup|docker|exec/(?!dagger)|health|ledger|loadtest|migrations|notify)/?"],
  ["operations", "^core/deploy/"],
  ["planning", "^core/plan/"],
  ["commands", "^core/commands/"],
]
const DAGGER_EDGE = "^(src/|core/(dagger/|stages/|exec/dagger[^/]*\\.ts$))"
const SURFACES = `^core/cli/|${DAGGER_EDGE}`
/** What src/ may import statically from core/: files that import nothing of ours (src/functions.ts). */
const CORE_LEAVES_FOR_SRC = "^core/(constants\\.ts|dagger/functions-contract\\.ts)$"
// The SDK as the engine provides it (sdk/), as the tests provide it (the replica's bundle surface) or from npm.
const SDK = "^(sdk/|test/harness/replica/bundle-surface|node_modules/@dagger\\.io/|@dagger\\.io/dagger)"

const above = (index) => [...FLOORS.slice(index + 1).map(([, path]) => path), SURFACES].join("|")

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A circle means two modules cannot be understood or tested apart: move what both need into a lower module.",
      from: { path: "^(src|core)/" },
      to: { circular: true },
    },
    ...FLOORS.map(([floor, path], index) => ({
      name: `no-upward-from-${floor}`,
      severity: "error",
      comment: `The ${floor} floor imports only from itself and the floors below (see docs/architecture.md, Layout).`,
      from: { path },
      to: { path: above(index) },
    })),
    {
      name: "sdk-only-at-the-dagger-edge",
      severity: "error",
      comment: "Only src/ and core/dagger/, core/stages/ and core/exec/dagger*.ts import @dagger.io/dagger; the rest runs without an engine.",
      from: { path: "^(src|core)/", pathNot: DAGGER_EDGE },
      to: { path: SDK },
    },
    {
      name: "src-loads-core-lazily",
      severity: "error",
      comment:
        "src/ is imported and type-scanned by the runtime on every call: it reaches core/ through src/functions.ts, never by a static import (docs/architecture.md, What a call loads).",
      from: { path: "^src/" },
      to: { path: "^core/", pathNot: CORE_LEAVES_FOR_SRC },
    },
    {
      name: "core-never-imports-src",
      severity: "error",
      comment: "core/ is what both surfaces run; the Dagger surface in src/ sits on top of it.",
      from: { path: "^core/" },
      to: { path: "^src/" },
    },
    {
      name: "no-test-code-in-src",
      severity: "error",
      comment: "src/ and core/ never import from test/ or bench/.",
      from: { path: "^(src|core)/" },
      to: { path: "^(test|bench)/", pathNot: "^test/harness/replica/bundle-surface" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
}
