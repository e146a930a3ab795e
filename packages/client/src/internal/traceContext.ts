/**
 * W3C trace-context helpers shared by the public `TraceContext` module and the transport.
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import { globalValue } from "effect/GlobalValue"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"

/** @internal */
export const traceparent = (span: Tracer.AnySpan): string =>
  `00-${span.traceId}-${span.spanId}-${span.sampled ? "01" : "00"}`

/**
 * `HttpClient.currentTracerPropagation` of `@effect/platform` (the same global value, so
 * `HttpClient.withTracerPropagation(false)` turns propagation off here too), read without
 * importing the `HttpClient` module: importing it adds ~8 KB of the platform's client to a browser
 * bundle of a `layerFetch` program (`tooling/bench/size.mjs`). test/TraceContext.test.ts checks
 * that it is the platform's `FiberRef`.
 * @internal
 */
export const currentTracerPropagation: FiberRef.FiberRef<boolean> = globalValue(
  Symbol.for("@effect/platform/HttpClient/currentTracerPropagation"),
  () => FiberRef.unsafeMake(true)
)

// Effect's built-in tracer: its spans get random ids and are exported nowhere.
const defaultTracer = Context.get(DefaultServices.liveServices, Tracer.Tracer)

const nearestExternal = (span: Tracer.AnySpan): Option.Option<Tracer.ExternalSpan> => {
  let current: Tracer.AnySpan = span
  while (current._tag === "Span") {
    if (Option.isNone(current.parent)) return Option.none()
    current = current.parent.value
  }
  return Option.some(current)
}

/**
 * The span whose context goes on the wire. With a tracer of the user's (anything but Effect's
 * built-in one), the current span. With the built-in tracer, whose ids nobody records, only a parent
 * the user handed in (`Tracer.externalSpan`, e.g. decoded from an incoming request), never an
 * invented id. Nothing when propagation is off (`HttpClient.withTracerPropagation(false)`).
 * @internal
 */
export const propagatedSpan: Effect.Effect<Option.Option<Tracer.AnySpan>> = Effect.flatMap(
  FiberRef.get(currentTracerPropagation),
  (enabled) =>
    enabled
      ? Effect.tracerWith((tracer) =>
          Effect.map(Effect.option(Effect.currentParentSpan), (span) =>
            tracer === defaultTracer ? Option.flatMap(span, nearestExternal) : span
          )
        )
      : Effect.succeedNone
)

/** @internal */
export const injectTraceHeaders = (headers: Headers.Headers): Effect.Effect<Headers.Headers> =>
  Effect.map(propagatedSpan, (span) =>
    Option.isNone(span) ? headers : Headers.set(headers, "traceparent", traceparent(span.value))
  )
