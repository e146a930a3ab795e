/**
 * The transport service: `execute` for unary calls, `stream` for streaming bodies (status and
 * headers are available before the body). Swap the layer to test without sockets.
 *
 * @since 0.1.0
 */
import type * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import type { Request } from "./Request.js"
import type * as Undici from "undici"
// `#nodeHttpClient` loads undici on first use under the `node` condition, so that this module (and
// `layer` / `layerFetch`) work without the optional peer `@effect/platform-node`
// (test/OptionalPeers.test.ts checks that no static import reaches it), and is a stub elsewhere,
// so bundles for browsers and edge runtimes never contain undici (see package.json `imports`).
import * as NodeClient from "#nodeHttpClient"
import * as fetchTransport from "./internal/fetchTransport.js"
import * as httpClientTransport from "./internal/httpClientTransport.js"
import * as internal from "./internal/transport.js"
import type { TransportError } from "./TransportError.js"

/**
 * A complete HTTP response: status, headers and the body bytes.
 *
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
 * Sends HTTP requests. `execute` reads the whole body; `stream` returns the status and headers and
 * streams the body. Provide it with {@link layerNode}, {@link layerFetch} or a test transport.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * Sends the request and reads the whole body. Non-2xx → `TransportError.Http` with (at most
   * {@link currentMaxErrorBodySize} bytes of) the body as text.
   */
  readonly execute: (request: Request) => Effect.Effect<Response, TransportError>
  /** Sends the request and returns once headers arrived. Non-2xx → `TransportError.Http`. */
  readonly stream: (request: Request) => Effect.Effect<StreamResponse, TransportError, Scope.Scope>
}

/**
 * The transport service tag. Provide it with {@link layerNode}, {@link layerFetch} or a test
 * transport.
 *
 * @since 0.1.0
 * @category tags
 */
export class HttpTransport extends Context.Tag("@codex/client/HttpTransport")<HttpTransport, Service>() {}

/**
 * Default time from sending a request to its response headers (5 minutes, the default stream idle
 * timeout of `@codex/api` providers, which pass their own idle timeout per request).
 *
 * @since 0.1.0
 * @category limits
 */
export const defaultHeadersTimeout: Duration.Duration = Duration.minutes(5)

/**
 * Default number of bytes of a non-2xx response body kept in `TransportError.Http` (64 KiB).
 *
 * @since 0.1.0
 * @category limits
 */
export const defaultMaxErrorBodySize = 64 * 1024

/**
 * Time to response headers for requests without their own `Request.headersTimeout` (default
 * {@link defaultHeadersTimeout}; zero turns it off). It also bounds the total time spent reading
 * an error body. Exceeding it fails with `TransportError.Timeout`, which the retry policy retries.
 *
 * @since 0.1.0
 * @category limits
 */
export const currentHeadersTimeout: FiberRef.FiberRef<Duration.Duration> = internal.currentHeadersTimeout

/**
 * How many bytes of a non-2xx body are kept (default {@link defaultMaxErrorBodySize}); reading
 * stops there and `TransportError.Http.bodyTruncated` is set.
 *
 * @since 0.1.0
 * @category limits
 */
export const currentMaxErrorBodySize: FiberRef.FiberRef<number> = internal.currentMaxErrorBodySize

/**
 * Timeouts and size limits applied by the transports; each one is a `FiberRef` you can change for a
 * part of your program.
 *
 * @since 0.1.0
 * @category limits
 */
export interface Limits {
  /** See {@link currentHeadersTimeout}. */
  readonly headersTimeout?: Duration.DurationInput | undefined
  /** See {@link currentMaxErrorBodySize}. */
  readonly maxErrorBodySize?: number | undefined
}

/**
 * A layer setting the transport limits for the program it is provided to; works with every
 * transport layer (`Layer.merge(HttpTransport.layerNode, HttpTransport.layerLimits({ ... }))`).
 *
 * @since 0.1.0
 * @category limits
 */
export const layerLimits = (limits: Limits): Layer.Layer<never> => {
  const layers: Array<Layer.Layer<never>> = []
  if (limits.headersTimeout !== undefined) {
    layers.push(Layer.locallyScoped(internal.currentHeadersTimeout, Duration.decode(limits.headersTimeout)))
  }
  if (limits.maxErrorBodySize !== undefined) {
    layers.push(Layer.locallyScoped(internal.currentMaxErrorBodySize, limits.maxErrorBodySize))
  }
  return layers.length === 0 ? Layer.empty : Layer.mergeAll(...(layers as [Layer.Layer<never>]))
}

/**
 * Runs `effect` with the given transport limits.
 *
 * @since 0.1.0
 * @category limits
 */
export const withLimits = <A, E, R>(effect: Effect.Effect<A, E, R>, limits: Limits): Effect.Effect<A, E, R> => {
  let out = effect
  if (limits.headersTimeout !== undefined) {
    out = Effect.locally(out, internal.currentHeadersTimeout, Duration.decode(limits.headersTimeout))
  }
  if (limits.maxErrorBodySize !== undefined) {
    out = Effect.locally(out, internal.currentMaxErrorBodySize, limits.maxErrorBodySize)
  }
  return out
}

/**
 * The transport on an `@effect/platform` `HttpClient`: the body is prepared with
 * `Request.prepareBody` and sent with exactly those bytes and headers (plus `content-length` and
 * `traceparent`); non-2xx responses become `TransportError.Http` with the body as text (bounded by
 * {@link currentMaxErrorBodySize}); connection failures become `Network`; `Request.timeout` and the
 * time to headers ({@link currentHeadersTimeout}) become `Timeout`. A URL or header that cannot be
 * sent (see `Request.validate`) fails with `Build` before anything goes out. Redirects are
 * followed here, up to 10 hops (301 / 302 / 303 become a `GET` without a body, 307 / 308 repeat
 * the request); a redirect to another origin drops every credential header
 * (`TransportError.secretHeaderNames` and the request's `credentialHeaders`). A client given to
 * {@link layer} that follows redirects itself keeps its own policy, and so does `fetch` in a
 * browser (which hides redirects from the page). Each request runs in a
 * `http.client {method}` span. The transport never retries (see `RetryPolicy`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (client: HttpClient.HttpClient) => Service = httpClientTransport.make

/**
 * The transport on whatever `HttpClient` is provided.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpTransport, never, HttpClient.HttpClient> = /*#__PURE__*/ Layer.effect(
  HttpTransport,
  /*#__PURE__*/ Effect.map(HttpClient.HttpClient, make)
)

/**
 * Node: the transport on undici with a dedicated `Agent` (destroyed with the layer). Redirects are
 * followed up to 10 hops, as the Codex CLI does.
 *
 * @example
 * ```ts
 * import * as HttpTransport from "@codex/client/HttpTransport"
 * import * as Request from "@codex/client/Request"
 * import { Effect } from "effect"
 *
 * // Send one request with the Node transport and read the body as text.
 * export const main = Effect.gen(function* () {
 *   const transport = yield* HttpTransport.HttpTransport
 *   const response = yield* transport.execute(Request.make("GET", "http://127.0.0.1:8080/health"))
 *   return new TextDecoder().decode(response.body)
 * }).pipe(Effect.provide(HttpTransport.layerNode))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerNode: Layer.Layer<HttpTransport> = /*#__PURE__*/ Layer.scoped(HttpTransport, NodeClient.makeWithAgent)

/**
 * Node: the transport on a given undici `Dispatcher` (custom CA `Agent`, `ProxyAgent`, ...), with
 * redirects followed up to 10 hops. The dispatcher's lifetime belongs to the caller.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerNodeWithDispatcher = (dispatcher: Undici.Dispatcher): Layer.Layer<HttpTransport> =>
  Layer.effect(
    HttpTransport,
    Effect.suspend(() => NodeClient.makeWithDispatcher(dispatcher))
  )

/**
 * The transport on the global `fetch` (Node 20+, browsers, Deno, Bun), with the same behaviour as
 * {@link make}: limits, error bodies, redirects (followed by fetch itself in a browser, which hides
 * them from the page), spans and trace context. Repeated `Set-Cookie` response headers are joined
 * with `, ` as on the Node layers (a plain `FetchHttpClient` given to {@link layer} keeps only the
 * last one). It calls `fetch` directly rather than through `@effect/platform`'s `HttpClient`, so
 * that a browser bundle of a program using it carries no `effect/Schema`.
 *
 * @example
 * ```ts
 * import * as HttpTransport from "@codex/client/HttpTransport"
 * import * as Request from "@codex/client/Request"
 * import { Effect } from "effect"
 *
 * // The fetch transport runs in browsers, Deno, Bun and edge runtimes; @codex/api clients use it
 * // the same way when you provide this layer instead of `layerNode`.
 * export const main = Effect.gen(function* () {
 *   const transport = yield* HttpTransport.HttpTransport
 *   const response = yield* transport.execute(Request.make("GET", "https://example.com/health"))
 *   return response.status
 * }).pipe(Effect.provide(HttpTransport.layerFetch))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFetch: Layer.Layer<HttpTransport> = /*#__PURE__*/ Layer.sync(HttpTransport, fetchTransport.make)
