/**
 * The layering of src/, checked by `npm run lint:imports` (part of `npm test`).
 * docs/architecture.md ("Layout") explains the floors; this file is their only definition.
 *
 * Floors, lowest first. A file may import from its own floor and the floors below it, never above:
 *   0 base        errors/, time/, constants.ts, config/
 *   1 libraries   alerts/ backup/ docker/ exec/ health/ ledger/ loadtest/ migrations/ notify/
 *   2 operations  deploy/
 *   3 planning    plan/
 *   4 commands    commands/
 *   5 surfaces    cli/, and the Dagger edge: index.ts, dagger/, stages/, exec/dagger*.ts
 * Only the Dagger edge imports @dagger.io/dagger, and no import forms a circle.
 */
const FLOORS = [
  ["base", "^src/(constants\\.ts$|config/|errors/|time/)"],
  ["libraries", "^src/(alerts|backup|docker|exec/(?!dagger)|health|ledger|loadtest|migrations|notify)/?"],
  ["operations", "^src/deploy/"],
  ["planning", "^src/plan/"],
  ["commands", "^src/commands/"],
]
const DAGGER_EDGE = "^src/(index\\.ts$|dagger/|stages/|exec/dagger[^/]*\\.ts$)"
const SURFACES = `^src/cli/|${DAGGER_EDGE}`
// The SDK as the engine provides it (sdk/), as the tests provide it (the replica's bundle surface) or from npm.
const SDK = "^(sdk/|test/harness/replica/bundle-surface|node_modules/@dagger\\.io/|@dagger\\.io/dagger)"

const above = (index) => [...FLOORS.slice(index + 1).map(([, path]) => path), SURFACES].join("|")

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A circle means two modules cannot be understood or tested apart: move what both need into a lower module.",
      from: { path: "^src/" },
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
      comment: "Only index.ts, dagger/, stages/ and exec/dagger*.ts import @dagger.io/dagger; the rest runs without an engine.",
      from: { path: "^src/", pathNot: DAGGER_EDGE },
      to: { path: SDK },
    },
    {
      name: "no-test-code-in-src",
      severity: "error",
      comment: "src/ never imports from test/ or bench/.",
      from: { path: "^src/" },
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
