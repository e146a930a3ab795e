import * as ResponsesServer from "@codex/testing/ResponsesServer"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as CompactHistory from "../src/compact-history.js"
import * as CustomRetrySchedule from "../src/custom-retry-schedule.js"
import * as EffectAi from "../src/effect-ai.js"
import * as RateLimitRetry from "../src/rate-limit-retry.js"
import * as RealtimeV2 from "../src/realtime-v2.js"
import * as ResponsesWebsocketExample from "../src/responses-websocket.js"
import { layerLocal } from "../src/setup.js"
import * as StreamText from "../src/stream-text.js"
import * as ToolCallLoop from "../src/tool-call-loop.js"

// Every example runs against the local server with its own script, whatever the environment says.
describe("examples", () => {
  it.scopedLive("stream-text streams the scripted answer and reports usage", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ script: StreamText.script })
      const result = yield* Effect.provide(StreamText.program, layerLocal(server))
      expect(result).toEqual({ text: "Streaming with Effect.", totalTokens: 12 })
      expect(server.requests.map((r) => r.route)).toEqual(["/responses"])
    })
  )

  it.scopedLive("tool-call-loop answers the function call and finishes on the second turn", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ script: ToolCallLoop.script })
      const result = yield* Effect.provide(ToolCallLoop.program, layerLocal(server))
      expect(result).toEqual({ answer: "It is 18°C and sunny in Paris.", turns: 2 })
      const second = server.requests[1]?.json as { input: Array<{ type: string; call_id?: string; output?: string }> }
      const output = second.input.find((item) => item.type === "function_call_output")
      expect(output?.call_id).toBe("call_weather")
      expect(JSON.parse(output?.output ?? "{}")).toEqual({ city: "Paris", celsius: 18, sky: "sunny" })
      expect(second.input.some((item) => item.type === "function_call")).toBe(true)
    })
  )

  it.scopedLive("responses-websocket runs three turns on one connection, each after the previous response", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ script: ResponsesWebsocketExample.script })
      const result = yield* Effect.provide(ResponsesWebsocketExample.program, layerLocal(server))
      expect(result).toEqual({ answers: ["Two.", "Three.", "Five."], responseIds: ["resp_1", "resp_2", "resp_3"] })
      const sent = server.requests.map(
        (r) => r.json as { type: string; previous_response_id?: string; input: Array<unknown> }
      )
      expect(server.requests.map((r) => r.method)).toEqual(["WS", "WS", "WS"])
      expect(sent.map((body) => body.type)).toEqual(["response.create", "response.create", "response.create"])
      expect(sent.map((body) => body.previous_response_id)).toEqual([undefined, "resp_1", "resp_2"])
      expect(sent.map((body) => body.input.length)).toEqual([1, 1, 1])
    })
  )

  it.scopedLive("realtime-v2 forwards two messages; the second response.create waits for response.done", () =>
    Effect.gen(function* () {
      const server = yield* RealtimeV2.localServer
      const result = yield* Effect.provide(RealtimeV2.program, RealtimeV2.layerLocal(server))
      expect(result).toEqual({
        sessionId: "sess_local",
        answers: ["Noted: The build passed.", "Noted: All 42 tests are green."]
      })
      expect(server.received).toEqual([
        "session.update",
        "conversation.item.create",
        "response.create",
        "conversation.item.create",
        "response.create"
      ])
      expect(server.refused()).toBe(0)
    })
  )

  it.scopedLive("compact-history posts the history and returns the compaction item", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ script: CompactHistory.script })
      const items = yield* Effect.provide(CompactHistory.program, layerLocal(server))
      expect(items.map((item) => item.type)).toEqual(["compaction"])
      const body = server.requests[0]?.json as { input: Array<unknown> }
      expect(server.requests[0]?.route).toBe("/responses/compact")
      expect(body.input.length).toBe(3)
    })
  )

  it.scopedLive("rate-limit-retry retries the 429 after retry-after-ms and reads the windows", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ script: RateLimitRetry.script })
      const result = yield* Effect.provide(RateLimitRetry.program, layerLocal(server))
      expect(result.text).toBe("Done.")
      expect(result.limits?.primary?.used_percent).toBe(87.5)
      expect(result.limits?.primary?.window_minutes).toBe(300)
      expect(server.requests.length).toBe(2)
    })
  )

  it.scopedLive("custom-retry-schedule recovers from two 503s, then its breaker stops the retries", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ script: CustomRetrySchedule.script })
      const result = yield* Effect.provide(CustomRetrySchedule.program, layerLocal(server))
      expect(result).toEqual({ answer: "Done.", secondFailed: true })
      // 3 tries for the first request; the second stops after 3 failures in a row, not after 5 tries.
      expect(server.requests.length).toBe(6)
    })
  )

  it.scopedLive("effect-ai runs a Chat with a Toolkit on the Responses backend and streams a follow-up", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ script: EffectAi.script })
      const result = yield* Effect.provide(EffectAi.program, layerLocal(server))
      expect(result).toEqual({
        answer: "It is 18°C and sunny in Paris.",
        turns: 2,
        finishReason: "stop",
        advice: "Take sunglasses."
      })
      const second = server.requests[1]?.json as { input: Array<{ type: string; call_id?: string; output?: string }> }
      const output = second.input.find((item) => item.type === "function_call_output")
      expect(output?.call_id).toBe("call_weather")
      expect(JSON.parse(output?.output ?? "{}")).toEqual({ city: "Paris", celsius: 18, sky: "sunny" })
      // The follow-up runs outside the Chat: its request carries only its own prompt.
      const third = server.requests[2]?.json as { input: Array<{ type: string }> }
      expect(third.input.map((item) => item.type)).toEqual(["message"])
    })
  )
})
