/**
 * Telemetry with OpenTelemetry: `@effect/opentelemetry`'s `NodeSdk` turns the client's Effect spans
 * (`responses.stream_request`, `responses.stream`, the endpoint attempt, the HTTP request) into
 * OpenTelemetry spans. Here they go to an in-memory exporter and are printed as a tree; swap in an
 * OTLP exporter to send them to a collector. With a tracer installed, requests carry a W3C
 * `traceparent` header for the current span.
 *
 *   pnpm --filter @codex/examples exec tsx src/telemetry.ts
 */
import * as Responses from "@codex/api/Responses"
import * as Fixture from "@codex/testing/Fixture"
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { runIfMain, userMessage } from "./setup.js"

/** Local script: a short answer. */
export const script: Fixture.Script = {
  "/responses": [{ events: Fixture.textAnswer(["Traced ", "answer."]) }]
}

/** A finished span, as the exporter saw it. */
export interface SpanInfo {
  readonly name: string
  readonly traceId: string
  readonly spanId: string
  readonly parentSpanId: string | undefined
  readonly attributes: Readonly<Record<string, unknown>>
}

const toInfo = (span: ReadableSpan): SpanInfo => ({
  name: span.name,
  traceId: span.spanContext().traceId,
  spanId: span.spanContext().spanId,
  parentSpanId: span.parentSpanContext?.spanId,
  attributes: span.attributes
})

/** Prints the spans as a tree, children under their parent. */
const printTree = (spans: ReadonlyArray<SpanInfo>) => {
  const ids = new Set(spans.map((s) => s.spanId))
  const print = (parent: string | undefined, depth: number) => {
    for (const span of spans.filter((s) =>
      parent === undefined ? !ids.has(s.parentSpanId ?? "") : s.parentSpanId === parent
    )) {
      console.log(`${"  ".repeat(depth)}${span.name}`)
      print(span.spanId, depth + 1)
    }
  }
  print(undefined, 0)
}

/** Asks a question inside an `example.ask` span and returns the answer with every finished span. */
export const program = Effect.gen(function* () {
  const exporter = new InMemorySpanExporter()
  const tracing = NodeSdk.layer(() => ({
    resource: { serviceName: "codex-example" },
    spanProcessor: new SimpleSpanProcessor(exporter)
  }))
  const ask = Effect.gen(function* () {
    const client = yield* Responses.make
    return yield* client
      .streamRequest({
        model: process.env.OPENAI_MODEL ?? "gpt-5",
        instructions: "Answer in one sentence.",
        input: [userMessage("Are you traced?")],
        tools: [],
        toolChoice: "auto",
        parallelToolCalls: false,
        store: false,
        stream: true,
        include: []
      })
      .pipe(Stream.runFold("", (text, event) => (event._tag === "OutputTextDelta" ? text + event.delta : text)))
  }).pipe(Effect.withSpan("example.ask"))
  // Read the spans before the SDK layer shuts down (shutting down the exporter clears them).
  const { text, spans } = yield* Effect.provide(
    Effect.map(ask, (text) => ({ text, spans: exporter.getFinishedSpans().map(toInfo) })),
    tracing
  )
  console.log(text)
  printTree(spans)
  return { text, spans }
})

runIfMain(import.meta.url, program, script)
