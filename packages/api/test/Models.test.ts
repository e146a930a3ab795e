import * as Models from "@codex/api/Models"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { clientLayer, json, startServer, TOKEN } from "./utils/endpointServer.js"

const modelInfo = {
  slug: "gpt-test",
  display_name: "GPT Test",
  description: "desc",
  default_reasoning_level: "medium",
  supported_reasoning_levels: [{ effort: "low", description: "fast" }],
  shell_type: "shell_command",
  visibility: "list",
  supported_in_api: true,
  priority: 1,
  availability_nux: null,
  upgrade: null,
  base_instructions: "base",
  supports_reasoning_summaries: false,
  support_verbosity: false,
  default_verbosity: null,
  apply_patch_tool_type: null,
  truncation_policy: { mode: "bytes", limit: 10000 },
  supports_parallel_tool_calls: false,
  experimental_supported_tools: [],
  context_window: 272000,
  a_future_key: { kept: true }
}

const list = (baseUrl: string, version = "0.99.0", queryParams?: Record<string, string>) =>
  Effect.flatMap(Models.make, (client) => client.list(version)).pipe(
    Effect.provide(clientLayer(baseUrl, queryParams === undefined ? {} : { queryParams }))
  )

describe("Models", () => {
  it("path_is_models", () => {
    expect(Models.path).toBe("models")
    expect(Models.appendClientVersion("https://example.com/api/codex/models", "0.99.0")).toBe(
      "https://example.com/api/codex/models?client_version=0.99.0"
    )
    expect(Models.appendClientVersion("https://example.com/models?a=1", "0.99.0")).toBe(
      "https://example.com/models?a=1&client_version=0.99.0"
    )
  })

  it.scoped(
    "models_client_hits_models_endpoint + appends_client_version_query + list_models_includes_etag + parses_models_response",
    () =>
      Effect.gen(function* () {
        const server = yield* startServer(() => json({ models: [modelInfo] }, 200, { etag: '"abc"' }))
        const result = yield* list(`${server.origin}/api/codex`)
        expect(server.requests).toHaveLength(1)
        const request = server.requests[0]!
        expect(request.method).toBe("GET")
        expect(request.url).toBe("/api/codex/models?client_version=0.99.0")
        expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`)
        expect(request.headers["chatgpt-account-id"]).toBe("account_id")
        expect(request.headers["x-provider-header"]).toBe("provider")
        expect(request.headers.accept).toBe("*/*")
        expect(request.body.length).toBe(0)
        expect(result.etag).toBe('"abc"')
        expect(result.models).toHaveLength(1)
        const model = result.models[0]!
        expect(model.slug).toBe("gpt-test")
        expect(model.supported_in_api).toBe(true)
        expect(model.priority).toBe(1)
        expect((model as unknown as Record<string, unknown>).a_future_key).toEqual({ kept: true })
      })
  )

  it.scoped("joins client_version with & after provider query params; no ETag → undefined", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => json({ models: [] }))
      const result = yield* list(`${server.origin}/api/codex/`, "1.2.3", { trace: "1" })
      expect(server.requests[0]!.url).toBe("/api/codex/models?trace=1&client_version=1.2.3")
      expect(result).toEqual({ models: [], etag: undefined })
    })
  )

  it.scoped("a body that does not decode is a Stream error quoting the body", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => json({ models: [{ slug: "x" }] }))
      const error = yield* Effect.flip(list(server.origin))
      expect(error._tag).toBe("Stream")
      expect(error.message).toMatch(
        /^stream error: failed to decode models response: missing field `display_name` at models\[0\]; body: \{"models":\[\{"slug":"x"\}\]\}$/
      )
    })
  )

  it.scoped("non-JSON bodies and huge bodies are quoted up to 1 KiB", () =>
    Effect.gen(function* () {
      const big = `<html>${"x".repeat(5000)}</html>`
      const server = yield* startServer(() => ({ status: 200, body: big }))
      const error = yield* Effect.flip(list(server.origin))
      expect(error.message).toContain("stream error: failed to decode models response: invalid JSON")
      expect(error.message).toContain(`; body: <html>${"x".repeat(100)}`)
      expect(error.message).toContain(`… (${big.length} chars total)`)
      expect(error.message.length).toBeLessThan(1400)
    })
  )

  it.scopedLive("goes through the provider retry policy: a 5xx is retried, the request rebuilt", () =>
    Effect.gen(function* () {
      const server = yield* startServer((_, index) => (index === 0 ? json({}, 503) : json({ models: [] })))
      const result = yield* Effect.flatMap(Models.make, (client) => client.list("0.99.0")).pipe(
        Effect.provide(clientLayer(server.origin, { maxAttempts: 1 }))
      )
      expect(result.models).toEqual([])
      expect(server.requests.map((r) => r.url)).toEqual([
        "/models?client_version=0.99.0",
        "/models?client_version=0.99.0"
      ])
      expect(server.requests[1]!.headers.authorization).toBe(`Bearer ${TOKEN}`)
    })
  )

  it.scoped("non-2xx is a Transport error with status and body", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => json({ error: "nope" }, 403))
      const error = yield* Effect.flip(list(server.origin))
      expect(error._tag).toBe("Transport")
      expect(error.message).toBe('http 403: Some("{\\"error\\":\\"nope\\"}")')
    })
  )
})
