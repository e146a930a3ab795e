/**
 * W3C trace-context propagation. A `traceparent` header is sent only when tracing is really on:
 * when the program runs with a tracer of its own (e.g. `@effect/opentelemetry`'s), the current span's
 * context; with Effect's built-in tracer (ids that no exporter records), only a parent span handed
 * in by the caller (`Effect.withParentSpan(Tracer.externalSpan(...))`); otherwise nothing, so no
 * invented ids reach the server. `HttpTransport.make` already does this for the `HttpClient`
 * transports; {@link withTracePropagation} gives the same to any other `HttpTransport` (an
 * in-memory one, a custom client).
 *
 * @since 0.1.0
 */
import type * as Headers from "@effect/platform/Headers"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Tracer from "effect/Tracer"
import { HttpTransport, type Service as TransportService } from "./HttpTransport.js"
import * as internal from "./internal/traceContext.js"
import type * as Request from "./Request.js"

/**
 * The `traceparent` value of a span: `00-<trace id>-<span id>-<01 sampled | 00>`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const traceparent: (span: Tracer.AnySpan) => string = internal.traceparent

/**
 * The `traceparent` to send from here, if any: the current span under a tracer of the user's, the
 * nearest external parent span under Effect's built-in tracer, none when propagation is off
 * (`HttpClient.withTracerPropagation(false)`, the platform's switch).
 *
 * @since 0.1.0
 * @category accessors
 */
export const currentTraceparent: Effect.Effect<Option.Option<string>> = Effect.map(
  internal.propagatedSpan,
  Option.map(internal.traceparent)
)

/**
 * Sets `traceparent` from {@link currentTraceparent}, replacing a same-named header as the
 * Codex CLI does; leaves the headers unchanged when there is none.
 * Only `traceparent` is written: Effect spans carry no `tracestate`, and the Codex CLI sends no `b3`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const injectTraceHeaders: (headers: Headers.Headers) => Effect.Effect<Headers.Headers> =
  internal.injectTraceHeaders

const injectRequest = (request: Request.Request): Effect.Effect<Request.Request> =>
  Effect.map(injectTraceHeaders(request.headers), (headers) =>
    headers === request.headers ? request : { ...request, headers }
  )

/**
 * Decorates a transport so every request carries the `traceparent` of the span current when
 * `execute` / `stream` is called.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withTracePropagation = (transport: TransportService): TransportService => ({
  execute: (request) => Effect.flatMap(injectRequest(request), transport.execute),
  stream: (request) => Effect.flatMap(injectRequest(request), transport.stream)
})

/**
 * Decorates the `HttpTransport` in context with {@link withTracePropagation}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerTransport: Layer.Layer<HttpTransport, never, HttpTransport> = Layer.effect(
  HttpTransport,
  Effect.map(HttpTransport, withTracePropagation)
)
