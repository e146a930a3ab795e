import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as HttpTransportModule from "@codex/client/HttpTransport"
import * as SessionSource from "@codex/protocol/SessionSource"
import { describe, expect, it } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import type * as ApiError from "../src/ApiError.js"
import * as Auth from "../src/Auth.js"
import * as CodexError from "../src/CodexError.js"
import * as Provider from "../src/Provider.js"
import type { ResponseEvent } from "../src/ResponseEvent.js"
import { ResponsesClient } from "../src/Responses.js"
import * as Responses from "../src/Responses.js"
import { sseFixture } from "../src/ResponsesFixture.js"
import type { ResponsesApiRequest } from "../src/ResponsesRequest.js"

// End-to-end counterparts of codex-api/tests/{clients,sse_end_to_end}.rs and the header-event unit
// tests (spec 7.1, 7.2, 7.5 #28–29), against a real node:http server on 127.0.0.1.

interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

interface Server {
  readonly baseUrl: string
  readonly requests: Array<Seen>
  /** Resolved when a request's connection closed (the client aborted or finished). */
  readonly closed: Deferred.Deferred<void>
}

type Handler = (req: Http.IncomingMessage, res: Http.ServerResponse, body: string) => void

const server = (handler: Handler) =>
  Effect.gen(function* () {
    const closed = yield* Deferred.make<void>()
    const requests: Array<Seen> = []
    const sockets = new Set<import("node:net").Socket>()
    const srv = Http.createServer((req, res) => {
      const parts: Array<Buffer> = []
      req.on("data", (c: Buffer) => parts.push(c))
      req.on("end", () => {
        const body = Buffer.concat(parts).toString("utf8")
        requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body })
        res.on("close", () => Deferred.unsafeDone(closed, Effect.void))
        handler(req, res, body)
      })
    })
    srv.on("connection", (s) => {
      sockets.add(s)
      s.on("close", () => sockets.delete(s))
    })
    yield* Effect.acquireRelease(
      Effect.async<void>((resume) => {
        srv.listen(0, "127.0.0.1", () => resume(Effect.void))
      }),
      () =>
        Effect.async<void>((resume) => {
          for (const s of sockets) s.destroy()
          srv.close(() => resume(Effect.void))
        })
    )
    const port = (srv.address() as AddressInfo).port
    return { baseUrl: `http://127.0.0.1:${port}/v1`, requests, closed } satisfies Server
  })

const sse =
  (text: string, headers: Record<string, string> = {}, keepOpen = false): Handler =>
  (_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream", ...headers })
    if (keepOpen) res.write(text)
    else res.end(text)
  }

const clientLayer = (
  baseUrl: string,
  options: { name?: string; idle?: number; auth?: Auth.Service; maxSseEventSize?: number } = {}
): Layer.Layer<ResponsesClient> =>
  Responses.layer.pipe(
    Layer.provide(
      Layer.mergeAll(
        HttpTransportModule.layerNode,
        Auth.layer(options.auth ?? Auth.none),
        Layer.succeed(
          Provider.CurrentProvider,
          Provider.make({
            name: options.name ?? "openai",
            baseUrl,
            retry: { maxAttempts: 1, baseDelay: 1, retry429: false, retry5xx: false, retryTransport: true },
            streamIdleTimeout: options.idle ?? 1000,
            maxSseEventSize: options.maxSseEventSize
          })
        )
      )
    )
  )

const collect = (stream: Stream.Stream<ResponseEvent, ApiError.ApiError>) =>
  Effect.gen(function* () {
    const out: Array<ResponseEvent> = []
    const result = yield* stream.pipe(
      Stream.runForEach((event) => Effect.sync(() => out.push(event))),
      Effect.either
    )
    return { events: out, error: Either.isLeft(result) ? result.left : undefined }
  })

const withoutRateLimits = (events: ReadonlyArray<ResponseEvent>) => events.filter((e) => e._tag !== "RateLimits")

const assistant = (text: string) => ({
  type: "response.output_item.done",
  item: { type: "message", role: "assistant", content: [{ type: "output_text", text }] }
})
const completed = (id = "resp1") => ({ type: "response.completed", response: { id } })

const request = (overrides: Partial<ResponsesApiRequest> = {}): ResponsesApiRequest => ({
  model: "gpt-test",
  instructions: "",
  input: [],
  tools: [],
  toolChoice: "auto",
  parallelToolCalls: false,
  store: false,
  stream: true,
  include: [],
  ...overrides
})

const runWith = <A, E, R>(
  baseUrl: string,
  effect: Effect.Effect<A, E, R>,
  options?: Parameters<typeof clientLayer>[1]
): Effect.Effect<A, E, Exclude<R, ResponsesClient>> => Effect.provide(effect, clientLayer(baseUrl, options))

describe("ResponsesClient over HTTP", () => {
  it.scopedLive("responses_client_uses_responses_path", () =>
    Effect.gen(function* () {
      const srv = yield* server(sse(sseFixture([completed()])))
      yield* runWith(
        srv.baseUrl,
        Effect.flatMap(ResponsesClient, (client) => collect(client.stream({ echo: true })))
      )
      expect(srv.requests).toHaveLength(1)
      expect(srv.requests[0]!.method).toBe("POST")
      expect(srv.requests[0]!.url).toBe("/v1/responses")
      expect(JSON.parse(srv.requests[0]!.body)).toEqual({ echo: true })
      expect(srv.requests[0]!.headers["content-type"]).toBe("application/json")
    })
  )

  it.scopedLive("streaming_client_adds_auth_headers", () =>
    Effect.gen(function* () {
      const srv = yield* server(sse(sseFixture([completed()])))
      const auth = Auth.bearer({ token: Redacted.make("secret-token"), accountId: "acct-1" })
      yield* runWith(
        srv.baseUrl,
        Effect.flatMap(ResponsesClient, (client) =>
          collect(client.stream({}, { extraHeaders: { accept: "application/json" } }))
        ),
        { auth }
      )
      const headers = srv.requests[0]!.headers
      expect(headers.authorization).toBe("Bearer secret-token")
      expect(headers["chatgpt-account-id"]).toBe("acct-1")
      // The configure step overrides a caller-provided Accept.
      expect(headers.accept).toBe("text/event-stream")
    })
  )

  it.scopedLive("azure_default_store_attaches_ids_and_headers", () =>
    Effect.gen(function* () {
      const srv = yield* server(sse(sseFixture([completed()])))
      yield* runWith(
        srv.baseUrl,
        Effect.flatMap(ResponsesClient, (client) =>
          collect(
            client.streamRequest(
              request({
                store: true,
                input: [{ type: "message", id: "msg_1", role: "user", content: [{ type: "input_text", text: "hi" }] }]
              }),
              {
                sessionId: "sess_123",
                threadId: "thread_123",
                sessionSource: SessionSource.subAgent(SessionSource.review),
                extraHeaders: { "x-test-header": "present" }
              }
            )
          )
        ),
        { name: "azure" }
      )
      const seen = srv.requests[0]!
      expect(seen.headers["session-id"]).toBe("sess_123")
      expect(seen.headers["thread-id"]).toBe("thread_123")
      expect(seen.headers["x-client-request-id"]).toBe("thread_123")
      expect(seen.headers["x-openai-subagent"]).toBe("review")
      expect(seen.headers["x-test-header"]).toBe("present")
      expect(JSON.parse(seen.body).input[0].id).toBe("msg_1")
    })
  )

  it.scopedLive("non-azure providers never send item ids", () =>
    Effect.gen(function* () {
      const srv = yield* server(sse(sseFixture([completed()])))
      yield* runWith(
        srv.baseUrl,
        Effect.flatMap(ResponsesClient, (client) =>
          collect(
            client.streamRequest(
              request({
                store: true,
                input: [{ type: "message", id: "msg_1", role: "user", content: [{ type: "input_text", text: "hi" }] }]
              })
            )
          )
        )
      )
      const body = JSON.parse(srv.requests[0]!.body)
      expect(body.input[0].id).toBeUndefined()
      expect(Object.keys(body)).toEqual([
        "model",
        "input",
        "tools",
        "tool_choice",
        "parallel_tool_calls",
        "reasoning",
        "store",
        "stream",
        "include"
      ])
    })
  )

  it.scopedLive("responses_stream_parses_items_and_completed_end_to_end", () =>
    Effect.gen(function* () {
      const srv = yield* server(sse(sseFixture([assistant("Hello"), assistant("World"), completed("resp1")])))
      const { events, error } = yield* runWith(
        srv.baseUrl,
        Effect.flatMap(ResponsesClient, (client) => collect(client.stream({})))
      )
      expect(error).toBeUndefined()
      const rest = withoutRateLimits(events)
      expect(rest.map((e) => e._tag)).toEqual(["OutputItemDone", "OutputItemDone", "Completed"])
      expect(rest[2]).toMatchObject({ responseId: "resp1" })
      expect((rest[2] as { tokenUsage?: unknown }).tokenUsage).toBeUndefined()
      expect((rest[2] as { endTurn?: unknown }).endTurn).toBeUndefined()
    })
  )

  it.scopedLive("spawn_response_stream_emits_header_events", () =>
    Effect.gen(function* () {
      const srv = yield* server(sse("", { "x-request-id": "req-1", "openai-model": "gpt-5.3-codex" }))
      const result = yield* runWith(
        srv.baseUrl,
        Effect.flatMap(ResponsesClient, (client) =>
          Effect.flatMap(client.open({}), (opened) =>
            Effect.map(collect(opened.events), (r) => ({ ...r, id: opened.upstreamRequestId }))
          )
        )
      )
      expect(result.id).toBe("req-1")
      expect(result.events[0]).toMatchObject({ _tag: "ServerModel", model: "gpt-5.3-codex" })
      expect(result.error?._tag === "Stream" && result.error.reason).toBe("stream closed before response.completed")
    })
  )

  it.scopedLive("spawn_response_stream_ignores_model_verification_header", () =>
    Effect.gen(function* () {
      const srv = yield* server(
        sse(sseFixture([completed()]), { "openai-verification-recommendation": "trusted_access_for_cyber" })
      )
      const { events, error } = yield* runWith(
        srv.baseUrl,
        Effect.flatMap(ResponsesClient, (client) => collect(client.stream({})))
      )
      expect(events.some((e) => e._tag === "ModelVerifications")).toBe(false)
      // The stream ends normally, with the response's completion.
      expect(error).toBeUndefined()
      expect(events.at(-1)?._tag).toBe("Completed")
    })
  )

  it.scopedLive("header events come first in the reference order, default RateLimits snapshot always first", () =>
    Effect.gen(function* () {
      const srv = yield* server(
        sse(sseFixture([completed()]), {
          "openai-model": "gpt-h",
          "x-codex-secondary-primary-used-percent": "80",
          "x-models-etag": "etag-1",
          "x-reasoning-included": "true"
        })
      )
      const { events } = yield* runWith(
        srv.baseUrl,
        Effect.flatMap(ResponsesClient, (client) => collect(client.stream({})))
      )
      expect(events.map((e) => e._tag)).toEqual([
        "ServerModel",
        "RateLimits",
        "RateLimits",
        "ModelsEtag",
        "ServerReasoningIncluded",
        "Completed"
      ])
      expect(events[1]).toMatchObject({ snapshot: { limit_id: "codex" } })
      expect(events[2]).toMatchObject({ snapshot: { limit_id: "codex_secondary" } })
      expect(events[3]).toMatchObject({ etag: "etag-1" })

      const plain = yield* server(sse(sseFixture([completed()])))
      const bare = yield* runWith(
        plain.baseUrl,
        Effect.flatMap(ResponsesClient, (client) => collect(client.stream({})))
      )
      expect(bare.events.map((e) => e._tag)).toEqual(["RateLimits", "Completed"])
      expect(bare.events[0]).toMatchObject({ snapshot: { limit_id: "codex" } })
    })
  )

  it.scopedLive("turn state is captured once (first value wins)", () =>
    Effect.gen(function* () {
      const srv = yield* server(sse(sseFixture([completed()]), { "x-codex-turn-state": "ts-1" }))
      const turnState = yield* Ref.make(Option.none<string>())
      const preset = yield* Ref.make(Option.some("ts-0"))
      yield* runWith(
        srv.baseUrl,
        Effect.flatMap(ResponsesClient, (client) =>
          Effect.zipRight(
            collect(client.streamRequest(request(), { turnState })),
            collect(client.stream({}, { turnState: preset }))
          )
        )
      )
      expect(yield* Ref.get(turnState)).toEqual(Option.some("ts-1"))
      expect(yield* Ref.get(preset)).toEqual(Option.some("ts-0"))
    })
  )

  it.scopedLive("runs inside responses.stream_request / responses.stream spans", () =>
    Effect.gen(function* () {
      const srv = yield* server(sse(sseFixture([completed()])))
      const names: Array<string> = []
      const base = yield* Effect.tracer
      const tracer = Tracer.make({
        span: (name, ...rest) => {
          names.push(name)
          return base.span(name, ...rest)
        },
        context: base.context
      })
      yield* runWith(
        srv.baseUrl,
        Effect.flatMap(ResponsesClient, (client) => collect(client.streamRequest(request())))
      ).pipe(Effect.withTracer(tracer))
      expect(names.slice(0, 3)).toEqual([
        "responses.stream_request",
        "responses.stream",
        "endpoint_session.stream_with"
      ])
    })
  )

  it.scopedLive("zstd compression sets content-encoding", () =>
    Effect.gen(function* () {
      const srv = yield* server(sse(sseFixture([completed()])))
      const { error } = yield* runWith(
        srv.baseUrl,
        Effect.flatMap(ResponsesClient, (client) => collect(client.streamRequest(request(), { compression: "zstd" })))
      )
      expect(error).toBeUndefined()
      expect(srv.requests[0]!.headers["content-encoding"]).toBe("zstd")
    })
  )

  it.scopedLive("non-2xx is a transport error with the body", () =>
    Effect.gen(function* () {
      const srv = yield* server((_req, res) => {
        res.writeHead(400, { "content-type": "application/json", "x-request-id": "req-400" })
        res.end('{"error":{"message":"bad"}}')
      })
      const { events, error } = yield* runWith(
        srv.baseUrl,
        Effect.flatMap(ResponsesClient, (client) => collect(client.stream({})))
      )
      expect(events).toEqual([])
      expect(error?._tag).toBe("Transport")
      if (error?._tag !== "Transport" || error.error._tag !== "Http") throw new Error(`expected Http, got ${error}`)
      // improvement 5: the error keeps what the server said
      expect(error.error.status).toBe(400)
      expect(error.error.body).toBe('{"error":{"message":"bad"}}')
      expect(error.error.url).toBe(`${srv.baseUrl}/responses`)
      expect(error.error.header("x-request-id")).toBe("req-400")
      const mapped = CodexError.mapApiError(error)
      expect(mapped).toMatchObject({ _tag: "InvalidRequest", status: 400, requestId: "req-400" })
    })
  )

  it.scopedLive("improvement: a 429 keeps status, request id, body and the rate-limit snapshot", () =>
    Effect.gen(function* () {
      const body = '{"error":{"type":"usage_limit_reached","plan_type":"pro"}}'
      const srv = yield* server((_req, res) => {
        res.writeHead(429, {
          "content-type": "application/json",
          "x-request-id": "req-429",
          "x-codex-primary-used-percent": "100",
          "x-codex-primary-window-minutes": "300"
        })
        res.end(body)
      })
      const { error } = yield* runWith(
        srv.baseUrl,
        Effect.flatMap(ResponsesClient, (client) => collect(client.stream({})))
      )
      // 429 is not retried by default: exactly one request
      expect(srv.requests).toHaveLength(1)
      if (error === undefined) throw new Error("expected an error")
      expect(CodexError.mapApiError(error)).toMatchObject({
        _tag: "UsageLimitReached",
        status: 429,
        requestId: "req-429",
        body,
        planType: "pro",
        rateLimits: { limit_id: "codex", primary: { used_percent: 100, window_minutes: 300 } }
      })
    })
  )

  it.scopedLive("improvement: the provider's maxSseEventSize bounds a pending SSE event", () =>
    Effect.gen(function* () {
      const srv = yield* server(sse(sseFixture([assistant("a"), assistant("x".repeat(4_000)), completed()])))
      const { events, error } = yield* runWith(
        srv.baseUrl,
        Effect.flatMap(ResponsesClient, (client) => collect(client.stream({}))),
        { maxSseEventSize: 1_000 }
      )
      expect(withoutRateLimits(events).map((e) => e._tag)).toEqual(["OutputItemDone"])
      expect(error?._tag).toBe("Stream")
      expect(error?._tag === "Stream" && error.cause).toMatchObject({ _tag: "SseError", reason: "EventTooLarge" })
      yield* Deferred.await(srv.closed).pipe(Effect.timeout("2 seconds"))
    })
  )

  it.scopedLive("improvement: Completed ends the stream while the server keeps the connection open", () =>
    Effect.gen(function* () {
      const srv = yield* server(sse(sseFixture([assistant("a"), completed()]), {}, true))
      const { events, error } = yield* runWith(
        srv.baseUrl,
        Effect.flatMap(ResponsesClient, (client) => collect(client.stream({}))),
        { idle: 60_000 }
      )
      expect(error).toBeUndefined()
      expect(withoutRateLimits(events).map((e) => e._tag)).toEqual(["OutputItemDone", "Completed"])
      // The request was aborted: the server sees its connection closed.
      yield* Deferred.await(srv.closed).pipe(Effect.timeout("2 seconds"))
    })
  )

  it.scopedLive("improvement: response.failed fails at once without EOF or idle timeout", () =>
    Effect.gen(function* () {
      const failed = {
        type: "response.failed",
        response: { error: { code: "context_length_exceeded", message: "too long" } }
      }
      const srv = yield* server(sse(sseFixture([assistant("a"), failed]), {}, true))
      const { events, error } = yield* runWith(
        srv.baseUrl,
        Effect.flatMap(ResponsesClient, (client) => collect(client.stream({}))),
        { idle: 60_000 }
      )
      expect(withoutRateLimits(events).map((e) => e._tag)).toEqual(["OutputItemDone"])
      expect(error?._tag).toBe("ContextWindowExceeded")
      yield* Deferred.await(srv.closed).pipe(Effect.timeout("2 seconds"))
    })
  )

  it.scopedLive("improvement: completed without a trailing blank line is delivered", () =>
    Effect.gen(function* () {
      const srv = yield* server(sse(`${sseFixture([assistant("a")])}data: ${JSON.stringify(completed())}`))
      const { events, error } = yield* runWith(
        srv.baseUrl,
        Effect.flatMap(ResponsesClient, (client) => collect(client.stream({})))
      )
      expect(error).toBeUndefined()
      expect(withoutRateLimits(events).map((e) => e._tag)).toEqual(["OutputItemDone", "Completed"])
    })
  )

  it.scopedLive("idle timeout waiting for SSE despite comment keep-alives", () =>
    Effect.gen(function* () {
      let timer: NodeJS.Timeout | undefined
      const srv = yield* server((_req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" })
        res.write(sseFixture([assistant("a")]))
        timer = setInterval(() => res.write(": ping\n\n"), 50)
        res.on("close", () => clearInterval(timer))
      })
      yield* Effect.addFinalizer(() => Effect.sync(() => clearInterval(timer)))
      const { events, error } = yield* runWith(
        srv.baseUrl,
        Effect.flatMap(ResponsesClient, (client) => collect(client.stream({}))),
        { idle: 300 }
      )
      expect(withoutRateLimits(events).map((e) => e._tag)).toEqual(["OutputItemDone"])
      expect(error?._tag === "Stream" && error.reason).toBe("idle timeout waiting for SSE")
      yield* Deferred.await(srv.closed).pipe(Effect.timeout("2 seconds"))
    })
  )

  it.scopedLive("a consumer that stops early aborts the request", () =>
    Effect.gen(function* () {
      const srv = yield* server(sse(sseFixture([assistant("a"), assistant("b")]), {}, true))
      const taken = yield* runWith(
        srv.baseUrl,
        Effect.flatMap(ResponsesClient, (client) =>
          client.stream({}).pipe(
            Stream.filter((e) => e._tag === "OutputItemDone"),
            Stream.take(1),
            Stream.runCollect
          )
        ),
        { idle: 60_000 }
      )
      expect([...taken].map((e) => e._tag)).toEqual(["OutputItemDone"])
      yield* Deferred.await(srv.closed).pipe(Effect.timeout("2 seconds"))
    })
  )

  it.scopedLive("a dropped connection mid-stream is a stream error", () =>
    Effect.gen(function* () {
      const srv = yield* server((_req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" })
        res.write(sseFixture([assistant("a")]), () => setTimeout(() => res.socket?.destroy(), 20))
      })
      const { events, error } = yield* runWith(
        srv.baseUrl,
        Effect.flatMap(ResponsesClient, (client) => collect(client.stream({})))
      )
      expect(withoutRateLimits(events).map((e) => e._tag)).toEqual(["OutputItemDone"])
      expect(error?._tag).toBe("Stream")
    })
  )
})
