/**
 * W3C trace-context helpers shared by the public `TraceContext` module and the transport.
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import type * as Tracer from "effect/Tracer"

/** @internal */
export const traceparent = (span: Tracer.AnySpan): string =>
  `00-${span.traceId}-${span.spanId}-${span.sampled ? "01" : "00"}`

/** @internal */
export const injectTraceHeaders = (headers: Headers.Headers): Effect.Effect<Headers.Headers> =>
  Effect.flatMap(FiberRef.get(HttpClient.currentTracerPropagation), (enabled) =>
    enabled
      ? Effect.match(Effect.currentParentSpan, {
          onFailure: () => headers,
          onSuccess: (span) => Headers.set(headers, "traceparent", traceparent(span))
        })
      : Effect.succeed(headers)
  )
