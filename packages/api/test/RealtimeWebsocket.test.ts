import * as ApiError from "@codex/api/ApiError"
import * as Provider from "@codex/api/Provider"
import { RealtimeEvent } from "@codex/api/RealtimeEvent"
import type * as RealtimeSession from "@codex/api/RealtimeSession"
import * as RealtimeWebsocket from "@codex/api/RealtimeWebsocket"
import { describe, expect, it } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Chunk from "effect/Chunk"
import * as TestClock from "effect/TestClock"
import * as Clock from "effect/Clock"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { listenHttp, listenSilent, listenWs } from "./utils/wsServer.js"

// ---------------------------------------------------------------------------------------------
// a real `ws` server on 127.0.0.1, driven from the test
// ---------------------------------------------------------------------------------------------

const listen = (port = 0, httpServer?: Http.Server) =>
  Effect.map(listenWs({ port, httpServer }), (server) => ({ ...server, baseUrl: server.origin }))

const v1Config = (
  overrides: Partial<RealtimeSession.RealtimeSessionConfig> = {}
): RealtimeSession.RealtimeSessionConfig => ({
  instructions: "backend prompt",
  eventParser: "V1",
  sessionMode: "Conversational",
  outputModality: "audio",
  voice: "breeze",
  ...overrides
})
const v2Config = (overrides: Partial<RealtimeSession.RealtimeSessionConfig> = {}) =>
  v1Config({ eventParser: "RealtimeV2", voice: "cedar", ...overrides })

const clientFor = (baseUrl: string, options: Partial<Parameters<typeof Provider.make>[0]> = {}) =>
  RealtimeWebsocket.make(Provider.make({ baseUrl, ...options }))

const defaultClock = Clock.make()
const some = <A>(value: A) => Option.some(value)

describe("RealtimeWebsocket e2e", () => {
  it.scoped("realtime_ws_e2e_session_create_and_event_flow", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const connection = yield* clientFor(server.baseUrl).connect(v1Config())
      const conn = yield* Queue.take(server.connections)
      expect(conn.request.url).toBe("/v1/realtime?intent=quicksilver")
      const first = yield* conn.nextJson
      expect(first.type).toBe("session.update")
      expect(first.session.type).toBe("quicksilver")
      expect(first.session.instructions).toBe("backend prompt")
      expect(first.session.audio.input.format).toEqual({ type: "audio/pcm", rate: 24000 })
      expect(first.session.id).toBeUndefined()
      expect(first.session.model).toBeUndefined()

      yield* conn.sendJson({ type: "session.updated", session: { id: "sess_mock", instructions: "backend prompt" } })
      expect(yield* connection.nextEvent).toEqual(
        some(RealtimeEvent.SessionUpdated({ realtimeSessionId: "sess_mock", instructions: "backend prompt" }))
      )

      yield* connection.sendAudioFrame({ data: "AQID", sampleRate: 24000, numChannels: 1, samplesPerChannel: 480 })
      expect(yield* conn.nextJson).toEqual({ type: "input_audio_buffer.append", audio: "AQID" })

      yield* conn.sendJson({ type: "conversation.output_audio.delta", delta: "AQID", sample_rate: 48000, channels: 1 })
      expect(yield* connection.nextEvent).toEqual(
        some(
          RealtimeEvent.AudioOut({
            frame: { data: "AQID", sampleRate: 48000, numChannels: 1, samplesPerChannel: undefined }
          })
        )
      )
    })
  )

  it.live("realtime_ws_connect_webrtc_sideband_retries_join_until_server_is_available", () =>
    Effect.scoped(
      Effect.gen(function* () {
        // Reserve a free port, release it, and only start listening there after a short delay.
        const port = yield* Effect.async<number>((resume) => {
          const probe = Http.createServer()
          probe.listen(0, "127.0.0.1", () => {
            const { port } = probe.address() as AddressInfo
            probe.close(() => resume(Effect.succeed(port)))
          })
        })
        const client = clientFor(`http://127.0.0.1:${port}/v1`, {
          retry: { ...Provider.defaultRetryConfig, maxAttempts: 1, baseDelay: 100 }
        })
        const joining = yield* Effect.fork(client.connectWebrtcSideband(v2Config({ model: "ignored" }), "rtc_test"))
        yield* Effect.sleep(20)
        const server = yield* listen(port)
        const connection = yield* Fiber.join(joining)
        const conn = yield* Queue.take(server.connections)
        expect(conn.request.url).toBe("/v1/realtime?call_id=rtc_test")
        const update = yield* conn.nextJson
        expect(update.type).toBe("session.update")
        expect(update.session.instructions).toBe("backend prompt")
        yield* conn.sendJson({ type: "session.updated", session: { id: "sess_joined" } })
        expect(yield* connection.nextEvent).toEqual(
          some(RealtimeEvent.SessionUpdated({ realtimeSessionId: "sess_joined", instructions: undefined }))
        )
      })
    )
  )

  it.scoped("sideband join tries max_attempts + 1 times and returns the last error", () =>
    Effect.gen(function* () {
      let attempts = 0
      const http = yield* listenHttp((_req, res) => {
        attempts++
        res.writeHead(503)
        res.end()
      })
      const { port } = http.address() as AddressInfo
      const client = clientFor(`http://127.0.0.1:${port}`, {
        retry: { ...Provider.defaultRetryConfig, maxAttempts: 2, baseDelay: 1 }
      })
      const fiber = yield* Effect.fork(Effect.flip(Effect.scoped(client.connectWebrtcSideband(v2Config(), "rtc_x"))))
      // Backoff sleeps run on the TestClock: advance it until the loop gives up.
      let error: ApiError.ApiError | undefined
      while (error === undefined) {
        yield* TestClock.adjust("10 millis")
        yield* Effect.sleep(0).pipe(Effect.withClock(defaultClock))
        const polled = yield* Fiber.poll(fiber)
        if (Option.isSome(polled) && Exit.isSuccess(polled.value)) error = polled.value.value
      }
      expect(attempts).toBe(3)
      expect(error.message).toBe("stream error: failed to connect realtime websocket: HTTP error: 503")
    })
  )

  it.scoped("realtime_ws_e2e_send_while_next_event_waits", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const connection = yield* clientFor(server.baseUrl).connect(v1Config())
      const conn = yield* Queue.take(server.connections)
      yield* conn.nextJson
      const pending = yield* Effect.fork(connection.nextEvent)
      yield* Effect.yieldNow()
      yield* connection.sendAudioFrame({ data: "AQID" }).pipe(Effect.timeout("200 millis"))
      expect(yield* conn.nextJson).toEqual({ type: "input_audio_buffer.append", audio: "AQID" })
      yield* conn.sendJson({
        type: "session.updated",
        session: { id: "sess_after_send", instructions: "backend prompt" }
      })
      expect(yield* Fiber.join(pending)).toEqual(
        some(RealtimeEvent.SessionUpdated({ realtimeSessionId: "sess_after_send", instructions: "backend prompt" }))
      )
    })
  )

  it.scoped("a frame that cannot be serialised is a Build error and nothing is sent", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const connection = yield* clientFor(server.baseUrl).connect(v1Config())
      const conn = yield* Queue.take(server.connections)
      yield* conn.nextJson
      const cyclic: Record<string, unknown> = {}
      cyclic.self = cyclic
      for (const data of [10n, cyclic]) {
        const error = yield* Effect.flip(connection.sendAudioFrame({ data: data as unknown as string }))
        expect(error._tag).toBe("Transport")
        expect((error as ApiError.Transport).error._tag).toBe("Build")
        expect(error.message).toMatch(/^request build error: failed to serialize JSON body: TypeError: /)
      }
      expect(connection.isClosed()).toBe(false)
      yield* connection.sendAudioFrame({ data: "AQID" })
      expect(yield* conn.nextJson).toEqual({ type: "input_audio_buffer.append", audio: "AQID" })
    })
  )

  it.scoped("send_does_not_block_while_next_event_waits_for_inbound_data (V2, text item)", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const connection = yield* clientFor(server.baseUrl).connect(v2Config())
      const conn = yield* Queue.take(server.connections)
      yield* conn.nextJson
      const pending = yield* Effect.fork(connection.nextEvent)
      yield* Effect.yieldNow()
      yield* connection.sendConversationItemCreate("while waiting")
      expect((yield* conn.nextJson).item.content[0].text).toBe("while waiting")
      expect(Option.isNone(yield* Fiber.poll(pending))).toBe(true)
      yield* conn.sendJson({ type: "response.created", response: { id: "resp_1" } })
      expect(yield* Fiber.join(pending)).toEqual(some(RealtimeEvent.ResponseCreated({ responseId: "resp_1" })))
    })
  )

  it.scoped("realtime_ws_e2e_disconnected_emitted_once", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const connection = yield* clientFor(server.baseUrl).connect(v1Config())
      const conn = yield* Queue.take(server.connections)
      expect((yield* conn.nextJson).type).toBe("session.update")
      // A Close frame without a payload, as the reference server sends.
      conn.socket.close()
      expect(yield* connection.nextEvent).toEqual(Option.none())
      expect(yield* connection.nextEvent).toEqual(Option.none())
      expect(connection.isClosed()).toBe(true)
    })
  )

  it.scoped("reader end without a Close frame also reads as closed, twice", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const connection = yield* clientFor(server.baseUrl).connect(v1Config())
      const conn = yield* Queue.take(server.connections)
      yield* conn.nextJson
      conn.socket.terminate()
      expect(yield* connection.nextEvent).toEqual(Option.none())
      expect(yield* connection.nextEvent).toEqual(Option.none())
      const error = yield* Effect.flip(connection.sendResponseCreate)
      expect(error.message).toBe("stream error: realtime websocket connection is closed")
    })
  )

  it.scoped("a read error is reported once, then the connection reads as closed", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const connection = yield* clientFor(server.baseUrl).connect(v1Config())
      const conn = yield* Queue.take(server.connections)
      yield* conn.nextJson
      // A masked frame from the server is a protocol error on the client side.
      ;(conn.socket as unknown as { _socket: { write: (b: Buffer) => void } })._socket.write(
        Buffer.from([0x81, 0x81, 0, 0, 0, 0, 0x41])
      )
      const error = yield* Effect.flip(connection.nextEvent)
      expect(error.message).toMatch(/^stream error: failed to read websocket message: .*MASK/)
      expect(yield* connection.nextEvent).toEqual(Option.none())
      expect(yield* connection.nextEvent).toEqual(Option.none())
    })
  )

  it.scoped("realtime_ws_e2e_ignores_unknown_text_events", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const connection = yield* clientFor(server.baseUrl).connect(v1Config())
      const conn = yield* Queue.take(server.connections)
      yield* conn.nextJson
      yield* conn.sendJson({ type: "response.created", response: { id: "resp_unknown" } })
      conn.socket.send("not json")
      yield* conn.sendJson({
        type: "session.updated",
        session: { id: "sess_after_unknown", instructions: "backend prompt" }
      })
      expect(yield* connection.nextEvent).toEqual(
        some(RealtimeEvent.SessionUpdated({ realtimeSessionId: "sess_after_unknown", instructions: "backend prompt" }))
      )
    })
  )

  it.scoped("binary frames become a non-fatal Error event", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const connection = yield* clientFor(server.baseUrl).connect(v1Config())
      const conn = yield* Queue.take(server.connections)
      yield* conn.nextJson
      conn.socket.send(Buffer.from([1, 2, 3]))
      yield* conn.sendJson({ type: "conversation.item.done", item: { id: "item_after_binary" } })
      expect(yield* connection.nextEvent).toEqual(
        some(RealtimeEvent.Error({ message: "unexpected binary realtime websocket event" }))
      )
      expect(yield* connection.nextEvent).toEqual(
        some(RealtimeEvent.ConversationItemDone({ itemId: "item_after_binary" }))
      )
    })
  )

  it.scoped("realtime_ws_e2e_realtime_v2_parser_emits_handoff_requested", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const connection = yield* clientFor(server.baseUrl).connect(v2Config())
      const conn = yield* Queue.take(server.connections)
      expect(conn.request.url).toBe("/v1/realtime")
      yield* conn.nextJson
      yield* conn.sendJson({
        type: "conversation.item.input_audio_transcription.completed",
        transcript: "delegate now"
      })
      yield* conn.sendJson({ type: "response.output_audio_transcript.delta", delta: "secret context" })
      const item = {
        id: "item_123",
        type: "function_call",
        name: "background_agent",
        call_id: "call_123",
        arguments: '{"prompt":"delegate now"}'
      }
      yield* conn.sendJson({ type: "conversation.item.created", item })
      yield* conn.sendJson({ type: "conversation.item.done", item })
      expect(yield* connection.nextEvent).toEqual(some(RealtimeEvent.InputTranscriptDone({ text: "delegate now" })))
      expect(yield* connection.nextEvent).toEqual(
        some(RealtimeEvent.OutputTranscriptDelta({ delta: "secret context" }))
      )
      expect(yield* connection.nextEvent).toEqual(some(RealtimeEvent.ConversationItemAdded({ item })))
      expect(yield* connection.nextEvent).toEqual(
        some(
          RealtimeEvent.HandoffRequested({
            handoffId: "call_123",
            itemId: "item_123",
            inputTranscript: "delegate now",
            activeTranscript: [
              { role: "user", text: "delegate now" },
              { role: "assistant", text: "secret context" }
            ]
          })
        )
      )
    })
  )

  it.scoped("a long turn's transcript (hundreds of deltas, read through `events`) reaches the handoff whole", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const connection = yield* clientFor(server.baseUrl).connect(v2Config())
      const conn = yield* Queue.take(server.connections)
      yield* conn.nextJson
      const deltas = Array.from({ length: 700 }, (_, i) => `d${i} `)
      for (const delta of deltas) yield* conn.sendJson({ type: "response.output_audio_transcript.delta", delta })
      yield* conn.sendJson({ type: "conversation.item.input_audio_transcription.completed", transcript: "go" })
      for (const delta of deltas.slice(0, 300)) {
        yield* conn.sendJson({ type: "response.output_audio_transcript.delta", delta })
      }
      const item = {
        id: "item_9",
        type: "function_call",
        name: "background_agent",
        call_id: "call_9",
        arguments: '{"prompt":"go"}'
      }
      yield* conn.sendJson({ type: "conversation.item.done", item })
      const events = yield* connection.events.pipe(
        Stream.takeUntil((event) => event._tag === "HandoffRequested"),
        Stream.runCollect
      )
      expect(events.length).toBe(700 + 1 + 300 + 1)
      const handoff = Chunk.unsafeLast(events)
      expect(handoff._tag === "HandoffRequested" && handoff.activeTranscript).toEqual([
        { role: "assistant", text: deltas.join("") },
        { role: "user", text: "go" },
        { role: "assistant", text: deltas.slice(0, 300).join("") }
      ])
    })
  )

  it.scoped("e2e_connect_and_exchange_events_against_mock_ws_server", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const connection = yield* clientFor(`${server.baseUrl}/v1`).connect(v1Config({ model: "realtime-test-model" }))
      const conn = yield* Queue.take(server.connections)
      expect(conn.request.url).toBe("/v1/realtime?intent=quicksilver&model=realtime-test-model")
      expect(yield* conn.nextJson).toEqual({
        type: "session.update",
        session: {
          type: "quicksilver",
          instructions: "backend prompt",
          audio: { input: { format: { type: "audio/pcm", rate: 24000 } }, output: { voice: "breeze" } }
        }
      })
      yield* connection.sendAudioFrame({ data: "AQID", sampleRate: 24000, numChannels: 1 })
      yield* connection.sendConversationItemCreate("hello agent")
      yield* connection.sendConversationFunctionCallOutput("handoff_1", "hello from background agent")
      yield* connection.sendConversationHandoffAppend("codex", "raw output")
      yield* connection.sendResponseCreate
      expect(yield* conn.nextJson).toEqual({ type: "input_audio_buffer.append", audio: "AQID" })
      expect(yield* conn.nextJson).toEqual({
        type: "conversation.item.create",
        item: { type: "message", role: "user", content: [{ type: "input_text", text: "hello agent" }] }
      })
      expect(yield* conn.nextJson).toEqual({
        type: "conversation.handoff.append",
        handoff_id: "handoff_1",
        output_text: '"Agent Final Message":\n\nhello from background agent'
      })
      expect(yield* conn.nextJson).toEqual({
        type: "conversation.handoff.append",
        handoff_id: "codex",
        output_text: "raw output"
      })
      expect(yield* conn.nextJson).toEqual({ type: "response.create" })

      yield* conn.sendJson({ type: "session.updated", session: { id: "sess_1", instructions: "backend prompt" } })
      yield* conn.sendJson({ type: "conversation.output_audio.delta", delta: "AAA=", sample_rate: 48000, channels: 1 })
      yield* conn.sendJson({ type: "conversation.input_transcript.delta", delta: "delegate " })
      yield* conn.sendJson({ type: "conversation.input_transcript.delta", delta: "now" })
      yield* conn.sendJson({ type: "conversation.output_transcript.delta", delta: "working" })
      yield* conn.sendJson({
        type: "conversation.handoff.requested",
        handoff_id: "handoff_1",
        item_id: "item_2",
        input_transcript: "delegate now"
      })
      const events: Array<RealtimeEvent> = []
      for (let i = 0; i < 6; i++) events.push(Option.getOrThrow(yield* connection.nextEvent))
      expect(events.map((e) => e._tag)).toEqual([
        "SessionUpdated",
        "AudioOut",
        "InputTranscriptDelta",
        "InputTranscriptDelta",
        "OutputTranscriptDelta",
        "HandoffRequested"
      ])
      expect(events[5]).toEqual(
        RealtimeEvent.HandoffRequested({
          handoffId: "handoff_1",
          itemId: "item_2",
          inputTranscript: "delegate now",
          activeTranscript: [
            { role: "user", text: "delegate now" },
            { role: "assistant", text: "working" }
          ]
        })
      )
    })
  )

  it.scoped("transcript after a handoff starts fresh; speech_started / response.created force new entries", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const connection = yield* clientFor(server.baseUrl).connect(v2Config())
      const conn = yield* Queue.take(server.connections)
      yield* conn.nextJson
      const handoff = (id: string, prompt: string) => ({
        type: "conversation.item.done",
        item: {
          id,
          call_id: id,
          type: "function_call",
          name: "background_agent",
          arguments: JSON.stringify({ prompt })
        }
      })
      const frames = [
        { type: "conversation.item.input_audio_transcription.delta", delta: "first" },
        handoff("h1", "first"),
        { type: "conversation.item.input_audio_transcription.delta", delta: "one" },
        { type: "input_audio_buffer.speech_started" },
        { type: "conversation.item.input_audio_transcription.delta", delta: "two" },
        { type: "response.output_text.delta", delta: "a" },
        { type: "response.created", response: { id: "r" } },
        { type: "response.output_text.delta", delta: "b" },
        { type: "response.output_text.done", text: "B!" },
        { type: "response.output_text.delta", delta: "" },
        handoff("h2", "  spoken  ")
      ]
      for (const frame of frames) yield* conn.sendJson(frame)
      const events: Array<RealtimeEvent> = []
      for (let i = 0; i < frames.length; i++) events.push(Option.getOrThrow(yield* connection.nextEvent))
      const handoffs = events.filter(RealtimeEvent.$is("HandoffRequested"))
      expect(handoffs[0]?.activeTranscript).toEqual([{ role: "user", text: "first" }])
      expect(handoffs[1]?.activeTranscript).toEqual([
        { role: "user", text: "one" },
        { role: "user", text: "two" },
        { role: "assistant", text: "a" },
        { role: "assistant", text: "B!" },
        { role: "user", text: "spoken" }
      ])
    })
  )

  it.scoped("realtime_v2_session_update_includes_background_agent_tool_and_handoff_output_item", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const connection = yield* clientFor(server.baseUrl).connect(v2Config())
      const conn = yield* Queue.take(server.connections)
      const update = yield* conn.nextJson
      expect(update.type).toBe("session.update")
      const session = update.session
      expect(session.type).toBe("realtime")
      expect(session.instructions).toBe("backend prompt")
      expect(session.output_modalities).toEqual(["audio"])
      expect(session.audio.input).toEqual({
        format: { type: "audio/pcm", rate: 24000 },
        noise_reduction: { type: "near_field" },
        transcription: { model: "gpt-4o-mini-transcribe" },
        turn_detection: {
          type: "server_vad",
          interrupt_response: true,
          create_response: true,
          silence_duration_ms: 500
        }
      })
      expect(session.audio.output).toEqual({ format: { type: "audio/pcm", rate: 24000 }, voice: "cedar" })
      expect(session.tools.map((t: any) => t.name)).toEqual(["background_agent", "remain_silent"])
      expect(session.tools[0].parameters.required).toEqual(["prompt"])
      expect(session.tools[0].description).toMatch(
        /^Send a user request to the background agent\. Use this as the default/
      )
      expect(session.tools[1].parameters).toEqual({ type: "object", properties: {}, additionalProperties: false })
      expect(session.tool_choice).toBe("auto")

      yield* connection.sendConversationItemCreate("hello")
      yield* connection.sendConversationFunctionCallOutput("call_1", "delegated result")
      expect(yield* conn.nextJson).toEqual({
        type: "conversation.item.create",
        item: { type: "message", role: "user", content: [{ type: "input_text", text: "hello" }] }
      })
      expect(yield* conn.nextJson).toEqual({
        type: "conversation.item.create",
        item: { type: "function_call_output", call_id: "call_1", output: "delegated result" }
      })
    })
  )

  it.scoped("transcription_mode_session_update_omits_output_audio_and_instructions", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const connection = yield* clientFor(server.baseUrl).connect(v2Config({ sessionMode: "Transcription" }))
      const conn = yield* Queue.take(server.connections)
      expect(yield* conn.nextJson).toEqual({
        type: "session.update",
        session: {
          type: "transcription",
          audio: {
            input: { format: { type: "audio/pcm", rate: 24000 }, transcription: { model: "gpt-4o-mini-transcribe" } }
          }
        }
      })
      yield* conn.sendJson({ type: "session.updated", session: { id: "sess_t" } })
      expect(yield* connection.nextEvent).toEqual(
        some(RealtimeEvent.SessionUpdated({ realtimeSessionId: "sess_t", instructions: undefined }))
      )
      yield* connection.sendAudioFrame({ data: "AQID", sampleRate: 24_000, numChannels: 1, samplesPerChannel: 480 })
      expect(yield* conn.nextJson).toEqual({ type: "input_audio_buffer.append", audio: "AQID" })
      yield* connection.close
      // The server sees a normal close (no payload: 1005) and nothing else after the audio frame.
      expect(yield* Deferred.await(conn.closed)).toBe(1005)
      expect(yield* Queue.size(conn.received)).toBe(0)
    })
  )

  it.scoped("v1_transcription_mode_is_treated_as_conversational", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      yield* clientFor(server.baseUrl).connect(v1Config({ sessionMode: "Transcription", voice: "cove" }))
      const conn = yield* Queue.take(server.connections)
      expect(conn.request.url).toBe("/v1/realtime?intent=quicksilver")
      const update = yield* conn.nextJson
      expect(update.session.type).toBe("quicksilver")
      expect(update.session.instructions).toBe("backend prompt")
      expect(update.session.audio.output.voice).toBe("cove")
      expect(update.session.tools).toBeUndefined()
    })
  )

  it.scoped("merge_request_headers_matches_http_precedence (and x-session-id)", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const client = RealtimeWebsocket.make(
        Provider.make({ baseUrl: server.baseUrl, headers: { originator: "provider", "x-priority": "provider" } })
      )
      yield* client.connect(
        v1Config({ sessionId: "sess-42" }),
        { "x-priority": "extra", authorization: "Bearer extra-token", "x-session-id": "overridden" },
        { originator: "default", "x-default-only": "yes", "x-priority": "default" }
      )
      const conn = yield* Queue.take(server.connections)
      const headers = conn.request.headers
      expect(headers.originator).toBe("provider")
      expect(headers["x-priority"]).toBe("extra")
      expect(headers["x-default-only"]).toBe("yes")
      expect(headers.authorization).toBe("Bearer extra-token")
      expect(headers["x-session-id"]).toBe("sess-42")
      expect(headers["sec-websocket-extensions"]).toBeUndefined()
    })
  )

  it.effect("an invalid session id fails before connecting", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Effect.scoped(clientFor("http://127.0.0.1:9").connect(v1Config({ sessionId: "bad\nid" })))
      )
      expect(error.message).toMatch(/^stream error: invalid realtime session id header: /)
    })
  )

  it.effect("unsupported schemes fail with the reference message", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Effect.scoped(clientFor("ftp://127.0.0.1:9").connect(v1Config())))
      expect(error).toEqual(ApiError.stream("unsupported realtime api_url scheme: ftp"))
    })
  )

  it.scoped("bad base URLs and headers are a Build error naming the header, never sent, never retried", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const secret = "s3cret-VALUE"
      const build = (error: ApiError.ApiError) => {
        expect(error._tag).toBe("Transport")
        expect((error as ApiError.Transport).error._tag).toBe("Build")
        expect(error.message).not.toContain(secret)
        expect(JSON.stringify(error)).not.toContain(secret)
        return (error as ApiError.Transport).error.message
      }
      for (const [baseUrl, pattern] of [
        [`${server.baseUrl}/v1#frag`, /fragment/],
        ["http:///v1", /no host/]
      ] as const) {
        expect(build(yield* Effect.flip(clientFor(baseUrl).connect(v1Config())))).toMatch(pattern)
      }
      const headerCases: ReadonlyArray<
        readonly [
          string,
          Partial<Parameters<typeof Provider.make>[0]>,
          (Record<string, string> | undefined)?,
          Record<string, string>?
        ]
      > = [
        ["authorization", {}, { Authorization: `Bearer ${secret}\r\nx-injected: 1` }],
        ["chatgpt-account-id", {}, { "ChatGPT-Account-ID": `${secret}\u0000` }],
        ["bad name", {}, { "bad name": secret }],
        ["x-provider", { headers: { "x-provider": `${secret}\n` } }],
        ["x-default", {}, undefined, { "x-default": `${secret}\u20ac` }]
      ]
      for (const [name, options, extra, defaults] of headerCases) {
        const client = clientFor(server.baseUrl, options)
        expect(build(yield* Effect.flip(client.connect(v1Config(), extra, defaults)))).toContain(JSON.stringify(name))
        // The sideband join retries connection failures with backoff; a bad header fails at once.
        expect(build(yield* Effect.flip(client.connectWebrtcSideband(v2Config(), "rtc_1", extra, defaults)))).toContain(
          JSON.stringify(name)
        )
      }
      const sessionError = yield* Effect.flip(
        clientFor(server.baseUrl).connect(v1Config({ sessionId: `${secret}\r\n` }))
      )
      expect(sessionError.message).toMatch(/^stream error: invalid realtime session id header: x-session-id /)
      expect(sessionError.message).not.toContain(secret)
      expect(yield* Queue.size(server.connections)).toBe(0)
    })
  )

  it.scoped("a rejected handshake fails with 'failed to connect realtime websocket'", () =>
    Effect.gen(function* () {
      const http = yield* listenHttp((_req, res) => {
        res.writeHead(401, { "content-type": "text/plain" })
        res.end("nope")
      })
      const { port } = http.address() as AddressInfo
      const error = yield* Effect.flip(clientFor(`http://127.0.0.1:${port}`).connect(v1Config()))
      expect(error.message).toBe("stream error: failed to connect realtime websocket: HTTP error: 401")
    })
  )

  it.scoped("connect fails after the connect timeout when the upgrade is never answered, and drops the socket", () =>
    Effect.gen(function* () {
      const server = yield* listenSilent
      const fiber = yield* Effect.fork(
        Effect.flip(clientFor(server.origin, { websocketConnectTimeout: "250 millis" }).connect(v1Config()))
      )
      const conn = yield* Queue.take(server.connections)
      expect(yield* Deferred.await(conn.received)).toMatch(/^GET \/v1\/realtime\?intent=quicksilver HTTP\/1\.1\r\n/)
      yield* TestClock.adjust("249 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(fiber)).toEqual(
        ApiError.stream("failed to connect realtime websocket: no answer to the upgrade request within 250ms")
      )
      yield* Deferred.await(conn.closed)
    })
  )

  it.scoped("close is idempotent, sends a Close frame, then sends fail and nextEvent is None", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const connection = yield* clientFor(server.baseUrl).connect(v1Config())
      const conn = yield* Queue.take(server.connections)
      yield* conn.nextJson
      yield* connection.close
      yield* connection.close
      expect(yield* Deferred.await(conn.closed)).toBe(1005)
      const error = yield* Effect.flip(connection.sendPayload("{}"))
      expect(error).toEqual(ApiError.stream("realtime websocket connection is closed"))
      expect(yield* connection.nextEvent).toEqual(Option.none())
    })
  )

  it.effect("closing the scope drops the socket: the server sees the close", () =>
    Effect.gen(function* () {
      const outer = yield* Scope.make()
      const server = yield* Scope.extend(listen(), outer)
      const scope = yield* Scope.make()
      const connection = yield* Scope.extend(clientFor(server.baseUrl).connect(v1Config()), scope)
      const conn = yield* Queue.take(server.connections)
      const pending = yield* Effect.fork(connection.nextEvent)
      yield* Scope.close(scope, Exit.void)
      yield* Fiber.interrupt(pending)
      expect(yield* Deferred.await(conn.closed)).toBe(1006)
      yield* Scope.close(outer, Exit.void)
    })
  )

  it.scoped("events stream ends when the server closes", () =>
    Effect.gen(function* () {
      const server = yield* listen()
      const connection = yield* clientFor(server.baseUrl).connect(v2Config())
      const conn = yield* Queue.take(server.connections)
      yield* conn.nextJson
      yield* conn.sendJson({ type: "response.created", response: { id: "a" } })
      yield* conn.sendJson({ type: "response.done", response: { id: "a" } })
      conn.socket.close()
      const events = Chunk.toReadonlyArray(yield* Stream.runCollect(connection.events))
      expect(events.map((e) => e._tag)).toEqual(["ResponseCreated", "ResponseDone"])
    })
  )
})
