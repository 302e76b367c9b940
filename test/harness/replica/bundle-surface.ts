/**
 * `@dagger.io/dagger` as the repository's own typecheck and in-process tests see it when no
 * engine-generated sdk/ exists: the npm SDK (one instance, shared with the harness), limited to
 * the names the engine's bundle exports (runtime-rules.ts `BUNDLE_CORE_EXPORTS`, plus the generated
 * client). Importing anything else from `@dagger.io/dagger` in src/ fails `npm test`'s typecheck,
 * as it would fail the module under the engine. tsconfig.json maps the name here after ./sdk.
 */
export {
  connection,
  connect,
  Context,
  func,
  check,
  generate,
  argument,
  object,
  field,
  enumType,
  entrypoint,
} from "@dagger.io/dagger-npm"

export type { ConnectOpts, CallbackFct } from "@dagger.io/dagger-npm"

export * from "../../../node_modules/@dagger.io/dagger-npm/dist/src/api/client.gen.js"
