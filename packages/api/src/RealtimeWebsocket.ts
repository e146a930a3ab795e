/**
 * Realtime conversations over WebSocket (V1 "quicksilver" and V2 "realtime").
 *
 * `connect` opens `{base}/v1/realtime?…`, sends the initial `session.update`
 * and returns a {@link RealtimeWebsocketConnection} owned by the caller's scope: closing the scope
 * drops the socket. Writers never wait for a pending `nextEvent` (inbound frames are queued by the
 * socket listeners), and `nextEvent` returns `None` for good once the connection is closed. The
 * handshake is bounded by the provider's `websocketConnectTimeout` (default 15 s). A base URL with
 * a `#fragment` or no host and an invalid header are `Transport(Build)` errors before anything is
 * sent (never retried by `connectWebrtcSideband`); URLs are shown with credentials redacted.
 *
 * @since 0.1.0
 */
import * as Request from "@codex/client/Request"
import { backoff } from "@codex/client/RetryPolicy"
import * as Headers from "@effect/platform/Headers"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as ApiError from "./ApiError.js"
import { fillMissing, mergeReplace } from "./internal/headers.js"
import { OffHeapText } from "./internal/offHeapText.js"
import { parseRealtimeEvent } from "./internal/realtimeParser.js"
import { RealtimeUrlError, realtimeWebsocketUrl } from "./internal/realtimeUrl.js"
import * as Ws from "./internal/websocket.js"
import * as Provider from "./Provider.js"
import type { AudioFrame, EventParser, TranscriptEntry } from "./RealtimeEvent.js"
import { RealtimeEvent } from "./RealtimeEvent.js"
import * as RealtimeSession from "./RealtimeSession.js"

/**
 * An outbound audio frame (base64 PCM). Only `data` goes on the wire.
 *
 * @since 0.1.0
 * @category models
 */
export type OutboundAudioFrame = Pick<AudioFrame, "data"> & Partial<Omit<AudioFrame, "data">>

/**
 * The prefix of V1 function-call output (`conversation.handoff.append`).
 *
 * @since 0.1.0
 * @category constants
 */
export const agentFinalMessagePrefix = '"Agent Final Message":\n\n'

/**
 * An open realtime connection: writer methods plus the event reader.
 *
 * @since 0.1.0
 * @category models
 */
export interface RealtimeWebsocketConnection {
  /** The socket URL, credentials (`user:password@`) redacted. */
  readonly url: string
  readonly parser: EventParser
  /** `{"type":"input_audio_buffer.append","audio":<data>}`. */
  readonly sendAudioFrame: (frame: OutboundAudioFrame) => Effect.Effect<void, ApiError.ApiError>
  /** A user `input_text` message item (`conversation.item.create`). */
  readonly sendConversationItemCreate: (text: string) => Effect.Effect<void, ApiError.ApiError>
  /**
   * Handoff output: V1 `conversation.handoff.append` with the `"Agent Final Message"` prefix, V2 a
   * `function_call_output` item.
   */
  readonly sendConversationFunctionCallOutput: (
    callId: string,
    output: string
  ) => Effect.Effect<void, ApiError.ApiError>
  /** `conversation.handoff.append` with `output_text` verbatim (no prefix). */
  readonly sendConversationHandoffAppend: (
    handoffId: string,
    outputText: string
  ) => Effect.Effect<void, ApiError.ApiError>
  /** `{"type":"response.create"}`. */
  readonly sendResponseCreate: Effect.Effect<void, ApiError.ApiError>
  /** `session.update` built from `config` (no `id`/`model` on the WebSocket path). */
  readonly sendSessionUpdate: (config: RealtimeSession.RealtimeSessionConfig) => Effect.Effect<void, ApiError.ApiError>
  /** Sends any text frame as is. */
  readonly sendPayload: (payload: string) => Effect.Effect<void, ApiError.ApiError>
  /** Sends a Close frame; idempotent. Later sends fail with "realtime websocket connection is closed". */
  readonly close: Effect.Effect<void, ApiError.ApiError>
  /**
   * The next supported event; `None` once closed (Close frame, end of stream, an earlier read error
   * or `close()`), and on every call after that.
   */
  readonly nextEvent: Effect.Effect<Option.Option<RealtimeEvent>, ApiError.ApiError>
  /** `nextEvent` as a stream that ends when the connection closes. */
  readonly events: Stream.Stream<RealtimeEvent, ApiError.ApiError>
  readonly isClosed: () => boolean
}

/**
 * The realtime client: `connect` opens a realtime WebSocket session and returns a connection to
 * send audio, text and handoff messages and read {@link RealtimeEvent.RealtimeEvent}s.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * Connects and sends the initial `session.update` (does not wait for `session.updated`).
   * Handshake headers: provider < `extraHeaders` (+ `x-session-id`) < `defaultHeaders` (fill only).
   * No auth is added here: pass `Authorization` etc. in `extraHeaders`.
   */
  readonly connect: (
    config: RealtimeSession.RealtimeSessionConfig,
    extraHeaders?: Headers.Input | undefined,
    defaultHeaders?: Headers.Input | undefined
  ) => Effect.Effect<RealtimeWebsocketConnection, ApiError.ApiError, Scope.Scope>
  /**
   * Joins the session of a WebRTC call (`…/realtime?call_id=<id>`), retrying `retry.maxAttempts`
   * times with the provider's backoff.
   */
  readonly connectWebrtcSideband: (
    config: RealtimeSession.RealtimeSessionConfig,
    callId: string,
    extraHeaders?: Headers.Input | undefined,
    defaultHeaders?: Headers.Input | undefined
  ) => Effect.Effect<RealtimeWebsocketConnection, ApiError.ApiError, Scope.Scope>
}

/**
 * The realtime client's service tag; provide it with {@link layer}.
 *
 * @since 0.1.0
 * @category tags
 */
export class RealtimeWebsocketClient extends Context.Tag("@codex/api/RealtimeWebsocketClient")<
  RealtimeWebsocketClient,
  Service
>() {}

// ---------------------------------------------------------------------------------------------
// transcript bookkeeping
// ---------------------------------------------------------------------------------------------

type Role = TranscriptEntry["role"]

/**
 * One transcript entry: its first text, then the deltas appended to it, kept off the JS heap until
 * the text is read (a long turn's megabytes of deltas would otherwise all be copied by the garbage
 * collector as they age).
 */
interface Entry {
  readonly role: Role
  text: string
  appended: OffHeapText | undefined
}

const entryText = (entry: Entry): string => {
  if (entry.appended !== undefined) {
    entry.text += entry.appended.read()
    entry.appended.release()
    entry.appended = undefined
  }
  return entry.text
}

/**
 * The transcript since the previous handoff, attached to `HandoffRequested` events: `track` sees
 * every returned event; `release` drops the transcript once no event will follow.
 */
const makeTranscript = () => {
  let entries: Array<Entry> = []
  const forceNew: Record<Role, boolean> = { user: false, assistant: false }
  const delta = (role: Role, text: string) => {
    if (text.length === 0) return
    const last = entries[entries.length - 1]
    if (!forceNew[role] && last !== undefined && last.role === role) {
      if (last.appended === undefined) last.appended = new OffHeapText()
      last.appended.append(text)
    } else entries.push({ role, text, appended: undefined })
    forceNew[role] = false
  }
  const done = (role: Role, text: string) => {
    if (text.length === 0) return
    const last = entries[entries.length - 1]
    if (!forceNew[role] && last !== undefined && last.role === role) {
      last.text = text
      last.appended?.release()
      last.appended = undefined
    } else entries.push({ role, text, appended: undefined })
    forceNew[role] = false
  }
  const track = (event: RealtimeEvent): RealtimeEvent => {
    switch (event._tag) {
      case "InputAudioSpeechStarted":
        forceNew.user = true
        return event
      case "ResponseCreated":
        forceNew.assistant = true
        return event
      case "InputTranscriptDelta":
        delta("user", event.delta)
        return event
      case "OutputTranscriptDelta":
        delta("assistant", event.delta)
        return event
      case "InputTranscriptDone":
        done("user", event.text)
        return event
      case "OutputTranscriptDone":
        done("assistant", event.text)
        return event
      case "HandoffRequested": {
        const input = event.inputTranscript.trim()
        if (input.length > 0 && !entries.some((e) => e.role === "user" && entryText(e).trim() === input)) {
          entries.push({ role: "user", text: input, appended: undefined })
        }
        const activeTranscript: ReadonlyArray<TranscriptEntry> = entries.map((e) => ({
          role: e.role,
          text: entryText(e)
        }))
        entries = []
        forceNew.user = true
        forceNew.assistant = true
        return RealtimeEvent.HandoffRequested({ ...event, activeTranscript })
      }
      default:
        return event
    }
  }
  const release = () => {
    for (const entry of entries) entry.appended?.release()
    entries = []
  }
  return { track, release }
}

// ---------------------------------------------------------------------------------------------
// connection
// ---------------------------------------------------------------------------------------------

const closedError = () => ApiError.stream("realtime websocket connection is closed")

/** The end of the inbound stream, as `step` reports it. */
const closed: unique symbol = Symbol.for("@codex/api/RealtimeWebsocket/closed")

/** Upper bound of events emitted in one chunk of `events`. */
const maxBatch = 512

/**
 * The `session.update` frame for `config` (session without `id` / `model`).
 *
 * @since 0.1.0
 * @category encoding
 */
export const sessionUpdateFrame = (config: RealtimeSession.RealtimeSessionConfig): string =>
  JSON.stringify({ type: "session.update", session: RealtimeSession.sessionJson(config) })

const makeConnection = (socket: Ws.Socket, parser: EventParser): RealtimeWebsocketConnection => {
  let writerClosed = false
  let readerClosed = false
  const transcript = makeTranscript()

  const sendPayload = (payload: string): Effect.Effect<void, ApiError.ApiError> =>
    Effect.suspend(() =>
      writerClosed
        ? Effect.fail(closedError())
        : Effect.mapError(socket.send(payload), (error) =>
            error.closed ? closedError() : ApiError.stream(`failed to send realtime request: ${error.message}`)
          )
    )
  const sendJson = (value: unknown) =>
    Effect.flatMap(
      Ws.encodeJson(() => value),
      sendPayload
    )

  /**
   * Handles one frame: the event it gives, `undefined` to skip it (unsupported event), `closed` when
   * the connection ended, or the read error.
   */
  const step = (frame: Ws.Frame): RealtimeEvent | undefined | typeof closed | ApiError.ApiError => {
    switch (frame._tag) {
      case "Text": {
        const event = parseRealtimeEvent(frame.text, parser)
        return event === undefined ? undefined : transcript.track(event)
      }
      case "Binary":
        return RealtimeEvent.Error({ message: "unexpected binary realtime websocket event" })
      case "ReadError":
        readerClosed = true
        transcript.release()
        return ApiError.stream(`failed to read websocket message: ${frame.message}`)
      case "Close":
      case "End":
        readerClosed = true
        transcript.release()
        return closed
    }
  }

  // Buffered frames are read synchronously; the reader waits only when none is buffered.
  const readLoop: Effect.Effect<Option.Option<RealtimeEvent>, ApiError.ApiError> = Effect.suspend(() => {
    for (;;) {
      if (readerClosed || writerClosed) return Effect.succeed(Option.none())
      const frame = socket.take()
      if (frame === undefined) return Effect.zipRight(socket.readable, readLoop)
      const result = step(frame)
      if (result === undefined) continue
      if (result === closed) return Effect.succeed(Option.none())
      return ApiError.isApiError(result) ? Effect.fail(result) : Effect.succeed(Option.some(result))
    }
  })

  // `events` pulls every buffered frame at once (up to `maxBatch` events per chunk); a read error
  // ends the batch and is the stream's failure after it.
  type Pull = Effect.Effect<Chunk.Chunk<RealtimeEvent>, Option.Option<ApiError.ApiError>>
  const makePull = (): Pull => {
    let pendingEnd: Option.Option<ApiError.ApiError> | undefined
    const pullEvents: Pull = Effect.suspend(() => {
      if (pendingEnd !== undefined) return Effect.fail(pendingEnd)
      const out: Array<RealtimeEvent> = []
      while (out.length < maxBatch) {
        if (readerClosed || writerClosed) {
          pendingEnd = Option.none()
          break
        }
        const frame = socket.take()
        if (frame === undefined) break
        const result = step(frame)
        if (result === undefined) continue
        if (result === closed) {
          pendingEnd = Option.none()
          break
        }
        if (ApiError.isApiError(result)) {
          pendingEnd = Option.some(result)
          break
        }
        out.push(result)
      }
      if (out.length > 0) return Effect.succeed(Chunk.unsafeFromArray(out))
      if (pendingEnd !== undefined) return Effect.fail(pendingEnd)
      return Effect.zipRight(socket.readable, pullEvents)
    })
    return pullEvents
  }

  const close: Effect.Effect<void, ApiError.ApiError> = Effect.suspend(() => {
    if (writerClosed) return Effect.void
    writerClosed = true
    transcript.release()
    return Effect.mapError(socket.close, (error) => ApiError.stream(`failed to close websocket: ${error.message}`))
  })

  return {
    url: socket.url,
    parser,
    sendAudioFrame: (frame) => sendJson({ type: "input_audio_buffer.append", audio: frame.data }),
    sendConversationItemCreate: (text) =>
      sendJson({
        type: "conversation.item.create",
        item: { type: "message", role: "user", content: [{ type: "input_text", text }] }
      }),
    sendConversationFunctionCallOutput: (callId, output) =>
      parser === "V1"
        ? sendJson({
            type: "conversation.handoff.append",
            handoff_id: callId,
            output_text: `${agentFinalMessagePrefix}${output}`
          })
        : sendJson({
            type: "conversation.item.create",
            item: { type: "function_call_output", call_id: callId, output }
          }),
    sendConversationHandoffAppend: (handoffId, outputText) =>
      sendJson({ type: "conversation.handoff.append", handoff_id: handoffId, output_text: outputText }),
    sendResponseCreate: sendJson({ type: "response.create" }),
    sendSessionUpdate: (config) =>
      Effect.flatMap(
        Ws.encodeJson(() => ({ type: "session.update", session: RealtimeSession.sessionJson(config) })),
        sendPayload
      ),
    sendPayload,
    close,
    nextEvent: readLoop,
    events: Stream.suspend(() => Stream.repeatEffectChunkOption(makePull())),
    isClosed: () => writerClosed || readerClosed
  }
}

const describeHandshakeError = (error: Ws.HandshakeError): string => {
  switch (error._tag) {
    case "Rejected":
      return `HTTP error: ${error.status}`
    case "Closed":
      return "connection closed during handshake"
    case "Network":
      return error.message
    case "Timeout":
      return `no answer to the upgrade request within ${Duration.format(error.after)}`
    case "Invalid":
      return error.error.reason
  }
}

/** Rust's `HeaderValue::from_str`: visible ASCII and tab only. */
const isValidHeaderValue = (value: string): boolean => {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c !== 9 && (c < 32 || c > 126)) return false
  }
  return true
}

/**
 * The handshake headers: provider < `extraHeaders` (plus `x-session-id`) < `defaultHeaders`
 * (only names still missing). A header that cannot be sent is a `Transport(Build)` error naming it.
 *
 * @since 0.1.0
 * @category headers
 */
export const handshakeHeaders = (
  provider: Provider.Provider,
  config: RealtimeSession.RealtimeSessionConfig,
  extraHeaders?: Headers.Input | undefined,
  defaultHeaders?: Headers.Input | undefined
): Effect.Effect<Headers.Headers, ApiError.ApiError> =>
  Effect.suspend(() => {
    let headers = mergeReplace(provider.headers, extraHeaders)
    const sessionId = config.sessionId
    if (sessionId !== undefined) {
      // Named, never shown: the message says what is wrong with the value, not the value.
      if (!isValidHeaderValue(sessionId)) {
        return Effect.fail(
          ApiError.stream("invalid realtime session id header: x-session-id must be visible ASCII or tab")
        )
      }
      headers = Headers.set(headers, "x-session-id", sessionId)
    }
    const out = fillMissing(headers, defaultHeaders)
    return Effect.as(Effect.mapError(Request.validateHeaders(out), ApiError.fromTransport), out)
  })

/** V1 has no transcription mode: it is treated as conversational. */
const normalizeConfig = (config: RealtimeSession.RealtimeSessionConfig): RealtimeSession.RealtimeSessionConfig =>
  config.eventParser === "V1" && config.sessionMode !== "Conversational"
    ? { ...config, sessionMode: "Conversational" }
    : config

const buildUrl = (
  provider: Provider.Provider,
  config: RealtimeSession.RealtimeSessionConfig,
  callId?: string
): Effect.Effect<string, ApiError.ApiError> =>
  Effect.try({
    try: () =>
      realtimeWebsocketUrl({
        baseUrl: provider.baseUrl,
        queryParams: provider.queryParams,
        parser: config.eventParser,
        model: config.model,
        callId
      }),
    catch: (error) => ApiError.stream(error instanceof RealtimeUrlError ? error.reason : String(error))
  })

/** What a connect needs, built and checked once: problems here are never retried. */
interface Prepared {
  readonly config: RealtimeSession.RealtimeSessionConfig
  readonly url: string
  readonly headers: Headers.Headers
}

const prepare = (
  provider: Provider.Provider,
  rawConfig: RealtimeSession.RealtimeSessionConfig,
  callId: string | undefined,
  extraHeaders: Headers.Input | undefined,
  defaultHeaders: Headers.Input | undefined
): Effect.Effect<Prepared, ApiError.ApiError> =>
  Effect.gen(function* () {
    const config = normalizeConfig(rawConfig)
    const url = yield* buildUrl(provider, config, callId)
    yield* Ws.validateBaseUrl(provider.baseUrl)
    const headers = yield* handshakeHeaders(provider, config, extraHeaders, defaultHeaders)
    return { config, url, headers }
  })

const open = (
  provider: Provider.Provider,
  { config, headers, url }: Prepared
): Effect.Effect<RealtimeWebsocketConnection, ApiError.ApiError, Scope.Scope> =>
  Effect.gen(function* () {
    const connectTimeout = Provider.websocketConnectTimeout(provider)
    const socket = yield* Effect.mapError(
      Ws.connect(url, { headers, perMessageDeflate: false, connectTimeout }),
      (error) =>
        error._tag === "Invalid"
          ? ApiError.fromTransport(error.error)
          : ApiError.stream(`failed to connect realtime websocket: ${describeHandshakeError(error)}`)
    )
    const connection = makeConnection(socket, config.eventParser)
    yield* Effect.tapError(connection.sendSessionUpdate(config), () => socket.terminate)
    return connection
  })

const isBuildError = (error: ApiError.ApiError): boolean => error._tag === "Transport" && error.error._tag === "Build"

/**
 * A client for `provider`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (provider: Provider.Provider): Service => ({
  connect: (config, extraHeaders, defaultHeaders) =>
    Effect.flatMap(prepare(provider, config, undefined, extraHeaders, defaultHeaders), (prepared) =>
      open(provider, prepared)
    ),
  connectWebrtcSideband: (config, callId, extraHeaders, defaultHeaders) => {
    const maxAttempts = provider.retry.maxAttempts
    const attempt = (
      prepared: Prepared,
      n: number
    ): Effect.Effect<RealtimeWebsocketConnection, ApiError.ApiError, Scope.Scope> =>
      Effect.catchAll(open(provider, prepared), (error) =>
        n >= maxAttempts || isBuildError(error)
          ? Effect.fail(error)
          : Effect.zipRight(
              Effect.flatMap(backoff(provider.retry.baseDelay, n + 1), Effect.sleep),
              attempt(prepared, n + 1)
            )
      )
    return Effect.flatMap(prepare(provider, config, callId, extraHeaders, defaultHeaders), (prepared) =>
      attempt(prepared, 0)
    )
  }
})

/**
 * The client for the current provider.
 *
 * @example
 * ```ts
 * import * as Provider from "@codex/api/Provider"
 * import * as RealtimeWebsocket from "@codex/api/RealtimeWebsocket"
 * import { Effect, Redacted, Stream } from "effect"
 *
 * // Open a V2 realtime session, send one text message and print the events until the session ends.
 * const program = (apiKey: Redacted.Redacted<string>) =>
 *   Effect.scoped(
 *     Effect.gen(function* () {
 *       const client = yield* RealtimeWebsocket.RealtimeWebsocketClient
 *       const connection = yield* client.connect(
 *         {
 *           instructions: "You are a helpful voice assistant.",
 *           eventParser: "RealtimeV2",
 *           sessionMode: "Conversational",
 *           outputModality: "text",
 *           voice: "marin"
 *         },
 *         { authorization: `Bearer ${Redacted.value(apiKey)}` }
 *       )
 *       yield* connection.sendConversationItemCreate("Hello!")
 *       yield* connection.sendResponseCreate
 *       yield* connection.events.pipe(Stream.runForEach((event) => Effect.log(event._tag)))
 *     })
 *   )
 *
 * export const main = program(Redacted.make("sk-...")).pipe(
 *   Effect.provide(RealtimeWebsocket.layer),
 *   Effect.provide(Provider.layer(Provider.make({ baseUrl: "https://api.openai.com/v1" })))
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<RealtimeWebsocketClient, never, Provider.CurrentProvider> = Layer.effect(
  RealtimeWebsocketClient,
  Effect.map(Provider.CurrentProvider, make)
)
