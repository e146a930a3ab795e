/**
 * The Responses API over WebSocket: several turns on one connection, one request at a time.
 *
 * `connect` opens `provider.websocketUrlForPath("responses")` with permessage-deflate, remembering
 * the upgrade-response headers. Each `streamRequest` sends one `response.create` frame and streams
 * the decoded events until `response.completed`; requests on one connection run strictly one after
 * the other. Any error (and any early stop or interruption of a response stream) drops the
 * connection: later requests fail with "websocket connection is closed" and reconnecting is the
 * caller's job. Closing the scope of `connect` drops the socket. The handshake is bounded by the
 * provider's `websocketConnectTimeout` (default 15 s): a server that never answers the upgrade fails
 * `connect` with `Transport(Timeout)` and the socket is dropped. What cannot go on the wire fails
 * `connect` with `Transport(Build)` before anything is sent: a base URL that is not http(s)/ws(s),
 * has no host or has a `#fragment`, and a header name or value (from the provider, the options or
 * auth) that is not a token / has CR, LF, NUL or a non-Latin-1 character; the message names the
 * header, never its value. URLs are shown with their credentials (`user:password@`) redacted.
 *
 * The socket is `ws` wrapped as a scoped resource (see `internal/websocket.ts` for why not
 * `@effect/platform`'s `Socket`).
 *
 * @since 0.1.0
 */
import * as IdleTimeout from "@codex/client/IdleTimeout"
import * as Request from "@codex/client/Request"
import * as ClientTraceContext from "@codex/client/TraceContext"
import * as TransportError from "@codex/client/TransportError"
import * as RateLimitsProtocol from "@codex/protocol/RateLimits"
import * as Headers from "@effect/platform/Headers"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as ApiError from "./ApiError.js"
import type { AuthError } from "./Auth.js"
import { AuthProvider } from "./Auth.js"
import { authErrorToTransport } from "./internal/endpointSession.js"
import { fillMissing, mergeReplace } from "./internal/headers.js"
import { isObject, makeProcessor, Outcome } from "./internal/responsesEvents.js"
import { type WaitState, watchdog } from "./internal/responsesSse.js"
import * as Ws from "./internal/websocket.js"
import * as Provider from "./Provider.js"
import * as RateLimits from "./RateLimits.js"
import { ResponseEvent } from "./ResponseEvent.js"
import * as ResponsesRequest from "./ResponsesRequest.js"
import * as WebsocketTelemetry from "./WebsocketTelemetry.js"

// ---------------------------------------------------------------------------------------------
// request
// ---------------------------------------------------------------------------------------------

/**
 * The `response.create` request: the HTTP request plus the WebSocket-only fields.
 *
 * @since 0.1.0
 * @category models
 */
export interface ResponseCreateWsRequest extends ResponsesRequest.ResponsesApiRequest {
  /** Continue from this response (only the new input items are sent). Omitted when absent. */
  readonly previousResponseId?: string | undefined
  /** `false` opens the response without inference (prewarm). Omitted when absent. */
  readonly generate?: boolean | undefined
}

/**
 * The WebSocket request for an HTTP request: every field copied, no previous response, no
 * `generate`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromApiRequest = (request: ResponsesRequest.ResponsesApiRequest): ResponseCreateWsRequest => {
  const { previousResponseId: _p, generate: _g, ...rest } = request as ResponseCreateWsRequest
  return rest
}

/**
 * The `response.create` frame JSON, keys in the order the Codex CLI writes them.
 *
 * @since 0.1.0
 * @category encoding
 */
export const toWire = (request: ResponseCreateWsRequest): Record<string, unknown> => {
  const body = ResponsesRequest.toWire(request)
  const out: Record<string, unknown> = { type: "response.create" }
  for (const [key, value] of Object.entries(body)) {
    if (key === "client_metadata") continue
    if (key === "input" && request.previousResponseId !== undefined) {
      out.previous_response_id = request.previousResponseId
    }
    out[key] = value
  }
  if (request.generate !== undefined) out.generate = request.generate
  if (body.client_metadata !== undefined) out.client_metadata = body.client_metadata
  return out
}

/**
 * W3C trace context values carried in `client_metadata` (WebSocket requests have no per-request
 * headers).
 *
 * @since 0.1.0
 * @category models
 */
export interface TraceContext {
  readonly traceparent?: string | undefined
  readonly tracestate?: string | undefined
}

/**
 * The `client_metadata` key that carries the W3C `traceparent` of a WebSocket request (which has
 * no per-request HTTP headers).
 *
 * @since 0.1.0
 * @category constants
 */
export const wsRequestHeaderTraceparentClientMetadataKey = "ws_request_header_traceparent"

/**
 * The `client_metadata` key that carries the W3C `tracestate` of a WebSocket request.
 *
 * @since 0.1.0
 * @category constants
 */
export const wsRequestHeaderTracestateClientMetadataKey = "ws_request_header_tracestate"

/**
 * `response_create_client_metadata`: `existing` plus {@link wsRequestHeaderTraceparentClientMetadataKey} /
 * {@link wsRequestHeaderTracestateClientMetadataKey}; `undefined` when the result is empty.
 *
 * @since 0.1.0
 * @category encoding
 */
export const responseCreateClientMetadata = (
  existing: Readonly<Record<string, string>> | undefined,
  trace: TraceContext | undefined
): Record<string, string> | undefined => {
  const out: Record<string, string> = { ...existing }
  if (trace?.traceparent !== undefined) out[wsRequestHeaderTraceparentClientMetadataKey] = trace.traceparent
  if (trace?.tracestate !== undefined) out[wsRequestHeaderTracestateClientMetadataKey] = trace.tracestate
  return Object.keys(out).length === 0 ? undefined : out
}

/**
 * The trace context to propagate (`traceparent` only), if tracing is on: see
 * `TraceContext.currentTraceparent` of `@codex/client`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const currentTraceContext: Effect.Effect<TraceContext | undefined> = Effect.map(
  ClientTraceContext.currentTraceparent,
  (traceparent) => (Option.isNone(traceparent) ? undefined : { traceparent: traceparent.value })
)

// ---------------------------------------------------------------------------------------------
// inbound decoding
// ---------------------------------------------------------------------------------------------

/**
 * The default message of a `websocket_connection_limit_reached` error.
 *
 * @since 0.1.0
 * @category constants
 */
export const connectionLimitMessage =
  "Responses websocket connection limit reached (60 minutes). Create a new websocket connection to continue."

const jsonHeaders = (value: unknown): Headers.Headers | undefined => {
  if (!isObject(value)) return undefined
  const out: Record<string, string> = {}
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === "string") out[name] = v
    else if (typeof v === "number" || typeof v === "boolean") out[name] = String(v)
  }
  return Headers.fromInput(out)
}

/**
 * A wrapped error frame `{"type":"error","status":…,"error":{…},"headers":{…}}` as an error, or
 * `undefined` when the frame is not one (or has no non-2xx status and is not a connection limit).
 *
 * @since 0.1.0
 * @category decoding
 */
export const parseWrappedErrorEvent = (text: string, parsed?: unknown): ApiError.ApiError | undefined => {
  let value = parsed
  if (value === undefined) {
    try {
      value = JSON.parse(text)
    } catch {
      return undefined
    }
  }
  if (!isObject(value) || value.type !== "error") return undefined
  const error = isObject(value.error) ? value.error : undefined
  if (error?.code === "websocket_connection_limit_reached") {
    const message = typeof error.message === "string" ? error.message : connectionLimitMessage
    return new ApiError.Retryable({ reason: message, delay: undefined })
  }
  const status = value.status ?? value.status_code
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 999) return undefined
  if (status >= 200 && status < 300) return undefined
  return ApiError.fromTransport(
    new TransportError.Http({ status, url: undefined, headers: jsonHeaders(value.headers), body: text })
  )
}

/** A whole number, or one too large to tell (non-finite): anything but a fraction or a non-number. */
const isWholeOrHuge = (value: unknown): boolean =>
  typeof value === "number" && (Number.isInteger(value) || !Number.isFinite(value))

/**
 * A window: `null` when it does not parse (the event is swallowed). Values JSON parses but the HTTP
 * header parser rejects are treated as that parser does: a non-finite `used_percent` (`1e999` parses
 * to `Infinity`) leaves no window, a `window_minutes` / `reset_at` beyond a safe integer is absent.
 */
const parseWindow = (value: unknown): RateLimits.RateLimitWindow | undefined | null => {
  if (value === undefined || value === null) return undefined
  if (!isObject(value) || typeof value.used_percent !== "number") return null
  const windowMinutes = value.window_minutes
  const resetAt = value.reset_at
  if (windowMinutes != null && !isWholeOrHuge(windowMinutes)) return null
  if (resetAt != null && !isWholeOrHuge(resetAt)) return null
  if (!Number.isFinite(value.used_percent)) return undefined
  const window: { used_percent: number; window_minutes?: number; resets_at?: number } = {
    used_percent: value.used_percent
  }
  if (Number.isSafeInteger(windowMinutes)) window.window_minutes = windowMinutes as number
  if (Number.isSafeInteger(resetAt)) window.resets_at = resetAt as number
  return window
}

const optionalString = (value: unknown): string | undefined | null =>
  value === undefined || value === null ? undefined : typeof value === "string" ? value : null

/**
 * A `codex.rate_limits` event as a snapshot; `undefined` when any field fails to parse. Numbers are
 * bounded as in the HTTP headers: a window whose `used_percent` is not finite is left out, and a
 * `window_minutes` / `reset_at` that is not a safe integer is absent (never `Infinity`).
 *
 * @since 0.1.0
 * @category decoding
 */
export const parseRateLimitsEvent = (event: Record<string, unknown>): RateLimits.RateLimitSnapshot | undefined => {
  const planType = optionalString(event.plan_type)
  const metered = optionalString(event.metered_limit_name)
  const limitName = optionalString(event.limit_name)
  if (planType === null || metered === null || limitName === null) return undefined
  let primary: RateLimits.RateLimitWindow | undefined
  let secondary: RateLimits.RateLimitWindow | undefined
  const limits = event.rate_limits
  if (limits !== undefined && limits !== null) {
    if (!isObject(limits)) return undefined
    const p = parseWindow(limits.primary)
    const s = parseWindow(limits.secondary)
    if (p === null || s === null) return undefined
    primary = p
    secondary = s
  }
  let credits: RateLimits.CreditsSnapshot | undefined
  const c = event.credits
  if (c !== undefined && c !== null) {
    if (!isObject(c) || typeof c.has_credits !== "boolean" || typeof c.unlimited !== "boolean") return undefined
    const balance = optionalString(c.balance)
    if (balance === null) return undefined
    credits =
      balance === undefined
        ? { has_credits: c.has_credits, unlimited: c.unlimited }
        : { has_credits: c.has_credits, unlimited: c.unlimited, balance }
  }
  const rawId = metered ?? limitName
  const snapshot: {
    -readonly [K in keyof RateLimits.RateLimitSnapshot]: RateLimits.RateLimitSnapshot[K]
  } = { limit_id: rawId === undefined ? RateLimits.defaultLimitId : RateLimits.normalizeLimitId(rawId) }
  if (primary !== undefined) snapshot.primary = primary
  if (secondary !== undefined) snapshot.secondary = secondary
  if (credits !== undefined) snapshot.credits = credits
  if (planType !== undefined) snapshot.plan_type = RateLimitsProtocol.parseAccountPlanType(planType)
  return snapshot
}

// ---------------------------------------------------------------------------------------------
// service
// ---------------------------------------------------------------------------------------------

/**
 * An open Responses WebSocket.
 *
 * @since 0.1.0
 * @category models
 */
export interface ResponsesWebsocketConnection {
  /** The socket URL, credentials (`user:password@`) redacted. */
  readonly url: string
  /** `openai-model` of the upgrade response. */
  readonly serverModel: string | undefined
  /** `x-models-etag` of the upgrade response. */
  readonly modelsEtag: string | undefined
  /** Whether the upgrade response carried `x-reasoning-included`. */
  readonly reasoningIncluded: boolean
  /**
   * Sends `request` and streams its events; the connection-level events (`ServerModel`,
   * `ModelsEtag`, `ServerReasoningIncluded`) come first on every request. `connectionReused` is
   * informational (reported to telemetry).
   */
  readonly streamRequest: (
    request: ResponseCreateWsRequest,
    connectionReused?: boolean
  ) => Stream.Stream<ResponseEvent, ApiError.ApiError>
  /** True once an error dropped the connection or the socket is no longer open. */
  readonly isClosed: () => boolean
  /** Drops the connection now. */
  readonly close: Effect.Effect<void>
}

/**
 * Options for {@link Service.connect}: extra and default headers of the WebSocket handshake, and
 * where to keep the server's turn state.
 *
 * @since 0.1.0
 * @category models
 */
export interface ConnectOptions {
  /** Replace provider headers of the same name. */
  readonly extraHeaders?: Headers.Input | undefined
  /** Only fill names still missing after the extras (e.g. `originator`, `user-agent`). */
  readonly defaultHeaders?: Headers.Input | undefined
  /** Set from `x-codex-turn-state` of the upgrade response when still empty. */
  readonly turnState?: Ref.Ref<Option.Option<string>> | undefined
}

/**
 * Result of {@link Service.probeHandshake}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ProbeResult {
  readonly url: string
  readonly status: number
  readonly reasoningIncluded: boolean
  readonly modelsEtagPresent: boolean
  readonly serverModelPresent: boolean
  /** Present when the first message was a Close frame with a payload. */
  readonly immediateClose?: { readonly code: string; readonly reason: string } | undefined
}

/**
 * The Responses-over-WebSocket client: `connect` opens a connection on which you stream several
 * turns, one request at a time.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly connect: (
    options?: ConnectOptions
  ) => Effect.Effect<ResponsesWebsocketConnection, ApiError.ApiError, Scope.Scope>
  /** Handshake only: waits up to `immediateCloseTimeout` for a first message, then closes. */
  readonly probeHandshake: (
    options: Omit<ConnectOptions, "turnState"> & { readonly immediateCloseTimeout: Duration.DurationInput }
  ) => Effect.Effect<ProbeResult, ApiError.ApiError>
}

/**
 * The Responses-over-WebSocket client's service tag; provide it with {@link layer}.
 *
 * @since 0.1.0
 * @category tags
 */
export class ResponsesWebsocketClient extends Context.Tag("@codex/api/ResponsesWebsocketClient")<
  ResponsesWebsocketClient,
  Service
>() {}

/**
 * permessage-deflate is enabled for the Responses socket (default parameters).
 *
 * @since 0.1.0
 * @category constants
 */
export const perMessageDeflate = true

const authError = (error: AuthError): ApiError.ApiError => ApiError.fromTransport(authErrorToTransport(error))

const handshakeError = (url: string, error: Ws.HandshakeError): ApiError.ApiError => {
  switch (error._tag) {
    case "Rejected":
      return ApiError.fromTransport(
        new TransportError.Http({ status: error.status, url, headers: error.headers, body: error.body })
      )
    case "Closed":
      return ApiError.stream("websocket closed")
    case "Network":
      return ApiError.fromTransport(new TransportError.Network({ reason: error.message }))
    case "Timeout":
      return ApiError.fromTransport(new TransportError.Timeout())
    case "Invalid":
      return ApiError.fromTransport(error.error)
  }
}

/**
 * The handshake headers: provider < `extraHeaders` (replace) < `defaultHeaders` (fill) < auth.
 *
 * @since 0.1.0
 * @category headers
 */
export const mergeRequestHeaders = (
  providerHeaders: Headers.Headers,
  extraHeaders: Headers.Input | undefined,
  defaultHeaders: Headers.Input | undefined
): Headers.Headers => fillMissing(mergeReplace(providerHeaders, extraHeaders), defaultHeaders)

const failed = (reason: string) => ApiError.stream(reason)

const idleError = failed("idle timeout waiting for websocket")

/** Upper bound of events emitted in one chunk. */
const maxBatch = 512

// ---------------------------------------------------------------------------------------------
// telemetry (only wrapped in when a WebsocketTelemetry other than the no-op is in context)
// ---------------------------------------------------------------------------------------------

const frameResult = (frame: Ws.Frame): WebsocketTelemetry.WsEventResult => {
  switch (frame._tag) {
    case "End":
      return WebsocketTelemetry.WsEventResult.End()
    case "ReadError":
      return WebsocketTelemetry.WsEventResult.Error({ message: frame.message })
    default:
      return WebsocketTelemetry.WsEventResult.Message({ message: frame })
  }
}

const elapsedSince = (start: number) =>
  Effect.map(Clock.currentTimeMillis, (end) => Duration.millis(Math.max(0, end - start)))

/** How long the read before the next frame waited (reported with that frame, then reset). */
interface FrameWait {
  waitedMillis: number
}

const reportedSend = (
  send: Effect.Effect<void, ApiError.ApiError>,
  telemetry: WebsocketTelemetry.Service,
  connectionReused: boolean
): Effect.Effect<void, ApiError.ApiError> =>
  Effect.flatMap(Clock.currentTimeMillis, (start) =>
    Effect.tapBoth(send, {
      onSuccess: () =>
        Effect.flatMap(elapsedSince(start), (duration) => telemetry.onWsRequest({ duration, connectionReused })),
      onFailure: (error) =>
        Effect.flatMap(elapsedSince(start), (duration) => telemetry.onWsRequest({ duration, error, connectionReused }))
    })
  )

const makeConnection = (
  socket: Ws.Socket,
  idleTimeout: Duration.DurationInput,
  permit: Effect.Semaphore
): ResponsesWebsocketConnection => {
  const headers = socket.responseHeaders
  const serverModel = headers["openai-model"]
  const modelsEtag = headers["x-models-etag"]
  const reasoningIncluded = headers["x-reasoning-included"] !== undefined
  let broken = false
  const drop = Effect.suspend(() => {
    broken = true
    return socket.terminate
  })
  const isClosed = () => broken || !socket.isOpen()

  const connectionEvents = (): Array<ResponseEvent> => {
    const out: Array<ResponseEvent> = []
    if (serverModel !== undefined) out.push(ResponseEvent.ServerModel({ model: serverModel }))
    if (modelsEtag !== undefined) out.push(ResponseEvent.ModelsEtag({ etag: modelsEtag }))
    if (reasoningIncluded) out.push(ResponseEvent.ServerReasoningIncluded({ included: true }))
    return out
  }

  const idleMillis = Duration.toMillis(Duration.decode(idleTimeout))

  /**
   * The events of one response. Frames are read in synchronous batches from the socket's buffer;
   * only when it is empty does the pull wait, and that wait is what the idle timeout bounds: a
   * watchdog fiber (one per response, in `scope`) fails the pending wait, as on the SSE path, instead
   * of a timer fiber per wait.
   */
  const responseEvents = (
    text: string,
    telemetry: WebsocketTelemetry.Service,
    connectionReused: boolean,
    scope: Scope.Scope
  ): Effect.Effect<Stream.Stream<ResponseEvent, ApiError.ApiError>> =>
    Effect.clockWith((clock) => {
      // The no-op default adds nothing per frame.
      const reporting = telemetry !== WebsocketTelemetry.noop
      const state: WaitState = { since: undefined, clock, report: undefined }
      const wait: FrameWait = { waitedMillis: 0 }
      let waiting: ((effect: Effect.Effect<void, ApiError.ApiError>) => void) | undefined
      const resumeWith = (effect: Effect.Effect<void, ApiError.ApiError>) => {
        const resume = waiting
        waiting = undefined
        if (state.since !== undefined) wait.waitedMillis = Math.max(0, clock.unsafeCurrentTimeMillis() - state.since)
        state.since = undefined
        if (resume !== undefined) resume(effect)
      }
      const onReadable = () => resumeWith(Effect.void)
      const awaitFrame = Effect.async<void, ApiError.ApiError>((resume) => {
        waiting = resume
        state.since = clock.unsafeCurrentTimeMillis()
        socket.onReadable(onReadable)
        return Effect.sync(() => {
          waiting = undefined
          state.since = undefined
          socket.onReadable(undefined)
        })
      })
      const timedOut = (error: ApiError.ApiError) =>
        Effect.suspend(() => {
          socket.onReadable(undefined)
          resumeWith(Effect.fail(error))
          return reporting
            ? telemetry.onWsEvent({
                result: WebsocketTelemetry.WsEventResult.Timeout(),
                duration: Duration.millis(wait.waitedMillis)
              })
            : Effect.void
        })
      return Effect.as(
        Effect.forkIn(Effect.catchAll(watchdog(state, idleMillis, idleError), timedOut), scope),
        responseStream(text, awaitFrame, wait, reporting ? telemetry : undefined, connectionReused)
      )
    })

  const responseStream = (
    text: string,
    awaitFrame: Effect.Effect<void, ApiError.ApiError>,
    wait: FrameWait,
    telemetry: WebsocketTelemetry.Service | undefined,
    connectionReused: boolean
  ): Stream.Stream<ResponseEvent, ApiError.ApiError> => {
    const processor = makeProcessor()
    let done = false
    let pendingError: ApiError.ApiError | undefined

    /** Handles one frame synchronously, pushing its events; returns the error that ends the response. */
    const step = (frame: Ws.Frame, out: Array<ResponseEvent>): ApiError.ApiError | undefined => {
      switch (frame._tag) {
        case "Text": {
          let parsed: unknown
          try {
            parsed = JSON.parse(frame.text)
          } catch {
            return undefined
          }
          const wrapped = parseWrappedErrorEvent(frame.text, parsed)
          if (wrapped !== undefined) return wrapped
          if (isObject(parsed) && parsed.type === "codex.rate_limits") {
            const snapshot = parseRateLimitsEvent(parsed)
            if (snapshot !== undefined) out.push(ResponseEvent.RateLimits({ snapshot }))
            return undefined
          }
          const outcome = processor.processInto(parsed, out)
          if (outcome === Outcome.Completed) done = true
          else if (outcome === Outcome.Failed) return processor.error ?? failed("response failed")
          return undefined
        }
        case "Binary":
          return failed("unexpected binary websocket event")
        case "Close":
          return failed("websocket closed by server before response.completed")
        case "End":
          return failed("stream closed before response.completed")
        case "ReadError":
          return failed(frame.message)
      }
    }

    type Pull = Effect.Effect<Chunk.Chunk<ResponseEvent>, Option.Option<ApiError.ApiError>>
    const emit = (out: Array<ResponseEvent>): Pull => Effect.succeed(Chunk.unsafeFromArray(out))
    // The buffered frames are handled in one synchronous batch; the batch stops at the end of the
    // response, so later frames stay buffered for the next request. With telemetry, every frame read
    // is reported before the batch is emitted (the first one after a wait with the time waited).
    const report = (reports: Array<WebsocketTelemetry.WsEvent>, out: Pull): Pull =>
      telemetry === undefined || reports.length === 0
        ? out
        : Effect.zipRight(Effect.forEach(reports, telemetry.onWsEvent, { discard: true }), out)
    const pull: Pull = Effect.suspend(() => {
      if (pendingError !== undefined) return Effect.fail(Option.some(pendingError))
      if (done) return Effect.fail(Option.none())
      const out: Array<ResponseEvent> = []
      const reports: Array<WebsocketTelemetry.WsEvent> = []
      while (out.length < maxBatch) {
        const frame = socket.take()
        if (frame === undefined) break
        if (telemetry !== undefined) {
          reports.push({ result: frameResult(frame), duration: Duration.millis(wait.waitedMillis) })
          wait.waitedMillis = 0
        }
        const error = step(frame, out)
        if (error !== undefined) {
          if (out.length === 0) return report(reports, Effect.fail(Option.some(error)))
          pendingError = error
          return report(reports, emit(out))
        }
        if (done) return report(reports, out.length === 0 ? Effect.fail(Option.none()) : emit(out))
      }
      return report(reports, out.length > 0 ? emit(out) : awaitThenPull)
    })
    const awaitThenPull: Pull = Effect.zipRight(Effect.mapError(awaitFrame, Option.some), pull)
    const sendOnly = socket.send(text).pipe(
      Effect.mapError((error) => failed(`failed to send websocket request: ${error.message}`)),
      Effect.timeoutFail({ duration: idleTimeout, onTimeout: () => failed("idle timeout sending websocket request") })
    )
    const send = telemetry !== undefined ? reportedSend(sendOnly, telemetry, connectionReused) : sendOnly
    return Stream.concat(Stream.execute(send), Stream.repeatEffectChunkOption(pull)).pipe(
      // Anything but a completed response leaves unread frames behind: the connection is dropped.
      Stream.ensuring(Effect.suspend(() => (done && pendingError === undefined ? Effect.void : drop)))
    )
  }

  return {
    url: socket.url,
    serverModel,
    modelsEtag,
    reasoningIncluded,
    isClosed,
    close: drop,
    streamRequest: (request, connectionReused = false) =>
      Stream.unwrapScoped(
        Effect.gen(function* () {
          const scope = yield* Effect.scope
          // Waiting for the turn stays interruptible (an `acquireRelease` acquire is not, so an
          // interrupted waiter would hang until the running response ended); the release is
          // registered before the mask is left, so a taken turn is always given back.
          yield* Effect.uninterruptibleMask((restore) =>
            Effect.zipRight(
              restore(permit.take(1)),
              Effect.addFinalizer(() => permit.release(1))
            )
          )
          const head = Stream.fromIterable(connectionEvents())
          if (isClosed()) return Stream.concat(head, Stream.fail(failed("websocket connection is closed")))
          // An unserialisable request fails before anything is sent: the connection stays usable.
          const text = yield* Effect.either(Ws.encodeJson(() => toWire(request)))
          if (text._tag === "Left") return Stream.concat(head, Stream.fail(text.left))
          const telemetry = yield* WebsocketTelemetry.WebsocketTelemetry
          return Stream.concat(head, yield* responseEvents(text.right, telemetry, connectionReused, scope))
        })
      )
  }
}

/**
 * Builds the client from the provider and auth in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, AuthProvider | Provider.CurrentProvider> = Effect.gen(function* () {
  const provider = yield* Provider.CurrentProvider
  const auth = yield* AuthProvider
  const idleTimeout = yield* IdleTimeout.getOrElse(provider.streamIdleTimeout)

  const open = (extraHeaders: Headers.Input | undefined, defaultHeaders: Headers.Input | undefined) =>
    Effect.gen(function* () {
      const url = yield* Effect.try({
        try: () => Provider.websocketUrlForPath(provider, "responses"),
        catch: (error) =>
          failed(
            `failed to build websocket URL: ${Request.redactUrl(error instanceof Error ? error.message : String(error))}`
          )
      })
      yield* Ws.validateBaseUrl(provider.baseUrl)
      const merged = mergeRequestHeaders(provider.headers, extraHeaders, defaultHeaders)
      const headers = yield* Effect.mapError(auth.addAuthHeaders(merged), authError)
      const connectTimeout = Provider.websocketConnectTimeout(provider)
      const socket = yield* Effect.mapError(Ws.connect(url, { headers, perMessageDeflate, connectTimeout }), (error) =>
        handshakeError(url, error)
      )
      return socket
    })

  const connect = (options: ConnectOptions = {}) =>
    Effect.gen(function* () {
      const socket = yield* open(options.extraHeaders, options.defaultHeaders)
      const turn = socket.responseHeaders["x-codex-turn-state"]
      if (options.turnState !== undefined && turn !== undefined) {
        yield* Ref.update(options.turnState, (current) => (Option.isSome(current) ? current : Option.some(turn)))
      }
      const permit = yield* Effect.makeSemaphore(1)
      return makeConnection(socket, yield* IdleTimeout.getOrElse(idleTimeout), permit)
    }).pipe(Effect.withSpan("responses_websocket.connect", { kind: "client" }))

  const probeHandshake: Service["probeHandshake"] = (options) =>
    Effect.scoped(
      Effect.gen(function* () {
        const socket = yield* open(options.extraHeaders, options.defaultHeaders)
        const first = yield* Effect.timeout(socket.read, options.immediateCloseTimeout).pipe(Effect.option)
        let immediateClose: ProbeResult["immediateClose"]
        if (Option.isSome(first)) {
          const frame = first.value
          if (frame._tag === "ReadError") {
            return yield* failed(`failed to read websocket probe event: ${frame.message}`)
          }
          if (frame._tag === "Close" && frame.code !== 1005) {
            immediateClose = { code: String(frame.code), reason: frame.reason }
          }
        }
        const headers = socket.responseHeaders
        yield* Effect.ignore(socket.close)
        return {
          url: socket.url,
          status: socket.status,
          reasoningIncluded: headers["x-reasoning-included"] !== undefined,
          modelsEtagPresent: headers["x-models-etag"] !== undefined,
          serverModelPresent: headers["openai-model"] !== undefined,
          immediateClose
        }
      })
    )

  return { connect, probeHandshake }
})

/**
 * A layer providing the {@link ResponsesWebsocketClient}, from auth and the provider.
 *
 * @example
 * ```ts
 * import * as Auth from "@codex/api/Auth"
 * import * as Provider from "@codex/api/Provider"
 * import * as ResponsesWebsocket from "@codex/api/ResponsesWebsocket"
 * import { Effect, Layer, Stream } from "effect"
 *
 * // Two turns on one connection; the socket closes with the scope.
 * const turn = (connection: ResponsesWebsocket.ResponsesWebsocketConnection, text: string) =>
 *   connection
 *     .streamRequest({
 *       model: "gpt-5",
 *       instructions: "Answer briefly.",
 *       input: [{ type: "message", role: "user", content: [{ type: "input_text", text }] }],
 *       tools: [],
 *       toolChoice: "auto",
 *       parallelToolCalls: false,
 *       store: false,
 *       stream: true,
 *       include: []
 *     })
 *     .pipe(Stream.runFold("", (acc, event) => (event._tag === "OutputTextDelta" ? acc + event.delta : acc)))
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const client = yield* ResponsesWebsocket.ResponsesWebsocketClient
 *     const connection = yield* client.connect()
 *     const first = yield* turn(connection, "Hello")
 *     const second = yield* turn(connection, "And again")
 *     return [first, second]
 *   })
 * )
 *
 * export const main = program.pipe(
 *   Effect.provide(
 *     ResponsesWebsocket.layer.pipe(Layer.provide(Layer.mergeAll(Provider.layerConfig, Auth.layerApiKeyConfig)))
 *   )
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ResponsesWebsocketClient, never, AuthProvider | Provider.CurrentProvider> =
  Layer.effect(ResponsesWebsocketClient, make)
