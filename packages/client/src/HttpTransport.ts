/**
 * The transport service: `execute` for unary calls, `stream` for streaming bodies (status and
 * headers are available before the body). Swap the layer to test without sockets.
 *
 * @since 0.1.0
 */
import type * as Headers from "@effect/platform/Headers"
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import type { Request } from "./Request.js"
import type { TransportError } from "./TransportError.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Response {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: Uint8Array
}

/**
 * A streaming response. The body stream is tied to the `Scope` given to
 * {@link HttpTransport.stream}: closing the scope (or interrupting the consumer) aborts the request
 * and releases the socket.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamResponse {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: Stream.Stream<Uint8Array, TransportError>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Sends the request and reads the whole body. Non-2xx → `TransportError.Http` with the body as text. */
  readonly execute: (request: Request) => Effect.Effect<Response, TransportError>
  /** Sends the request and returns once headers arrived. Non-2xx → `TransportError.Http`. */
  readonly stream: (request: Request) => Effect.Effect<StreamResponse, TransportError, Scope.Scope>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class HttpTransport extends Context.Tag("@codex/client/HttpTransport")<HttpTransport, Service>() {}
