import * as ResponsesServer from "@codex/testing/ResponsesServer"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { layerLocal } from "../src/setup.js"
import * as Telemetry from "../src/telemetry.js"

describe("telemetry example", () => {
  it.scopedLive("the client's spans reach the OpenTelemetry exporter under the caller's span", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ script: Telemetry.script })
      const { spans, text } = yield* Effect.provide(Telemetry.program, layerLocal(server))
      expect(text).toBe("Traced answer.")
      const byName = (name: string) => spans.find((s) => s.name === name)
      const root = byName("example.ask")
      const request = byName("responses.stream_request")
      const stream = byName("responses.stream")
      const http = spans.find((s) => s.name.startsWith("http.client"))
      expect(root).toBeDefined()
      expect(request?.parentSpanId).toBe(root?.spanId)
      expect(request?.attributes.model).toBe("gpt-5")
      expect(stream?.parentSpanId).toBe(request?.spanId)
      expect(http).toBeDefined()
      // One trace from the caller's span down to the HTTP request.
      for (const span of spans) expect(span.traceId).toBe(root?.traceId)
      // The request carried that trace to the server.
      const traceparent = server.requests[0]?.headers.traceparent
      expect(traceparent?.split("-")[1]).toBe(root?.traceId)
    })
  )
})
