/**
 * The Node transport under the `node` condition: `#nodeHttpClient` resolves here, and the undici
 * module (`nodeHttpClient`) is loaded with `import()` on first use, so that importing the transport
 * contract never loads `@effect/platform-node` or undici. Elsewhere `#nodeHttpClient` is the stub
 * `nodeHttpClientUnavailable`, imported statically: a bundle for browsers and edge runtimes then
 * has no `import()` at all (a bundler wraps the target of an `import()` and every module it
 * imports in lazy initialisers, which for the stub meant most of `effect`).
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { Dispatcher } from "undici"
import type { Service } from "../HttpTransport.js"

const load = Effect.promise(() => import("./nodeHttpClient.js"))

/** A transport on a dedicated undici `Agent`, destroyed when the scope closes. @internal */
export const makeWithAgent: Effect.Effect<Service, never, Scope.Scope> = Effect.flatMap(
  load,
  (node) => node.makeWithAgent
)

/** A transport on the given undici dispatcher. @internal */
export const makeWithDispatcher = (dispatcher: Dispatcher): Effect.Effect<Service> =>
  Effect.map(load, (node) => node.makeWithDispatcher(dispatcher))
