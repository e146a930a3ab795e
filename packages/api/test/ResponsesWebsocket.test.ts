import * as ApiError from "@codex/api/ApiError"
import * as Auth from "@codex/api/Auth"
import * as Provider from "@codex/api/Provider"
import { ResponseEvent } from "@codex/api/ResponseEvent"
import * as ResponsesRequest from "@codex/api/ResponsesRequest"
import * as ResponsesWebsocket from "@codex/api/ResponsesWebsocket"
import * as TransportError from "@codex/client/TransportError"
import * as ResponseItem from "@codex/protocol/ResponseItem"
import * as Headers from "@effect/platform/Headers"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Tracer from "effect/Tracer"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as Clock from "effect/Clock"
import { randomBytes } from "node:crypto"
import * as Http from "node:http"
import { inspect } from "node:util"
import type { AddressInfo } from "node:net"
import { listenHttp, listenSilent, listenWs, type ServerConn } from "./utils/wsServer.js"

// ---------------------------------------------------------------------------------------------
// a real `ws` server on 127.0.0.1, driven from the test
// ---------------------------------------------------------------------------------------------

const listen = (options: { upgradeHeaders?: Record<string, string>; perMessageDeflate?: boolean } = {}) =>
  Effect.map(listenWs({ perMessageDeflate: true, ...options }), (server) => ({
    ...server,
    baseUrl: `${server.origin}/v1`
  }))

const realClock = Clock.make()

const clientFor = (providerOptions: Parameters<typeof Provider.make>[0]) =>
  ResponsesWebsocket.make.pipe(
    Effect.provide(
      Layer.mergeAll(
        Provider.layer(Provider.make(providerOptions)),
        Auth.layerBearer({ token: Redacted.make("secret-token"), accountId: "acct-1" })
      )
    )
  )

/** A server and one client connection to it (`conn` is the server side). */
const connected = (
  listenOptions: Parameters<typeof listen>[0] = {},
  providerOptions: Omit<Parameters<typeof Provider.make>[0], "baseUrl"> = {}
) =>
  Effect.gen(function* () {
    const server = yield* listen(listenOptions)
    const client = yield* clientFor({ baseUrl: server.baseUrl, ...providerOptions })
    const connection = yield* client.connect()
    const conn = yield* Queue.take(server.connections)
    return { connection, conn }
  })

/** Starts a default request on `connection` and waits until the server has received it. */
const started = (connection: ResponsesWebsocket.ResponsesWebsocketConnection, conn: ServerConn) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.fork(collect(connection.streamRequest(request())))
    yield* conn.nextJson
    return fiber
  })

const request = (overrides: Partial<ResponsesWebsocket.ResponseCreateWsRequest> = {}) =>
  ({
    model: "gpt-test",
    instructions: "be brief",
    input: [],
    tools: [],
    toolChoice: "auto",
    parallelToolCalls: true,
    store: false,
    stream: true,
    include: [],
    ...overrides
  }) satisfies ResponsesWebsocket.ResponseCreateWsRequest

const message = (text: string) => ({
  type: "message",
  role: "assistant",
  content: [{ type: "output_text", text }]
})

const completed = (id: string) => ({ type: "response.completed", response: { id } })

const collect = <A, E>(stream: Stream.Stream<A, E>) =>
  Effect.map(Stream.runCollect(Stream.either(stream)), Chunk.toReadonlyArray)

const tags = (items: ReadonlyArray<Either.Either<ResponseEvent, ApiError.ApiError>>) =>
  items.map((item) => (Either.isRight(item) ? item.right._tag : `Err(${item.left.message})`))

// ---------------------------------------------------------------------------------------------
// pure parts
// ---------------------------------------------------------------------------------------------

describe("ResponsesWebsocket wrapped errors", () => {
  it("parse_wrapped_websocket_error_event_maps_to_transport_http", () => {
    const text = JSON.stringify({
      type: "error",
      status: 429,
      error: { type: "usage_limit_reached", message: "The usage limit has been reached", plan_type: "pro" },
      headers: { "x-codex-primary-used-percent": "100.0", "x-codex-primary-window-minutes": 15, "x-flag": true, x: {} }
    })
    const error = ResponsesWebsocket.parseWrappedErrorEvent(text)
    expect(error?._tag).toBe("Transport")
    const http = (error as ApiError.Transport).error as TransportError.Http
    expect(http._tag).toBe("Http")
    expect(http.status).toBe(429)
    expect(http.url).toBeUndefined()
    expect(http.header("x-codex-primary-used-percent")).toBe("100.0")
    expect(http.header("x-codex-primary-window-minutes")).toBe("15")
    expect(http.header("x-flag")).toBe("true")
    expect(http.header("x")).toBeUndefined()
    expect(http.body).toBe(text)
  })

  it("parse_wrapped_websocket_error_event_ignores_non_error_payloads", () => {
    expect(
      ResponsesWebsocket.parseWrappedErrorEvent(JSON.stringify({ type: "response.created", response: {} }))
    ).toBeUndefined()
    expect(ResponsesWebsocket.parseWrappedErrorEvent("not json")).toBeUndefined()
  })

  it("parse_wrapped_websocket_error_event_with_status_maps_invalid_request", () => {
    const text = JSON.stringify({
      type: "error",
      status_code: 400,
      error: { type: "invalid_request_error", message: "Model does not support image inputs" }
    })
    const error = ResponsesWebsocket.parseWrappedErrorEvent(text) as ApiError.Transport
    expect(error.error).toMatchObject({ _tag: "Http", status: 400, body: text })
    // the reference test's shape: `status`, and the original text as the body
    const withStatus = JSON.stringify({
      type: "error",
      status: 400,
      error: { type: "invalid_request_error", message: "Model does not support image inputs" }
    })
    const mapped = ResponsesWebsocket.parseWrappedErrorEvent(withStatus)
    expect(mapped?._tag).toBe("Transport")
    expect((mapped as ApiError.Transport).error).toMatchObject({ _tag: "Http", status: 400, body: withStatus })
  })

  it("parse_wrapped_websocket_error_event_with_connection_limit_maps_retryable", () => {
    const error = ResponsesWebsocket.parseWrappedErrorEvent(
      JSON.stringify({ type: "error", status: 400, error: { code: "websocket_connection_limit_reached" } })
    )
    expect(error).toEqual(
      new ApiError.Retryable({
        reason:
          "Responses websocket connection limit reached (60 minutes). Create a new websocket connection to continue.",
        delay: undefined
      })
    )
    expect(
      ResponsesWebsocket.parseWrappedErrorEvent(
        JSON.stringify({ type: "error", error: { code: "websocket_connection_limit_reached", message: "custom" } })
      )?.message
    ).toBe("retryable error: custom")
  })

  it("parse_wrapped_websocket_error_event_without_status_is_not_mapped", () => {
    expect(
      ResponsesWebsocket.parseWrappedErrorEvent(JSON.stringify({ type: "error", error: { message: "no status" } }))
    ).toBeUndefined()
    expect(
      ResponsesWebsocket.parseWrappedErrorEvent(JSON.stringify({ type: "error", status: 200, error: {} }))
    ).toBeUndefined()
  })
})

describe("ResponsesWebsocket codex.rate_limits", () => {
  it("maps the event to a snapshot (reset_at, limit id normalization, plan type)", () => {
    expect(
      ResponsesWebsocket.parseRateLimitsEvent({
        type: "codex.rate_limits",
        plan_type: "pro",
        rate_limits: {
          primary: { used_percent: 12.5, window_minutes: 300, reset_at: 1767225600 },
          secondary: { used_percent: 40 }
        },
        credits: { has_credits: true, unlimited: false, balance: "12.34" },
        metered_limit_name: "Codex-Other",
        limit_name: "ignored"
      })
    ).toEqual({
      limit_id: "codex_other",
      primary: { used_percent: 12.5, window_minutes: 300, resets_at: 1767225600 },
      secondary: { used_percent: 40 },
      credits: { has_credits: true, unlimited: false, balance: "12.34" },
      plan_type: "pro"
    })
    expect(
      ResponsesWebsocket.parseRateLimitsEvent({ type: "codex.rate_limits", limit_name: "x-y", plan_type: "mystery" })
    ).toEqual({ limit_id: "x_y", plan_type: "unknown" })
    expect(ResponsesWebsocket.parseRateLimitsEvent({ type: "codex.rate_limits" })).toEqual({ limit_id: "codex" })
  })

  it("any parse failure swallows the event", () => {
    const bad = [
      { rate_limits: { primary: { window_minutes: 1 } } },
      { rate_limits: { primary: { used_percent: "1" } } },
      { credits: { has_credits: true } },
      { plan_type: 3 },
      { rate_limits: [] }
    ]
    for (const extra of bad) {
      expect(ResponsesWebsocket.parseRateLimitsEvent({ type: "codex.rate_limits", ...extra })).toBeUndefined()
    }
  })
})

describe("ResponsesWebsocket codex.rate_limits bounds", () => {
  it("drops non-finite percentages and unsafe integers as the HTTP header parser does", () => {
    const event = JSON.parse(
      '{"type":"codex.rate_limits","rate_limits":{"primary":{"used_percent":1e999,"reset_at":1},' +
        '"secondary":{"used_percent":-1e999}},"credits":{"has_credits":true,"unlimited":false}}'
    )
    expect(ResponsesWebsocket.parseRateLimitsEvent(event)).toEqual({
      limit_id: "codex",
      credits: { has_credits: true, unlimited: false }
    })
    const big = JSON.parse(
      '{"type":"codex.rate_limits","rate_limits":{"primary":{"used_percent":50,' +
        '"window_minutes":1e300,"reset_at":9007199254740993}}}'
    )
    expect(ResponsesWebsocket.parseRateLimitsEvent(big)).toEqual({ limit_id: "codex", primary: { used_percent: 50 } })
  })
})

describe("ResponsesWebsocket request frame", () => {
  it("serializes response.create in the reference key order with the WS-only fields", () => {
    const item = Either.getOrThrow(
      ResponseItem.decode({ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] })
    )
    const wire = ResponsesWebsocket.toWire(
      request({
        input: [item],
        previousResponseId: "resp_prev",
        generate: false,
        promptCacheKey: "cache",
        clientMetadata: { "x-codex-window-id": "w1" }
      })
    )
    expect(Object.keys(wire)).toEqual([
      "type",
      "model",
      "instructions",
      "previous_response_id",
      "input",
      "tools",
      "tool_choice",
      "parallel_tool_calls",
      "reasoning",
      "store",
      "stream",
      "include",
      "prompt_cache_key",
      "generate",
      "client_metadata"
    ])
    expect(wire.type).toBe("response.create")
    expect(wire.previous_response_id).toBe("resp_prev")
    expect(wire.generate).toBe(false)
    expect(wire.reasoning).toBeNull()
    expect(wire.input).toEqual([{ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }])
  })

  it("the conversion from an HTTP request sets neither previous_response_id nor generate", () => {
    const http: ResponsesRequest.ResponsesApiRequest = request()
    const wire = ResponsesWebsocket.toWire(
      ResponsesWebsocket.fromApiRequest({ ...http, previousResponseId: "x", generate: true } as never)
    )
    expect(wire.previous_response_id).toBeUndefined()
    expect(wire.generate).toBeUndefined()
    expect(wire.client_metadata).toBeUndefined()
  })

  it("WS_REQUEST_HEADER_* client-metadata keys", () => {
    expect(ResponsesWebsocket.wsRequestHeaderTraceparentClientMetadataKey).toBe("ws_request_header_traceparent")
    expect(ResponsesWebsocket.wsRequestHeaderTracestateClientMetadataKey).toBe("ws_request_header_tracestate")
  })

  it("response_create_client_metadata adds the trace keys and is empty-aware", () => {
    expect(ResponsesWebsocket.responseCreateClientMetadata(undefined, undefined)).toBeUndefined()
    expect(ResponsesWebsocket.responseCreateClientMetadata({}, {})).toBeUndefined()
    expect(
      ResponsesWebsocket.responseCreateClientMetadata({ a: "1" }, { traceparent: "00-t-s-01", tracestate: "k=v" })
    ).toEqual({ a: "1", ws_request_header_traceparent: "00-t-s-01", ws_request_header_tracestate: "k=v" })
  })

  it.effect("currentTraceContext is the current span's traceparent only under a tracer of the user's", () =>
    Effect.gen(function* () {
      expect(yield* ResponsesWebsocket.currentTraceContext).toBeUndefined()
      // Effect's built-in tracer: its ids are recorded nowhere, so nothing is propagated.
      expect(yield* ResponsesWebsocket.currentTraceContext.pipe(Effect.withSpan("ws-test"))).toBeUndefined()
      const native = yield* Effect.tracer
      const userTracer = Tracer.make({ span: native.span, context: native.context })
      const [span, inSpan] = yield* Effect.all([Effect.currentSpan, ResponsesWebsocket.currentTraceContext]).pipe(
        Effect.withSpan("ws-test"),
        Effect.withTracer(userTracer)
      )
      expect(inSpan).toEqual({ traceparent: `00-${span.traceId}-${span.spanId}-01` })
    })
  )

  it("merge_request_headers_matches_http_precedence", () => {
    const merged = ResponsesWebsocket.mergeRequestHeaders(
      Headers.fromInput({ originator: "provider", "x-priority": "provider" }),
      { "x-priority": "extra" },
      { originator: "default", "x-priority": "default", "user-agent": "codex-test" }
    )
    expect(merged).toEqual(
      Headers.fromInput({ originator: "provider", "x-priority": "extra", "user-agent": "codex-test" })
    )
  })
})

// ---------------------------------------------------------------------------------------------
// against a real server
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// bad input: typed, never sent, never a defect
// ---------------------------------------------------------------------------------------------

/** The Build error of a failed connect (fails the test on anything else). */
const buildError = (error: ApiError.ApiError): TransportError.Build => {
  expect(error._tag).toBe("Transport")
  const inner = (error as ApiError.Transport).error
  expect(inner._tag).toBe("Build")
  return inner as TransportError.Build
}

const clientWith = (baseUrl: string, options: { headers?: Headers.Input; token?: string; accountId?: string }) =>
  ResponsesWebsocket.make.pipe(
    Effect.provide(
      Layer.mergeAll(
        Provider.layer(Provider.make({ baseUrl, headers: options.headers })),
        Auth.layerBearer({
          token: Redacted.make(options.token ?? "secret-token"),
          ...(options.accountId === undefined ? {} : { accountId: options.accountId })
        })
      )
    )
  )

describe("ResponsesWebsocket bad input", () => {
  it.scoped("bad base URLs are a Build error before anything is sent", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const cases: ReadonlyArray<readonly [string, RegExp]> = [
        [`${server.baseUrl}#frag`, /fragment/],
        [`http://user:pw@127.0.0.1:${server.port}/v1#frag`, /fragment/],
        [`ftp://127.0.0.1:${server.port}/v1`, /unsupported URL scheme "ftp:"/],
        ["file:///etc/passwd", /unsupported URL scheme "file:"/],
        ["javascript:alert(1)", /unsupported URL scheme "javascript:"/],
        ["mailto:someone@example.com", /unsupported URL scheme "mailto:"/],
        ["ws+unix:///tmp/socket", /unsupported URL scheme "ws\+unix:"/],
        ["http://", /no host|invalid URL/],
        ["http:///v1", /no host/]
      ]
      for (const [baseUrl, pattern] of cases) {
        const client = yield* clientFor({ baseUrl })
        for (const attempt of [
          Effect.asVoid(client.connect()),
          Effect.asVoid(client.probeHandshake({ immediateCloseTimeout: "1 millis" }))
        ]) {
          const error = yield* Effect.flip(Effect.scoped(attempt))
          expect(buildError(error).reason).toMatch(pattern)
          expect(error.message).not.toContain(":pw@")
        }
      }
      expect(yield* Queue.size(server.connections)).toBe(0)
    })
  )

  it.scoped("bad header names and values from every source are a Build error naming the header, never its value", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const secret = "s3cret-VALUE"
      const cases: ReadonlyArray<{
        readonly name: string
        readonly client: Effect.Effect<ResponsesWebsocket.Service>
        readonly options?: ResponsesWebsocket.ConnectOptions
      }> = [
        {
          name: "x-extra",
          client: clientWith(server.baseUrl, {}),
          options: { extraHeaders: { "x-extra": `${secret}\r\nx-injected: 1` } }
        },
        {
          name: "bad name",
          client: clientWith(server.baseUrl, {}),
          options: { extraHeaders: { "bad name": secret } }
        },
        {
          name: "x-default",
          client: clientWith(server.baseUrl, {}),
          options: { defaultHeaders: { "x-default": `${secret}\u0000` } }
        },
        {
          name: "openai-organization",
          client: clientWith(server.baseUrl, { headers: { "OpenAI-Organization": `${secret}\n` } })
        },
        { name: "authorization", client: clientWith(server.baseUrl, { token: `${secret}\u20ac` }) },
        { name: "chatgpt-account-id", client: clientWith(server.baseUrl, { accountId: `${secret}\r` }) },
        {
          name: "session-id",
          client: clientWith(server.baseUrl, {}),
          options: { extraHeaders: ResponsesRequest.buildHeaders({ sessionId: `${secret}\n` }) }
        },
        {
          name: "thread-id",
          client: clientWith(server.baseUrl, {}),
          options: { extraHeaders: { "thread-id": `${secret}\u{1F600}` } }
        }
      ]
      for (const { name, client, options } of cases) {
        const error = yield* Effect.flip(Effect.flatMap(client, (c) => c.connect(options)))
        const build = buildError(error)
        expect(build.reason).toContain(JSON.stringify(name))
        for (const rendered of [error.message, JSON.stringify(error), String(error), inspect(error, { depth: 10 })]) {
          expect(rendered).not.toContain(secret)
        }
      }
      expect(yield* Queue.size(server.connections)).toBe(0)
    })
  )
})

describe("ResponsesWebsocket e2e", () => {
  it.scoped("websocket_config_enables_permessage_deflate, URL, headers and upgrade headers", () =>
    Effect.gen(function* () {
      const server = yield* listen({
        upgradeHeaders: {
          "openai-model": "gpt-served",
          "x-models-etag": "etag-1",
          "x-reasoning-included": "true",
          "x-codex-turn-state": "turn-1"
        }
      })
      const client = yield* clientFor({
        baseUrl: server.baseUrl,
        queryParams: { "api-version": "1" },
        headers: { originator: "provider", authorization: "Bearer provider" }
      })
      const turnState = yield* Ref.make(Option.none<string>())
      const connection = yield* client.connect({
        extraHeaders: { "x-priority": "extra", authorization: "Bearer extra" },
        defaultHeaders: { originator: "default", "user-agent": "codex-test" },
        turnState
      })
      const conn = yield* Queue.take(server.connections)
      expect(conn.request.url).toBe("/v1/responses?api-version=1")
      expect(connection.url).toBe(`ws://127.0.0.1:${server.port}/v1/responses?api-version=1`)
      expect(ResponsesWebsocket.perMessageDeflate).toBe(true)
      expect(conn.request.headers["sec-websocket-extensions"]).toContain("permessage-deflate")
      expect(conn.socket.extensions).toContain("permessage-deflate")
      expect(conn.request.headers.authorization).toBe("Bearer secret-token")
      expect(conn.request.headers["chatgpt-account-id"]).toBe("acct-1")
      expect(conn.request.headers.originator).toBe("provider")
      expect(conn.request.headers["x-priority"]).toBe("extra")
      expect(conn.request.headers["user-agent"]).toBe("codex-test")
      expect(connection.serverModel).toBe("gpt-served")
      expect(connection.modelsEtag).toBe("etag-1")
      expect(connection.reasoningIncluded).toBe(true)
      expect(yield* Ref.get(turnState)).toEqual(Option.some("turn-1"))

      // First value wins for the turn state.
      const kept = yield* Ref.make(Option.some("earlier"))
      yield* client.connect({ turnState: kept })
      expect(yield* Ref.get(kept)).toEqual(Option.some("earlier"))
    })
  )

  it.scoped("a rejected handshake maps to Transport(Http) with url, headers and body", () =>
    Effect.gen(function* () {
      const http = yield* listenHttp((_req, res) => {
        res.writeHead(426, { "x-request-id": "req-426" })
        res.end("upgrade required")
      })
      const { port } = http.address() as AddressInfo
      const client = yield* clientFor({ baseUrl: `http://127.0.0.1:${port}/v1` })
      const error = yield* Effect.flip(client.connect())
      expect(error._tag).toBe("Transport")
      const inner = (error as ApiError.Transport).error as TransportError.Http
      expect(inner).toMatchObject({ _tag: "Http", status: 426, body: "upgrade required" })
      expect(inner.url).toBe(`ws://127.0.0.1:${port}/v1/responses`)
      expect(inner.header("x-request-id")).toBe("req-426")
    })
  )

  it.scoped("connect can be interrupted while the handshake is pending, and releases the socket", () =>
    Effect.gen(function* () {
      const upgradeSeen = yield* Deferred.make<void>()
      const socketClosed = yield* Deferred.make<void>()
      // Accepts the upgrade request and never answers it.
      const http = yield* listenHttp((req) => {
        req.socket.on("close", () => Deferred.unsafeDone(socketClosed, Exit.void))
        Deferred.unsafeDone(upgradeSeen, Exit.void)
      })
      const { port } = http.address() as AddressInfo
      const client = yield* clientFor({ baseUrl: `http://127.0.0.1:${port}/v1` })
      const fiber = yield* Effect.fork(Effect.scoped(client.connect()))
      yield* Deferred.await(upgradeSeen)
      yield* Fiber.interruptFork(fiber)
      for (let i = 0; i < 20; i++) yield* Effect.yieldNow()
      expect(Option.isSome(yield* Fiber.poll(fiber))).toBe(true)
      yield* Deferred.await(socketClosed)
    })
  )

  it.scoped("connect fails with Transport(Timeout) when the upgrade is never answered, and drops the socket", () =>
    Effect.gen(function* () {
      const server = yield* listenSilent
      const client = yield* clientFor({ baseUrl: `${server.origin}/v1`, websocketConnectTimeout: "200 millis" })
      const fiber = yield* Effect.fork(Effect.flip(client.connect()))
      const conn = yield* Queue.take(server.connections)
      expect(yield* Deferred.await(conn.received)).toMatch(/^GET \/v1\/responses HTTP\/1\.1\r\n/)
      yield* TestClock.adjust("199 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 millis")
      const error = yield* Fiber.join(fiber)
      expect(error).toEqual(ApiError.fromTransport(new TransportError.Timeout()))
      yield* Deferred.await(conn.closed)
    })
  )

  it.scoped("the default connect timeout is 15 seconds", () =>
    Effect.gen(function* () {
      const server = yield* listenSilent
      const client = yield* clientFor({ baseUrl: `${server.origin}/v1` })
      const fiber = yield* Effect.fork(Effect.flip(client.probeHandshake({ immediateCloseTimeout: "1 millis" })))
      const conn = yield* Queue.take(server.connections)
      yield* Deferred.await(conn.received)
      yield* TestClock.adjust("14999 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 millis")
      expect((yield* Fiber.join(fiber)).message).toBe("timeout")
      yield* Deferred.await(conn.closed)
    })
  )

  it.scoped("a refused connection maps to Transport(Network); a bad URL to Stream", () =>
    Effect.gen(function* () {
      const port = yield* Effect.async<number>((resume) => {
        const probe = Http.createServer()
        probe.listen(0, "127.0.0.1", () => {
          const { port } = probe.address() as AddressInfo
          probe.close(() => resume(Effect.succeed(port)))
        })
      })
      const client = yield* clientFor({ baseUrl: `http://127.0.0.1:${port}/v1` })
      const error = yield* Effect.flip(client.connect())
      expect(error._tag).toBe("Transport")
      expect((error as ApiError.Transport).error._tag).toBe("Network")
      const bad = yield* clientFor({ baseUrl: "not a url" })
      const urlError = yield* Effect.flip(bad.connect())
      expect(urlError.message).toMatch(/^stream error: failed to build websocket URL: /)
    })
  )

  it.scoped("streams a response, emits connection events on every request, and reuses the connection", () =>
    Effect.gen(function* () {
      const { connection, conn } = yield* connected({
        upgradeHeaders: { "openai-model": "gpt-served", "x-models-etag": "e1" }
      })

      const first = yield* Effect.fork(collect(connection.streamRequest(request({ generate: false }))))
      const frame = yield* conn.nextJson
      expect(frame.type).toBe("response.create")
      expect(frame.model).toBe("gpt-test")
      expect(frame.generate).toBe(false)
      yield* conn.sendJson({ type: "response.created", response: {} })
      yield* conn.sendJson({ type: "response.output_item.done", item: message("hello") })
      yield* conn.sendJson(completed("resp1"))
      const events = yield* Fiber.join(first)
      expect(tags(events)).toEqual(["ServerModel", "ModelsEtag", "Created", "OutputItemDone", "Completed"])
      expect(events[4]).toEqual(Either.right(ResponseEvent.Completed({ responseId: "resp1" })))
      expect(connection.isClosed()).toBe(false)

      const second = yield* Effect.fork(
        collect(connection.streamRequest(request({ previousResponseId: "resp1" }), true))
      )
      expect((yield* conn.nextJson).previous_response_id).toBe("resp1")
      yield* conn.sendJson(completed("resp2"))
      expect(tags(yield* Fiber.join(second))).toEqual(["ServerModel", "ModelsEtag", "Completed"])
    })
  )

  it.scoped("requests on one connection are strictly sequential", () =>
    Effect.gen(function* () {
      const { connection, conn } = yield* connected()
      const a = yield* Effect.fork(collect(connection.streamRequest(request({ model: "a" }))))
      expect((yield* conn.nextJson).model).toBe("a")
      const b = yield* Effect.fork(collect(connection.streamRequest(request({ model: "b" }))))
      // Give b every chance to send early: it must not while a is running.
      for (let i = 0; i < 20; i++) yield* Effect.yieldNow()
      yield* conn.sendJson({ type: "response.created", response: {} })
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 20)))
      expect(yield* Queue.size(conn.received)).toBe(0)
      yield* conn.sendJson(completed("ra"))
      expect(tags(yield* Fiber.join(a))).toEqual(["Created", "Completed"])
      expect((yield* conn.nextJson).model).toBe("b")
      yield* conn.sendJson(completed("rb"))
      expect(tags(yield* Fiber.join(b))).toEqual(["Completed"])
    })
  )

  it.scoped("a request waiting for its turn can be interrupted and takes no turn", () =>
    Effect.gen(function* () {
      const { connection, conn } = yield* connected()
      const a = yield* Effect.fork(collect(connection.streamRequest(request({ model: "a" }))))
      expect((yield* conn.nextJson).model).toBe("a")
      const b = yield* Effect.fork(collect(connection.streamRequest(request({ model: "b" }))))
      for (let i = 0; i < 20; i++) yield* Effect.yieldNow()
      // b waits for a's turn; interrupting it must not wait for a to finish.
      yield* Fiber.interruptFork(b)
      for (let i = 0; i < 20; i++) yield* Effect.yieldNow()
      expect(Option.isSome(yield* Fiber.poll(b))).toBe(true)
      yield* conn.sendJson(completed("ra"))
      expect(tags(yield* Fiber.join(a))).toEqual(["Completed"])
      // The interrupted request neither sent its frame nor kept a turn: the next request runs.
      const c = yield* Effect.fork(collect(connection.streamRequest(request({ model: "c" }))))
      expect((yield* conn.nextJson).model).toBe("c")
      yield* conn.sendJson(completed("rc"))
      expect(tags(yield* Fiber.join(c))).toEqual(["Completed"])
      expect(connection.isClosed()).toBe(false)
    })
  )

  it.scoped("wrapped error frames fail the request and drop the connection (reported closed afterwards)", () =>
    Effect.gen(function* () {
      const { connection, conn } = yield* connected()
      const fiber = yield* started(connection, conn)
      // A wrapped error without status is ignored; the 429 one ends the request.
      yield* conn.sendJson({ type: "error", error: { message: "informational" } })
      yield* conn.sendJson({ type: "error", status: 429, error: { type: "usage_limit_reached" } })
      const events = yield* Fiber.join(fiber)
      expect(events).toHaveLength(1)
      const error = Either.getLeft(events[0]!).pipe(Option.getOrThrow) as ApiError.Transport
      expect(error.error).toMatchObject({ _tag: "Http", status: 429 })
      expect(yield* Deferred.await(conn.closed)).toBe(1006)
      expect(connection.isClosed()).toBe(true)
      expect(tags(yield* collect(connection.streamRequest(request())))).toEqual([
        "Err(stream error: websocket connection is closed)"
      ])
    })
  )

  it.scoped("connection limit frames become Retryable", () =>
    Effect.gen(function* () {
      const { connection, conn } = yield* connected()
      const fiber = yield* started(connection, conn)
      yield* conn.sendJson({ type: "error", error: { code: "websocket_connection_limit_reached" } })
      expect(tags(yield* Fiber.join(fiber))).toEqual([
        `Err(retryable error: ${ResponsesWebsocket.connectionLimitMessage})`
      ])
    })
  )

  it.scoped("codex.rate_limits frames become RateLimits events; unparseable ones are swallowed", () =>
    Effect.gen(function* () {
      const { connection, conn } = yield* connected()
      const fiber = yield* started(connection, conn)
      yield* conn.sendJson({
        type: "codex.rate_limits",
        rate_limits: { primary: { used_percent: 12.5, window_minutes: 300, reset_at: 1767225600 } }
      })
      yield* conn.sendJson({ type: "codex.rate_limits", credits: { has_credits: "yes" } })
      yield* conn.sendJson(completed("r"))
      const events = yield* Fiber.join(fiber)
      expect(tags(events)).toEqual(["RateLimits", "Completed"])
      expect(events[0]).toEqual(
        Either.right(
          ResponseEvent.RateLimits({
            snapshot: { limit_id: "codex", primary: { used_percent: 12.5, window_minutes: 300, resets_at: 1767225600 } }
          })
        )
      )
    })
  )

  it.scoped("codex.rate_limits frames never carry Infinity or unsafe integers over the wire", () =>
    Effect.gen(function* () {
      const { connection, conn } = yield* connected()
      const fiber = yield* started(connection, conn)
      // Raw text: JSON.stringify cannot write these numbers, a server can.
      conn.socket.send(
        '{"type":"codex.rate_limits","rate_limits":{"primary":{"used_percent":1e999,"window_minutes":60},' +
          '"secondary":{"used_percent":25,"window_minutes":60,"reset_at":1e400}}}'
      )
      conn.socket.send(
        '{"type":"codex.rate_limits","metered_limit_name":"other","rate_limits":{"primary":{"used_percent":5,' +
          '"reset_at":123456789012345678901234567890}}}'
      )
      yield* conn.sendJson(completed("r"))
      const events = yield* Fiber.join(fiber)
      expect(tags(events)).toEqual(["RateLimits", "RateLimits", "Completed"])
      const snapshots = events.flatMap((item) =>
        Either.isRight(item) && item.right._tag === "RateLimits" ? [item.right.snapshot] : []
      )
      expect(snapshots).toEqual([
        { limit_id: "codex", secondary: { used_percent: 25, window_minutes: 60 } },
        { limit_id: "other", primary: { used_percent: 5 } }
      ])
      expect(JSON.stringify(snapshots)).not.toMatch(/null|Infinity/)
    })
  )

  it.scoped(
    "a request that cannot be serialised is a Build error; nothing is sent and the connection stays usable",
    () =>
      Effect.gen(function* () {
        const { connection, conn } = yield* connected()
        const cyclic: Record<string, unknown> = { type: "function" }
        cyclic.self = cyclic
        for (const tools of [[{ type: "function", max: 1n }], [cyclic]]) {
          const items = yield* collect(connection.streamRequest(request({ tools })))
          expect(items).toHaveLength(1)
          const error = Either.getLeft(items[0]!).pipe(Option.getOrThrow)
          expect(error._tag).toBe("Transport")
          const inner = (error as ApiError.Transport).error
          expect(inner._tag).toBe("Build")
          expect(inner.message).toMatch(/^request build error: failed to serialize JSON body: TypeError: /)
          expect(connection.isClosed()).toBe(false)
        }
        expect(Option.isNone(yield* Queue.poll(conn.received))).toBe(true)
        const fiber = yield* started(connection, conn)
        yield* conn.sendJson(completed("after"))
        expect(tags(yield* Fiber.join(fiber))).toEqual(["Completed"])
      })
  )

  it.scoped("response.failed is returned immediately (no wait for close or timeout)", () =>
    Effect.gen(function* () {
      const { connection, conn } = yield* connected()
      const fiber = yield* started(connection, conn)
      yield* conn.sendJson({ type: "response.created", response: {} })
      yield* conn.sendJson({
        type: "response.failed",
        response: { error: { code: "context_length_exceeded", message: "too long" } }
      })
      expect(tags(yield* Fiber.join(fiber))).toEqual(["Created", "Err(context window exceeded)"])
      expect(connection.isClosed()).toBe(true)
    })
  )

  const terminalCases: ReadonlyArray<readonly [string, (conn: ServerConn) => void, string]> = [
    [
      "binary frame",
      (conn) => conn.socket.send(Buffer.from([1, 2])),
      "stream error: unexpected binary websocket event"
    ],
    [
      "close frame",
      (conn) => conn.socket.close(1000, "done"),
      "stream error: websocket closed by server before response.completed"
    ],
    [
      "end of stream",
      // End the TCP stream after the pending bytes, without a Close frame.
      (conn) => (conn.socket as unknown as { _socket: { end: () => void } })._socket.end(),
      "stream error: stream closed before response.completed"
    ]
  ]
  for (const [name, act, message] of terminalCases) {
    it.scoped(`${name} before response.completed fails with '${message}'`, () =>
      Effect.gen(function* () {
        const { connection, conn } = yield* connected()
        const fiber = yield* started(connection, conn)
        // Act once the frame is flushed (the server compresses asynchronously).
        conn.socket.send(JSON.stringify({ type: "response.created", response: {} }), () => act(conn))
        expect(tags(yield* Fiber.join(fiber))).toEqual(["Created", `Err(${message})`])
        expect(connection.isClosed()).toBe(true)
      })
    )
  }

  it.scoped("idle timeout waiting for websocket; answered pings do not reset it", () =>
    Effect.gen(function* () {
      const { connection, conn } = yield* connected({}, { streamIdleTimeout: "1000 millis" })
      const seen = yield* Queue.unbounded<string>()
      const fiber = yield* Effect.fork(
        Stream.runForEach(connection.streamRequest(request()), (event) => Queue.offer(seen, event._tag)).pipe(
          Effect.flip
        )
      )
      yield* conn.nextJson
      yield* conn.sendJson({ type: "response.created", response: {} })
      expect(yield* Queue.take(seen)).toBe("Created")
      // Wait until the read of the next frame has armed its timer.
      while ((yield* TestClock.sleeps()).length === 0) yield* Effect.sleep(1).pipe(Effect.withClock(realClock))
      yield* TestClock.adjust("600 millis")
      conn.socket.ping()
      yield* Queue.take(conn.pongs)
      yield* TestClock.adjust("500 millis")
      const error = yield* Fiber.join(fiber)
      expect(error).toEqual(ApiError.stream("idle timeout waiting for websocket"))
      expect(yield* Deferred.await(conn.closed)).toBe(1006)
    })
  )

  it.scoped("the request send is bounded by the idle timeout", () =>
    Effect.gen(function* () {
      const { connection, conn } = yield* connected({ perMessageDeflate: false }, { streamIdleTimeout: "1000 millis" })
      // The server stops reading: a frame larger than the socket buffers cannot be flushed.
      ;(conn.socket as unknown as { _socket: { pause: () => void } })._socket.pause()
      const big = randomBytes(12 * 1024 * 1024).toString("base64")
      const fiber = yield* Effect.fork(collect(connection.streamRequest(request({ instructions: big }))))
      while ((yield* TestClock.sleeps()).length === 0) yield* Effect.sleep(1).pipe(Effect.withClock(realClock))
      yield* TestClock.adjust("1001 millis")
      expect(tags(yield* Fiber.join(fiber))).toEqual(["Err(stream error: idle timeout sending websocket request)"])
      expect(connection.isClosed()).toBe(true)
    })
  )

  it.scoped("stopping a response stream early drops the connection (server sees the close)", () =>
    Effect.gen(function* () {
      const { connection, conn } = yield* connected()
      const fiber = yield* Effect.fork(Stream.runCollect(Stream.take(connection.streamRequest(request()), 1)))
      yield* conn.nextJson
      yield* conn.sendJson({ type: "response.created", response: {} })
      expect(Chunk.size(yield* Fiber.join(fiber))).toBe(1)
      expect(yield* Deferred.await(conn.closed)).toBe(1006)
      expect(connection.isClosed()).toBe(true)
    })
  )

  it.effect("interrupting a pending request and closing the scope end the socket", () =>
    Effect.gen(function* () {
      const outer = yield* Scope.make()
      const server = yield* Scope.extend(listen(), outer)
      const client = yield* clientFor({ baseUrl: server.baseUrl })
      const scope = yield* Scope.make()
      const connection = yield* Scope.extend(client.connect(), scope)
      const conn = yield* Queue.take(server.connections)
      const fiber = yield* started(connection, conn)
      yield* Fiber.interrupt(fiber)
      expect(yield* Deferred.await(conn.closed)).toBe(1006)

      const second = yield* Scope.extend(client.connect(), scope)
      const conn2 = yield* Queue.take(server.connections)
      yield* Scope.close(scope, Exit.void)
      expect(yield* Deferred.await(conn2.closed)).toBe(1006)
      expect(second.isClosed()).toBe(true)
      yield* Scope.close(outer, Exit.void)
    })
  )

  it.scoped("probeHandshake reports the upgrade and an immediate close", () =>
    Effect.gen(function* () {
      const server = yield* listen({ upgradeHeaders: { "x-reasoning-included": "true", "openai-model": "m" } })
      const client = yield* clientFor({ baseUrl: server.baseUrl })
      const probing = yield* Effect.fork(client.probeHandshake({ immediateCloseTimeout: "500 millis" }))
      const conn = yield* Queue.take(server.connections)
      conn.socket.close(4001, "connection limit")
      expect(yield* Fiber.join(probing)).toEqual({
        url: `ws://127.0.0.1:${server.port}/v1/responses`,
        status: 101,
        reasoningIncluded: true,
        modelsEtagPresent: false,
        serverModelPresent: true,
        immediateClose: { code: "4001", reason: "connection limit" }
      })

      const quiet = yield* Effect.fork(client.probeHandshake({ immediateCloseTimeout: "500 millis" }))
      const conn2 = yield* Queue.take(server.connections)
      yield* TestClock.adjust("500 millis")
      const result = yield* Fiber.join(quiet)
      expect(result.immediateClose).toBeUndefined()
      expect(yield* Deferred.await(conn2.closed)).toBeGreaterThan(0)
    })
  )
})
