/**
 * Node-only pieces of the `HttpTransport` layers (undici). Loaded lazily by `HttpTransport` so that
 * importing the transport contract never requires `@effect/platform-node` or undici.
 * @internal
 */
// First: undici (below) needs a global `require` when bundled into an ES module (see nodeRequire).
import "./nodeRequire.js"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { Agent, type Dispatcher } from "undici"
import type { Service } from "../HttpTransport.js"
import { make } from "./httpClientTransport.js"

/** Redirects are followed by the transport (`make`), not by undici. @internal */
export const makeWithDispatcher = (dispatcher: Dispatcher): Service => make(NodeHttpClient.makeUndici(dispatcher))

/** A transport on a dedicated undici `Agent`, destroyed when the scope closes. @internal */
export const makeWithAgent: Effect.Effect<Service, never, Scope.Scope> = Effect.map(
  Effect.acquireRelease(
    Effect.sync(() => new Agent()),
    (agent) => Effect.promise(() => agent.destroy())
  ),
  makeWithDispatcher
)
