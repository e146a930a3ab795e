import * as Search from "@codex/api/Search"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { clientLayer, json, startServer, TOKEN } from "./utils/endpointServer.js"

const withClient = <A, E>(baseUrl: string, f: (client: Search.Service) => Effect.Effect<A, E>) =>
  Effect.flatMap(Search.make, f).pipe(Effect.provide(clientLayer(baseUrl)))

// Keys deliberately given out of wire order: the encoder writes the reference order.
const fullRequest: Search.SearchRequest = {
  max_output_tokens: 512,
  model: "gpt-search",
  id: "search-1",
  reasoning: { effort: "low" },
  input: [
    {
      type: "message",
      role: "user",
      content: [
        { type: "input_text", text: "weather?" },
        { type: "input_image", image_url: "https://example.com/a.png" }
      ]
    }
  ],
  commands: {
    response_length: "short",
    search_query: [{ q: "rust", recency: 7, domains: ["rust-lang.org"] }],
    image_query: [{ q: "ferris" }],
    open: [{ ref_id: "turn0search0", lineno: 10 }],
    click: [{ ref_id: "turn0fetch0", id: 3 }],
    find: [{ ref_id: "turn0fetch0", pattern: "ownership" }],
    screenshot: [{ ref_id: "turn0fetch0", pageno: 1 }],
    finance: [{ ticker: "AAPL", type: "equity", market: "USA" }],
    weather: [{ location: "Paris", start: "2026-06-10", duration: 3 }],
    sports: [{ fn: "schedule", league: "nba", tool: "sports", team: "GSW", num_games: 2 }],
    time: [{ utc_offset: "+03:00" }]
  },
  settings: {
    external_web_access: true,
    user_location: { type: "approximate", country: "FR", city: "Paris" },
    search_context_size: "medium",
    filters: { allowed_domains: ["example.com"] },
    image_settings: { max_results: 3, caption: true },
    allowed_callers: ["direct", "code_interpreter"]
  }
}

const expectedBody = JSON.stringify({
  id: "search-1",
  model: "gpt-search",
  reasoning: { effort: "low" },
  input: [
    {
      type: "message",
      role: "user",
      content: [
        { type: "input_text", text: "weather?" },
        { type: "input_image", image_url: "https://example.com/a.png" }
      ]
    }
  ],
  commands: {
    search_query: [{ q: "rust", recency: 7, domains: ["rust-lang.org"] }],
    image_query: [{ q: "ferris" }],
    open: [{ ref_id: "turn0search0", lineno: 10 }],
    click: [{ ref_id: "turn0fetch0", id: 3 }],
    find: [{ ref_id: "turn0fetch0", pattern: "ownership" }],
    screenshot: [{ ref_id: "turn0fetch0", pageno: 1 }],
    finance: [{ ticker: "AAPL", type: "equity", market: "USA" }],
    weather: [{ location: "Paris", start: "2026-06-10", duration: 3 }],
    sports: [{ tool: "sports", fn: "schedule", league: "nba", team: "GSW", num_games: 2 }],
    time: [{ utc_offset: "+03:00" }],
    response_length: "short"
  },
  settings: {
    user_location: { type: "approximate", country: "FR", city: "Paris" },
    search_context_size: "medium",
    filters: { allowed_domains: ["example.com"] },
    image_settings: { max_results: 3, caption: true },
    allowed_callers: ["direct", "code_interpreter"],
    external_web_access: true
  },
  max_output_tokens: 512
})

describe("Search", () => {
  it.scoped("search_posts_typed_request_and_parses_output", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => json({ encrypted_output: "ENC", output: "result text" }))
      const response = yield* withClient(`${server.origin}/api/codex`, (client) => client.search(fullRequest))
      const request = server.requests[0]!
      expect(request.method).toBe("POST")
      expect(request.url).toBe("/api/codex/alpha/search")
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`)
      expect(request.headers["x-provider-header"]).toBe("provider")
      expect(request.headers.accept).toBe("*/*")
      expect(request.headers["content-type"]).toBe("application/json")
      expect(request.body.toString("utf8")).toBe(expectedBody)
      expect(response).toEqual({ encrypted_output: "ENC", output: "result text" })
    })
  )

  it.scoped("minimal request omits every optional key; text input; null encrypted_output", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => json({ encrypted_output: null, output: "o" }))
      const response = yield* withClient(server.origin, (client) =>
        client.search({ id: "s", model: "m", input: "plain text" })
      )
      expect(server.requests[0]!.body.toString("utf8")).toBe('{"id":"s","model":"m","input":"plain text"}')
      expect(response).toEqual({ encrypted_output: null, output: "o" })
    })
  )

  it.scoped("a response without output is a Stream error", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => json({ encrypted_output: "x" }))
      const error = yield* Effect.flip(withClient(server.origin, (client) => client.search({ id: "s", model: "m" })))
      expect(error.message).toBe(
        'stream error: failed to decode search response: missing field `output`; body: {"encrypted_output":"x"}'
      )
    })
  )

  it.effect("a request that does not match the schema fails to encode before sending", () =>
    Effect.gen(function* () {
      const bad = { id: "s", model: "m", commands: { click: [{ ref_id: "r", id: 1.5 }] } } as Search.SearchRequest
      const error = yield* Effect.flip(withClient("http://127.0.0.1:9/unused", (client) => client.search(bad)))
      expect(error._tag).toBe("Stream")
      expect(error.message).toMatch(/^stream error: failed to encode search request: .* at commands\.click\[0\]\.id$/)
    })
  )
})
