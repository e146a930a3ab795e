import * as Auth from "@codex/api/Auth"
import * as Provider from "@codex/api/Provider"
import * as Responses from "@codex/api/Responses"
import * as HttpTransport from "@codex/client/HttpTransport"
import * as Fixture from "@codex/testing/Fixture"
import * as ResponsesServer from "@codex/testing/ResponsesServer"
import * as AiError from "@effect/ai/AiError"
import * as LanguageModel from "@effect/ai/LanguageModel"
import * as Model from "@effect/ai/Model"
import * as Prompt from "@effect/ai/Prompt"
import type * as Response from "@effect/ai/Response"
import * as Tool from "@effect/ai/Tool"
import * as Toolkit from "@effect/ai/Toolkit"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as CodexLanguageModel from "../src/CodexLanguageModel.js"

// Every test runs an @effect/ai program against the local Responses server (node:http on
// 127.0.0.1) through the real pipeline: Responses.layer → Node HttpTransport.

// -----------------------------------------------------------------------------
// helpers
// -----------------------------------------------------------------------------

const modelLayer = (
  server: ResponsesServer.ResponsesServer,
  options: {
    readonly retries?: number
    readonly idleMs?: number
    readonly config?: CodexLanguageModel.Options["config"]
  } = {}
): Layer.Layer<LanguageModel.LanguageModel> =>
  CodexLanguageModel.layer({ model: "gpt-test", config: options.config }).pipe(
    Layer.provide(Responses.layer),
    Layer.provide(
      Layer.mergeAll(
        Provider.layer(
          Provider.make({
            baseUrl: server.baseUrl,
            retry: {
              maxAttempts: options.retries ?? 0,
              baseDelay: 1,
              retry429: false,
              retry5xx: true,
              retryTransport: true
            },
            streamIdleTimeout: options.idleMs ?? 5_000
          })
        ),
        Auth.layerNone,
        HttpTransport.layerNode
      )
    )
  )

interface Body {
  readonly model: string
  readonly instructions?: string
  readonly input: ReadonlyArray<Record<string, unknown>>
  readonly tools: ReadonlyArray<Record<string, unknown>>
  readonly tool_choice: string
  readonly parallel_tool_calls: boolean
  readonly stream: boolean
  readonly store: boolean
  readonly reasoning: unknown
  readonly text?: Record<string, unknown>
}

const bodyOf = (server: ResponsesServer.ResponsesServer, index: number): Body => server.requests[index]?.json as Body

const runWith = <A, E, R>(
  server: ResponsesServer.ResponsesServer,
  effect: Effect.Effect<A, E, R>,
  options?: Parameters<typeof modelLayer>[1]
) => Effect.provide(effect, modelLayer(server, options))

/** Polls until `check` holds (bounded), for effects the client causes on the server asynchronously. */
const eventually = (check: () => boolean) =>
  Effect.gen(function* () {
    for (let i = 0; i < 200 && !check(); i++) yield* Effect.sleep("10 millis")
    expect(check()).toBe(true)
  })

const rateLimitHeaders = {
  "openai-model": "gpt-test-2025",
  "x-request-id": "req_abc",
  "x-codex-primary-used-percent": "42.5",
  "x-codex-primary-window-minutes": "300"
}

const GetWeather = Tool.make("get_weather", {
  description: "Current weather for a city",
  parameters: { city: Schema.String },
  success: Schema.Struct({ city: Schema.String, celsius: Schema.Number, sky: Schema.String })
})
const WeatherToolkit = Toolkit.make(GetWeather)
const seenCities: Array<string> = []
const WeatherHandlers = WeatherToolkit.toLayer({
  get_weather: ({ city }) =>
    Effect.sync(() => {
      seenCities.push(city)
      return { city, celsius: 18, sky: "sunny" }
    })
})

// -----------------------------------------------------------------------------
// generateText
// -----------------------------------------------------------------------------

describe("CodexLanguageModel.generateText", () => {
  it.scopedLive("assembles the text and reports finish reason, usage and provider metadata", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({
        script: {
          "/responses": [
            {
              headers: rateLimitHeaders,
              events: Fixture.textAnswer(["Effect is ", "a TypeScript ", "library."], {
                id: "resp_42",
                usage: { input: 30, cached: 10, output: 7, reasoning: 2 }
              })
            }
          ]
        }
      })
      const response = yield* runWith(
        server,
        LanguageModel.generateText({
          prompt: [
            { role: "system", content: "Answer in one sentence." },
            { role: "user", content: "What is Effect?" }
          ]
        })
      )
      expect(response.text).toBe("Effect is a TypeScript library.")
      expect(response.finishReason).toBe("stop")
      expect({ ...response.usage }).toEqual({
        inputTokens: 30,
        outputTokens: 7,
        totalTokens: 37,
        reasoningTokens: 2,
        cachedInputTokens: 10
      })
      const metadata = response.content.find((part) => part.type === "response-metadata")
      expect(metadata?.id).toEqual(Option.some("resp_42"))
      expect(metadata?.modelId).toEqual(Option.some("gpt-test-2025"))
      expect(metadata?.metadata.codex?.requestId).toBe("req_abc")
      expect(metadata?.metadata.codex?.serverModel).toBe("gpt-test-2025")
      const primary = metadata?.metadata.codex?.rateLimits.find((snapshot) => snapshot.primary != null)?.primary
      expect(primary?.used_percent).toBe(42.5)
      expect(primary?.window_minutes).toBe(300)

      const body = bodyOf(server, 0)
      expect(body.model).toBe("gpt-test")
      expect(body.instructions).toBe("Answer in one sentence.")
      expect(body.input).toEqual([
        { type: "message", role: "user", content: [{ type: "input_text", text: "What is Effect?" }] }
      ])
      expect(body.tools).toEqual([])
      expect(body.tool_choice).toBe("auto")
      expect(body.stream).toBe(true)
      expect(body.store).toBe(false)
    })
  )

  it.scopedLive("a message that arrives whole (no deltas) and a reasoning summary become parts", () =>
    Effect.gen(function* () {
      const reasoning = { type: "reasoning", id: "rs_1", summary: [{ type: "summary_text", text: "Thinking." }] }
      const server = yield* ResponsesServer.make({
        script: {
          "/responses": [
            {
              events: [
                Fixture.created(),
                Fixture.outputItemDone(reasoning),
                Fixture.outputItemDone(Fixture.assistantMessage("Whole answer.")),
                Fixture.completed()
              ]
            }
          ]
        }
      })
      const response = yield* runWith(server, LanguageModel.generateText({ prompt: "Hi" }))
      expect(response.text).toBe("Whole answer.")
      expect(response.reasoningText).toBe("Thinking.")
      // No usage on the wire: every count is unknown.
      expect(response.usage.inputTokens).toBeUndefined()
      expect(response.finishReason).toBe("stop")
    })
  )

  it.scopedLive("per-call settings (withConfigOverride) and layer settings reach the request", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ defaults: { "/responses": { events: Fixture.textAnswer(["ok"]) } } })
      yield* runWith(
        server,
        Effect.gen(function* () {
          yield* LanguageModel.generateText({ prompt: "first" })
          yield* LanguageModel.generateText({ prompt: "second" }).pipe(
            CodexLanguageModel.withConfigOverride({ model: "gpt-other", reasoning: { effort: "low" } })
          )
        }),
        { config: { instructions: "Be brief.", verbosity: "low", parallelToolCalls: false } }
      )
      const first = bodyOf(server, 0)
      const second = bodyOf(server, 1)
      expect([first.model, second.model]).toEqual(["gpt-test", "gpt-other"])
      expect(first.instructions).toBe("Be brief.")
      expect(first.text).toEqual({ verbosity: "low" })
      expect(first.parallel_tool_calls).toBe(false)
      expect(first.reasoning).toBeNull()
      expect(second.reasoning).toEqual({ effort: "low" })
      expect(second.instructions).toBe("Be brief.")
    })
  )

  it.scopedLive("a prompt with history, images and tool results becomes Responses input items", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ script: { "/responses": [{ events: Fixture.textAnswer(["ok"]) }] } })
      yield* runWith(
        server,
        LanguageModel.generateText({
          prompt: [
            { role: "system", content: "First rule." },
            {
              role: "user",
              content: [
                { type: "text", text: "Look:" },
                { type: "file", mediaType: "image/png", data: new Uint8Array([1, 2, 3]) },
                { type: "file", mediaType: "image/jpeg", data: new URL("https://example.test/cat.jpg") }
              ]
            },
            {
              role: "assistant",
              content: [
                { type: "reasoning", text: "not replayed" },
                { type: "text", text: "A cat." },
                { type: "tool-call", id: "call_1", name: "lookup", params: { q: "cat" } }
              ]
            },
            {
              role: "tool",
              content: [
                {
                  type: "tool-result",
                  id: "call_1",
                  name: "lookup",
                  isFailure: false,
                  result: "felis",
                  providerExecuted: false
                }
              ]
            },
            { role: "system", content: "Second rule." }
          ]
        })
      )
      const body = bodyOf(server, 0)
      expect(body.instructions).toBe("First rule.\n\nSecond rule.")
      expect(body.input).toEqual([
        {
          type: "message",
          role: "user",
          content: [
            { type: "input_text", text: "Look:" },
            { type: "input_image", image_url: "data:image/png;base64,AQID" },
            { type: "input_image", image_url: "https://example.test/cat.jpg" }
          ]
        },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "A cat." }] },
        { type: "function_call", name: "lookup", arguments: '{"q":"cat"}', call_id: "call_1" },
        { type: "function_call_output", call_id: "call_1", output: "felis" }
      ])
    })
  )

  it.scopedLive("an incomplete response (max_output_tokens) keeps the text and finishes with length", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({
        script: {
          "/responses": [
            {
              events: [Fixture.created(), Fixture.outputTextDelta("Cut sh"), Fixture.incomplete("max_output_tokens")]
            }
          ]
        }
      })
      const response = yield* runWith(server, LanguageModel.generateText({ prompt: "Long story" }))
      expect(response.text).toBe("Cut sh")
      expect(response.finishReason).toBe("length")
    })
  )
})

// -----------------------------------------------------------------------------
// streamText
// -----------------------------------------------------------------------------

describe("CodexLanguageModel.streamText", () => {
  it.scopedLive("emits the parts in order, byte-by-byte delivery included", () =>
    Effect.gen(function* () {
      const events = [
        Fixture.created("resp_s"),
        Fixture.outputItemAdded({ type: "reasoning", id: "rs_1", summary: [] }),
        Fixture.reasoningSummaryPartAdded(0),
        Fixture.reasoningSummaryDelta("Plan"),
        Fixture.reasoningSummaryDelta(" it."),
        Fixture.outputItemDone({
          type: "reasoning",
          id: "rs_1",
          summary: [{ type: "summary_text", text: "Plan it." }]
        }),
        Fixture.outputItemAdded({ type: "message", id: "msg_1", role: "assistant", content: [] }),
        Fixture.outputTextDelta("Hel"),
        Fixture.outputTextDelta("lo"),
        Fixture.outputTextDelta("!"),
        Fixture.outputItemDone(Fixture.assistantMessage("Hello!", "msg_1")),
        Fixture.completed("resp_s", { input: 5, output: 3 })
      ]
      const server = yield* ResponsesServer.make({ script: { "/responses": [{ events, chunkSize: 1 }] } })
      const parts = yield* runWith(
        server,
        LanguageModel.streamText({ prompt: "Say hello" }).pipe(Stream.runCollect, Effect.map(Chunk.toReadonlyArray))
      )
      expect(parts.map((part) => part.type)).toEqual([
        "reasoning-start",
        "reasoning-delta",
        "reasoning-delta",
        "reasoning-end",
        "text-start",
        "text-delta",
        "text-delta",
        "text-delta",
        "text-end",
        "response-metadata",
        "finish"
      ])
      const deltas = parts.filter((part): part is Response.TextDeltaPart => part.type === "text-delta")
      expect(deltas.map((part) => part.delta).join("")).toBe("Hello!")
      expect(new Set(deltas.map((part) => part.id))).toEqual(new Set(["msg_1"]))
      const reasoning = parts.filter((part): part is Response.ReasoningDeltaPart => part.type === "reasoning-delta")
      expect(reasoning.map((part) => part.delta).join("")).toBe("Plan it.")
      const finish = parts.at(-1) as Response.FinishPart
      expect(finish.reason).toBe("stop")
      expect(finish.usage.totalTokens).toBe(8)
    })
  )

  it.scopedLive("with a toolkit, the tool result follows the tool call in the stream", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({
        script: {
          "/responses": [{ events: Fixture.functionCallTurn("get_weather", { city: "Lyon" }, { callId: "call_lyon" }) }]
        }
      })
      const parts = yield* runWith(
        server,
        LanguageModel.streamText({ prompt: "Weather in Lyon?", toolkit: WeatherToolkit }).pipe(
          Stream.runCollect,
          Effect.map(Chunk.toReadonlyArray),
          Effect.provide(WeatherHandlers)
        )
      )
      const types = parts.map((part) => part.type)
      expect(types).toEqual(["tool-call", "tool-result", "response-metadata", "finish"])
      const result = parts[1] as Response.ToolResultPart<"get_weather", { celsius: number }, never>
      expect(result.id).toBe("call_lyon")
      expect(result.result).toEqual({ city: "Lyon", celsius: 18, sky: "sunny" })
      expect((parts[3] as Response.FinishPart).reason).toBe("tool-calls")
    })
  )
})

// -----------------------------------------------------------------------------
// tools
// -----------------------------------------------------------------------------

describe("CodexLanguageModel tool calls", () => {
  it.scopedLive("a Toolkit round trip: function_call → handler → function_call_output in the next request", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({
        script: {
          "/responses": [
            { events: Fixture.functionCallTurn("get_weather", { city: "Paris" }, { id: "resp_1", callId: "call_w" }) },
            { events: Fixture.textAnswer(["It is 18°C and sunny."], { id: "resp_2" }) }
          ]
        }
      })
      const before = seenCities.length
      const prompt = Prompt.make("What's the weather in Paris?")
      const { first, second } = yield* runWith(
        server,
        Effect.gen(function* () {
          const first = yield* LanguageModel.generateText({ prompt, toolkit: WeatherToolkit })
          const next = Prompt.merge(prompt, Prompt.fromResponseParts(first.content))
          const second = yield* LanguageModel.generateText({ prompt: next, toolkit: WeatherToolkit })
          return { first, second }
        }).pipe(Effect.provide(WeatherHandlers))
      )
      expect(seenCities.slice(before)).toEqual(["Paris"])
      expect(first.finishReason).toBe("tool-calls")
      expect(first.toolCalls.map((call) => [call.id, call.name, call.params])).toEqual([
        ["call_w", "get_weather", { city: "Paris" }]
      ])
      expect(first.toolResults[0]?.result).toEqual({ city: "Paris", celsius: 18, sky: "sunny" })
      expect(second.text).toBe("It is 18°C and sunny.")
      expect(second.finishReason).toBe("stop")

      const firstBody = bodyOf(server, 0)
      expect(firstBody.tool_choice).toBe("auto")
      expect(firstBody.tools).toEqual([
        {
          type: "function",
          name: "get_weather",
          description: "Current weather for a city",
          strict: false,
          parameters: {
            type: "object",
            required: ["city"],
            properties: { city: { type: "string" } },
            additionalProperties: false
          }
        }
      ])
      const input = bodyOf(server, 1).input
      expect(input.map((item) => item.type)).toEqual(["message", "function_call", "function_call_output"])
      expect(input[1]).toEqual({
        type: "function_call",
        name: "get_weather",
        arguments: JSON.stringify({ city: "Paris" }),
        call_id: "call_w"
      })
      expect(input[2]?.call_id).toBe("call_w")
      expect(JSON.parse(input[2]?.output as string)).toEqual({ city: "Paris", celsius: 18, sky: "sunny" })
    })
  )

  it.scopedLive("toolChoice { tool } sends only that tool, required", () =>
    Effect.gen(function* () {
      const Other = Tool.make("get_time", { description: "The time" })
      const Kit = Toolkit.make(GetWeather, Other)
      const server = yield* ResponsesServer.make({ script: { "/responses": [{ events: Fixture.textAnswer(["ok"]) }] } })
      yield* runWith(
        server,
        LanguageModel.generateText({
          prompt: "weather",
          toolkit: Kit,
          toolChoice: { tool: "get_weather" },
          disableToolCallResolution: true
        }).pipe(
          Effect.provide(
            Kit.toLayer({
              get_weather: ({ city }) => Effect.succeed({ city, celsius: 0, sky: "grey" }),
              get_time: () => Effect.void
            })
          )
        )
      )
      const body = bodyOf(server, 0)
      expect(body.tool_choice).toBe("required")
      expect(body.tools.map((tool) => tool.name)).toEqual(["get_weather"])
    })
  )

  it.scopedLive("tool-call arguments that are not JSON fail with MalformedOutput", () =>
    Effect.gen(function* () {
      const item = { ...Fixture.functionCall("get_weather", {}), arguments: "{not json" }
      const server = yield* ResponsesServer.make({
        script: { "/responses": [{ events: [Fixture.created(), Fixture.outputItemDone(item), Fixture.completed()] }] }
      })
      const error = yield* runWith(
        server,
        LanguageModel.generateText({ prompt: "weather", toolkit: WeatherToolkit }).pipe(
          Effect.provide(WeatherHandlers),
          Effect.flip
        )
      )
      expect(error._tag).toBe("MalformedOutput")
      expect((error as AiError.MalformedOutput).description).toContain("get_weather")
    })
  )

  it.scopedLive("a provider-defined tool or a non-image file is rejected before any request", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({})
      const Search = Tool.providerDefined({
        id: "openai.web_search",
        toolkitName: "WebSearch",
        providerName: "web_search",
        args: {},
        success: Schema.Unknown
      })
      const SearchKit = Toolkit.make(Search({}))
      const toolError = yield* runWith(
        server,
        LanguageModel.generateText({ prompt: "search", toolkit: SearchKit }).pipe(
          Effect.provide(SearchKit.toLayer({})),
          Effect.flip
        )
      )
      expect(toolError._tag).toBe("MalformedInput")
      expect((toolError as AiError.MalformedInput).description).toContain("provider-defined")
      const fileError = yield* runWith(
        server,
        LanguageModel.generateText({
          prompt: [
            {
              role: "user",
              content: [{ type: "file", mediaType: "application/pdf", fileName: "a.pdf", data: new Uint8Array([1]) }]
            }
          ]
        }).pipe(Effect.flip)
      )
      expect(fileError._tag).toBe("MalformedInput")
      expect((fileError as AiError.MalformedInput).description).toContain("a.pdf")
      expect(server.requests.length).toBe(0)
    })
  )
})

// -----------------------------------------------------------------------------
// structured output
// -----------------------------------------------------------------------------

describe("CodexLanguageModel.generateObject", () => {
  it.scopedLive("asks for a JSON schema through text.format and decodes the answer", () =>
    Effect.gen(function* () {
      const Contact = Schema.Struct({ name: Schema.String, email: Schema.String })
      const answer = JSON.stringify({ name: "Ada", email: "ada@example.com" })
      const server = yield* ResponsesServer.make({
        script: { "/responses": [{ events: Fixture.textAnswer([answer.slice(0, 10), answer.slice(10)]) }] }
      })
      const response = yield* runWith(
        server,
        LanguageModel.generateObject({ prompt: "Ada, ada@example.com", schema: Contact, objectName: "contact" })
      )
      expect(response.value).toEqual({ name: "Ada", email: "ada@example.com" })
      expect(bodyOf(server, 0).text).toEqual({
        format: {
          type: "json_schema",
          strict: true,
          schema: {
            type: "object",
            required: ["name", "email"],
            properties: { name: { type: "string" }, email: { type: "string" } },
            additionalProperties: false
          },
          name: "codex_output_schema"
        }
      })
    })
  )
})

// -----------------------------------------------------------------------------
// errors and interruption
// -----------------------------------------------------------------------------

describe("CodexLanguageModel errors", () => {
  it.scopedLive("a 500 after the provider's retries is an HttpResponseError with status, request id and body", () =>
    Effect.gen(function* () {
      const failure = {
        status: 500,
        headers: { "x-request-id": "req_500" },
        json: { error: { message: "The server had an error" } }
      }
      const server = yield* ResponsesServer.make({ script: { "/responses": [failure, failure, failure] } })
      const error = yield* runWith(server, LanguageModel.generateText({ prompt: "Hi" }).pipe(Effect.flip), {
        retries: 2
      })
      expect(server.requests.length).toBe(3)
      expect(error._tag).toBe("HttpResponseError")
      const http = error as AiError.HttpResponseError
      expect(http.response.status).toBe(500)
      expect(http.response.headers["x-request-id"]).toBe("req_500")
      expect(http.body).toContain("The server had an error")
      expect(http.description).toContain("request id: req_500")
      expect(http.message).toContain("req_500")
      expect(http.request.url).toBe(`${server.baseUrl}/responses`)
    })
  )

  it.scopedLive("response.failed (context window) is an UnknownError carrying the ApiError and the request id", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({
        script: {
          "/responses": [
            {
              headers: { "x-request-id": "req_ctx" },
              events: [
                Fixture.created(),
                Fixture.failed({ code: "context_length_exceeded", message: "Your input exceeds the context window" })
              ]
            }
          ]
        }
      })
      const error = yield* runWith(
        server,
        LanguageModel.streamText({ prompt: "a very long prompt" }).pipe(Stream.runDrain, Effect.flip)
      )
      expect(AiError.isAiError(error)).toBe(true)
      expect(error._tag).toBe("UnknownError")
      const unknown = error as AiError.UnknownError
      expect((unknown.cause as { _tag: string })._tag).toBe("ContextWindowExceeded")
      expect(unknown.description).toContain("context window")
      expect(unknown.description).toContain("req_ctx")
    })
  )

  it.scopedLive("the provider's stream idle timeout ends a stalled stream with an error", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({
        script: { "/responses": [{ events: [Fixture.created(), Fixture.outputTextDelta("Hi")], stall: true }] }
      })
      const error = yield* runWith(server, LanguageModel.generateText({ prompt: "Hi" }).pipe(Effect.flip), {
        idleMs: 1_000
      })
      expect(error._tag).toBe("UnknownError")
      expect((error as AiError.UnknownError).description).toContain("idle timeout")
      yield* eventually(() => server.openConnections() === 0)
    })
  )

  it.scopedLive("a network failure is an HttpRequestError (Transport)", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({})
      const closed = { ...server, baseUrl: "http://127.0.0.1:1/v1" }
      const error = yield* runWith(closed, LanguageModel.generateText({ prompt: "Hi" }).pipe(Effect.flip))
      expect(error._tag).toBe("HttpRequestError")
      expect((error as AiError.HttpRequestError).reason).toBe("Transport")
    })
  )
})

describe("CodexLanguageModel interruption", () => {
  it.scopedLive("a consumer that stops early releases the request", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({
        script: { "/responses": [{ events: [Fixture.created(), Fixture.outputTextDelta("Hel")], stall: true }] }
      })
      const seen = yield* Deferred.make<void>()
      const fiber = yield* runWith(
        server,
        LanguageModel.streamText({ prompt: "Hi" }).pipe(
          Stream.tap((part) => (part.type === "text-delta" ? Deferred.succeed(seen, undefined) : Effect.void)),
          Stream.runDrain
        )
      ).pipe(Effect.fork)
      yield* Deferred.await(seen)
      // The stalled response holds its connection while the stream runs...
      expect(server.openConnections()).toBe(1)
      yield* Fiber.interrupt(fiber)
      // ...and interrupting the consumer aborts the request.
      yield* eventually(() => server.openConnections() === 0)
    })
  )

  it.scopedLive("taking the first part of a stream ends the request", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({
        script: { "/responses": [{ events: [Fixture.created(), Fixture.outputTextDelta("Hel")], stall: true }] }
      })
      const first = yield* runWith(
        server,
        LanguageModel.streamText({ prompt: "Hi" }).pipe(Stream.take(1), Stream.runCollect, Effect.either)
      )
      expect(Either.isRight(first) && Chunk.toReadonlyArray(first.right).map((part) => part.type)).toEqual([
        "text-start"
      ])
      yield* eventually(() => server.openConnections() === 0)
    })
  )
})

describe("CodexLanguageModel layers", () => {
  it.scopedLive("layerConfig reads the options from configuration; model() names the provider", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ defaults: { "/responses": { events: Fixture.textAnswer(["ok"]) } } })
      const deps = Responses.layer.pipe(
        Layer.provide(
          Layer.mergeAll(
            Provider.layer(Provider.make({ baseUrl: server.baseUrl })),
            Auth.layerNone,
            HttpTransport.layerNode
          )
        )
      )
      const configured = CodexLanguageModel.layerConfig({ model: Config.string("CODEX_MODEL") }).pipe(
        Layer.provide(deps),
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["CODEX_MODEL", "gpt-from-config"]]))))
      )
      yield* Effect.provide(LanguageModel.generateText({ prompt: "Hi" }), configured)
      expect(bodyOf(server, 0).model).toBe("gpt-from-config")

      const missing = CodexLanguageModel.layerConfig({ model: Config.string("CODEX_MODEL") }).pipe(
        Layer.provide(deps),
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map())))
      )
      const error = yield* Effect.provide(LanguageModel.generateText({ prompt: "Hi" }), missing).pipe(Effect.flip)
      expect(ConfigError.isConfigError(error)).toBe(true)

      const provider = yield* Effect.provide(
        Effect.zipLeft(Model.ProviderName, LanguageModel.generateText({ prompt: "Hi" })),
        CodexLanguageModel.model("gpt-model", { store: true }).pipe(Layer.provide(deps))
      )
      expect(provider).toBe("codex")
      expect(bodyOf(server, 1).model).toBe("gpt-model")
      expect(bodyOf(server, 1).store).toBe(true)
      expect(server.requests.length).toBe(2)
    })
  )
})
