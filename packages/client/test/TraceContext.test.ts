import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpTraceContext from "@effect/platform/HttpTraceContext"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import * as HttpTransport from "../src/HttpTransport.js"
import * as Request from "../src/Request.js"
import * as internalTraceContext from "../src/internal/traceContext.js"
import * as TraceContext from "../src/TraceContext.js"

/** An in-memory transport that records what it was asked to send. */
const recordingTransport = () => {
  const seen: Array<Request.Request> = []
  const transport: HttpTransport.Service = {
    execute: (request) =>
      Effect.sync(() => {
        seen.push(request)
        return { status: 200, headers: Headers.empty, body: new Uint8Array() }
      }),
    stream: (request) =>
      Effect.sync(() => {
        seen.push(request)
        return { status: 200, headers: Headers.empty, body: Stream.empty }
      })
  }
  return { seen, transport }
}

/** A tracer of the user's (what `@effect/opentelemetry` installs), here delegating to the built-in one. */
const userTracer = Effect.map(Effect.tracer, (native) => Tracer.make({ span: native.span, context: native.context }))

const external = (sampled = true) =>
  Tracer.externalSpan({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", sampled })

describe("TraceContext", () => {
  // reference: default_client.rs::inject_trace_headers_uses_current_span_context
  it.effect("inject trace headers uses current span context", () =>
    Effect.gen(function* () {
      const { seen, transport } = recordingTransport()
      const traced = TraceContext.withTracePropagation(transport)
      const span = yield* Effect.withSpan(
        Effect.zipLeft(Effect.currentSpan, traced.execute(Request.make("POST", "https://example.test/responses"))),
        "x"
      ).pipe(Effect.withTracer(yield* userTracer))
      const header = seen[0]?.headers.traceparent
      expect(header).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/)
      expect(header).toBe(`00-${span.traceId}-${span.spanId}-01`)
      // the platform's W3C decoder reads back the same ids
      const decoded = HttpTraceContext.w3c(seen[0]?.headers ?? Headers.empty)
      expect(Option.map(decoded, (s) => [s.traceId, s.spanId, s.sampled])).toEqual(
        Option.some([span.traceId, span.spanId, true])
      )
    })
  )

  it.effect("overrides a same-named header and works for streams", () =>
    Effect.gen(function* () {
      const { seen, transport } = recordingTransport()
      const traced = TraceContext.withTracePropagation(transport)
      const stale = Request.setHeader(Request.make("GET", "https://example.test/"), "traceparent", "00-stale-stale-01")
      const span = yield* Effect.withSpan(
        Effect.zipLeft(Effect.currentSpan, Effect.scoped(traced.stream(stale))),
        "s"
      ).pipe(Effect.withTracer(yield* userTracer))
      expect(seen[0]?.headers.traceparent).toBe(`00-${span.traceId}-${span.spanId}-01`)
    })
  )

  it.effect("propagates an external parent span with its sampled flag", () =>
    Effect.gen(function* () {
      const inject = (sampled: boolean) =>
        TraceContext.injectTraceHeaders(Headers.empty).pipe(Effect.withParentSpan(external(sampled)))
      expect((yield* inject(true)).traceparent).toBe("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
      expect((yield* inject(false)).traceparent).toBe("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
    })
  )

  it("the propagation switch is @effect/platform's HttpClient.currentTracerPropagation", () => {
    expect(internalTraceContext.currentTracerPropagation).toBe(HttpClient.currentTracerPropagation)
  })

  it.effect("adds nothing without a span or with propagation off", () =>
    Effect.gen(function* () {
      const { seen, transport } = recordingTransport()
      const traced = TraceContext.withTracePropagation(transport)
      const request = Request.make("GET", "https://example.test/")
      yield* traced.execute(request)
      yield* traced
        .execute(request)
        .pipe(
          Effect.withSpan("x"),
          Effect.withTracer(yield* userTracer),
          Effect.locally(HttpClient.currentTracerPropagation, false)
        )
      expect(seen.map((r) => r.headers.traceparent)).toEqual([undefined, undefined])
      expect(seen[0]).toBe(request)
    })
  )

  it.effect("invents no ids: spans of Effect's built-in tracer are not propagated", () =>
    Effect.gen(function* () {
      const { seen, transport } = recordingTransport()
      const traced = TraceContext.withTracePropagation(transport)
      yield* traced.execute(Request.make("GET", "https://example.test/")).pipe(Effect.withSpan("ours"))
      expect(seen[0]?.headers.traceparent).toBeUndefined()
      expect(yield* TraceContext.currentTraceparent.pipe(Effect.withSpan("outer"), Effect.withSpan("inner"))).toEqual(
        Option.none()
      )
    })
  )

  it.effect("under the built-in tracer, the caller's external parent goes out even below spans of ours", () =>
    Effect.gen(function* () {
      const { seen, transport } = recordingTransport()
      const traced = TraceContext.withTracePropagation(transport)
      yield* traced
        .execute(Request.make("GET", "https://example.test/"))
        .pipe(Effect.withSpan("inner"), Effect.withSpan("outer"), Effect.withParentSpan(external(false)))
      expect(seen[0]?.headers.traceparent).toBe("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
    })
  )

  it.effect("under a tracer of the user's, the current span goes out", () =>
    Effect.gen(function* () {
      const tracer = yield* userTracer
      const [span, header] = yield* Effect.all([Effect.currentSpan, TraceContext.currentTraceparent]).pipe(
        Effect.withSpan("inner"),
        Effect.withParentSpan(external()),
        Effect.withTracer(tracer)
      )
      expect(span.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736")
      expect(header).toEqual(Option.some(`00-${span.traceId}-${span.spanId}-01`))
    })
  )

  it.effect("layerTransport decorates the HttpTransport in context", () =>
    Effect.gen(function* () {
      const { seen, transport } = recordingTransport()
      const span = yield* Effect.gen(function* () {
        const t = yield* HttpTransport.HttpTransport
        yield* t.execute(Request.make("GET", "https://example.test/"))
        return yield* Effect.currentSpan
      }).pipe(
        Effect.withSpan("layered"),
        Effect.withTracer(yield* userTracer),
        Effect.provide(
          TraceContext.layerTransport.pipe(Layer.provide(Layer.succeed(HttpTransport.HttpTransport, transport)))
        )
      )
      expect(seen[0]?.headers.traceparent).toBe(`00-${span.traceId}-${span.spanId}-01`)
    })
  )
})
