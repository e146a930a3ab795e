import * as Memories from "@codex/api/Memories"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { clientLayer, json, startServer, TOKEN } from "./utils/endpointServer.js"

const input: Memories.MemorySummarizeInput = {
  model: "gpt-test",
  raw_memories: [
    {
      id: "trace-1",
      metadata: { source_path: "/tmp/trace.jsonl" },
      items: [{ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }]
    }
  ],
  reasoning: { effort: "low" }
}

const summarize = (baseUrl: string) =>
  Effect.flatMap(Memories.make, (client) =>
    client.summarizeInput(input, { extraHeaders: { "x-openai-memgen-request": "true" } })
  ).pipe(Effect.provide(clientLayer(baseUrl)))

describe("Memories", () => {
  it("path_is_memories_trace_summarize_for_wire_compatibility", () => {
    expect(Memories.path).toBe("memories/trace_summarize")
  })

  it.scoped("summarize_input_posts_expected_payload_and_parses_output", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() =>
        json({
          output: [
            { trace_summary: "raw summary", memory_summary: "memory" },
            { raw_memory: "legacy key", memory_summary: "memory 2" }
          ]
        })
      )
      const output = yield* summarize(`${server.origin}/api/codex`)
      const request = server.requests[0]!
      expect(request.method).toBe("POST")
      expect(request.url).toBe("/api/codex/memories/trace_summarize")
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`)
      expect(request.headers["x-provider-header"]).toBe("provider")
      expect(request.headers["x-openai-memgen-request"]).toBe("true")
      expect(request.headers.accept).toBe("*/*")
      expect(request.headers["content-type"]).toBe("application/json")
      expect(request.body.toString("utf8")).toBe(
        '{"model":"gpt-test","traces":[{"id":"trace-1","metadata":{"source_path":"/tmp/trace.jsonl"},"items":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}]}],"reasoning":{"effort":"low"}}'
      )
      expect(output).toEqual([
        { raw_memory: "raw summary", memory_summary: "memory" },
        { raw_memory: "legacy key", memory_summary: "memory 2" }
      ])
    })
  )

  it.scoped("summarize posts a raw JSON body as given", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => json({ output: [{ trace_summary: "s", memory_summary: "m" }] }))
      const body = { model: "gpt-test", traces: [], custom_field: { kept: true } }
      const output = yield* Effect.flatMap(Memories.make, (client) => client.summarize(body)).pipe(
        Effect.provide(clientLayer(server.origin))
      )
      expect(server.requests[0]!.url).toBe("/memories/trace_summarize")
      expect(server.requests[0]!.body.toString("utf8")).toBe(
        '{"model":"gpt-test","traces":[],"custom_field":{"kept":true}}'
      )
      expect(output).toEqual([{ raw_memory: "s", memory_summary: "m" }])
    })
  )

  it.scoped("an entry without a summary is a Stream error naming the field", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => json({ output: [{ memory_summary: "m" }] }))
      const error = yield* Effect.flip(summarize(server.origin))
      expect(error._tag).toBe("Stream")
      expect(error.message).toBe(
        'stream error: failed to decode memory summarize response: missing field `trace_summary` at output[0]; body: {"output":[{"memory_summary":"m"}]}'
      )
    })
  )

  it.scoped("a non-JSON body is a Stream error, not a crash", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => ({ status: 200, body: "not json" }))
      const error = yield* Effect.flip(summarize(server.origin))
      expect(error.message).toMatch(
        /^stream error: failed to decode memory summarize response: invalid JSON .*; body: not json$/
      )
    })
  )
})
