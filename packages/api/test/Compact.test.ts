import * as Compact from "@codex/api/Compact"
import type * as ResponseItem from "@codex/protocol/ResponseItem"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import { awaitRequests, clientLayer, json, startServer, TOKEN } from "./utils/endpointServer.js"

const userMessage: ResponseItem.ResponseItem = {
  type: "message",
  role: "user",
  content: [{ type: "input_text", text: "hello" }]
}

const compactedOutput = [
  { type: "message", role: "assistant", content: [{ type: "output_text", text: "summary" }] },
  { type: "compaction_summary", encrypted_content: "ENC" }
]

const withClient = <A, E>(baseUrl: string, f: (client: Compact.Service) => Effect.Effect<A, E>) =>
  Effect.flatMap(Compact.make, f).pipe(Effect.provide(clientLayer(baseUrl)))

describe("Compact", () => {
  it("path_is_responses_compact", () => {
    expect(Compact.path).toBe("responses/compact")
  })

  it.scoped("compactInput posts the typed body (empty instructions omitted) and returns the output items", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => json({ output: compactedOutput }))
      const items = yield* withClient(`${server.origin}/api/codex`, (client) =>
        client.compactInput(
          {
            model: "gpt-test",
            input: [userMessage],
            instructions: "",
            tools: [],
            parallel_tool_calls: false,
            reasoning: { effort: "medium" },
            prompt_cache_key: "thread-1"
          },
          { extraHeaders: { "x-codex-installation-id": "install-1" }, requestTimeout: "20 minutes" }
        )
      )
      const request = server.requests[0]!
      expect(request.method).toBe("POST")
      expect(request.url).toBe("/api/codex/responses/compact")
      expect(request.body.toString("utf8")).toBe(
        '{"model":"gpt-test","input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hello"}]}],"tools":[],"parallel_tool_calls":false,"reasoning":{"effort":"medium"},"prompt_cache_key":"thread-1"}'
      )
      expect(request.headers["content-type"]).toBe("application/json")
      expect(request.headers["content-encoding"]).toBeUndefined()
      expect(request.headers.accept).toBe("*/*")
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`)
      expect(request.headers["x-provider-header"]).toBe("provider")
      expect(request.headers["x-codex-installation-id"]).toBe("install-1")
      expect(items).toHaveLength(2)
      expect(items[0]!.type).toBe("message")
      expect(items[1]).toEqual({ type: "compaction", encrypted_content: "ENC" })
    })
  )

  it.scoped("non-empty instructions, service tier and text controls are written in order", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => json({ output: [] }))
      yield* withClient(server.origin, (client) =>
        client.compactInput({
          model: "m",
          input: [],
          instructions: "be brief",
          tools: [{ type: "function", name: "f" }],
          parallel_tool_calls: true,
          service_tier: "priority",
          text: { verbosity: "low" }
        })
      )
      expect(server.requests[0]!.body.toString("utf8")).toBe(
        '{"model":"m","input":[],"instructions":"be brief","tools":[{"type":"function","name":"f"}],"parallel_tool_calls":true,"service_tier":"priority","text":{"verbosity":"low"}}'
      )
    })
  )

  it.scoped("compact posts a raw JSON body as given", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => json({ output: [] }))
      const items = yield* withClient(server.origin, (client) => client.compact({ b: 1, a: [2] }))
      expect(server.requests[0]!.body.toString("utf8")).toBe('{"b":1,"a":[2]}')
      expect(items).toEqual([])
    })
  )

  it.scoped("the per-request timeout bounds the whole request (TestClock)", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => ({ ...json({ output: [] }), delayMs: 10_000 }))
      const fiber = yield* Effect.fork(
        withClient(server.origin, (client) => client.compact({}, { requestTimeout: "20 minutes" }))
      )
      yield* awaitRequests(server, 1)
      yield* TestClock.adjust("19 minutes")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 minute")
      const error = yield* Effect.flip(Fiber.join(fiber))
      expect(error._tag).toBe("Transport")
      expect(error.message).toBe("timeout")
    })
  )

  it.scoped("a response without output, or with a malformed item, is a Stream error", () =>
    Effect.gen(function* () {
      const server = yield* startServer((_, index) =>
        index === 0 ? json({ items: [] }) : json({ output: [{ type: "message", role: 1 }] })
      )
      const missing = yield* Effect.flip(withClient(server.origin, (client) => client.compact({})))
      expect(missing.message).toBe(
        'stream error: failed to decode compact response: missing field `output`; body: {"items":[]}'
      )
      const malformed = yield* Effect.flip(withClient(server.origin, (client) => client.compact({})))
      expect(malformed._tag).toBe("Stream")
      expect(malformed.message).toMatch(/^stream error: failed to decode compact response: .* at output\[0\]/)
    })
  )
})
