/**
 * The Node transport where Node is not the runtime (browsers, edge runtimes): the package's
 * `#nodeHttpClient` import resolves here without the `node` condition, so a bundle for those
 * runtimes never contains undici or `@effect/platform-node`. Building `HttpTransport.layerNode`
 * there dies with a message naming the layer to use instead.
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { Service } from "../HttpTransport.js"

const unavailable = (): never => {
  throw new Error(
    "HttpTransport.layerNode needs Node.js (undici); in browsers and edge runtimes use HttpTransport.layerFetch"
  )
}

/** Throws: there is no undici here. @internal */
export const makeWithDispatcher = (_dispatcher: unknown): Service => unavailable()

/** Dies: there is no undici here. @internal */
export const makeWithAgent: Effect.Effect<Service, never, Scope.Scope> = Effect.sync(unavailable)
