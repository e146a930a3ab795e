import * as Auth from "@codex/api/Auth"
import * as Provider from "@codex/api/Provider"
import * as ResponsesWebsocket from "@codex/api/ResponsesWebsocket"
import * as WebsocketTelemetry from "@codex/api/WebsocketTelemetry"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { listenWs } from "./utils/wsServer.js"

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

const capture = () => {
  const requests: Array<WebsocketTelemetry.WsRequest> = []
  const events: Array<WebsocketTelemetry.WsEvent> = []
  const layer = WebsocketTelemetry.layer({
    onWsRequest: (request) => Effect.sync(() => requests.push(request)),
    onWsEvent: (event) => Effect.sync(() => events.push(event))
  })
  const summary = () =>
    events.map(({ result }) => {
      if (result._tag !== "Message") return result._tag
      const message = result.message
      return message._tag === "Text" ? `Text:${JSON.parse(message.text).type}` : message._tag
    })
  return { requests, events, layer, summary }
}

/** A real `ws` server and one client connection to it (`conn` is the server side). */
const connected = (streamIdleTimeout = 10_000) =>
  Effect.gen(function* () {
    const server = yield* listenWs()
    const client = yield* ResponsesWebsocket.make.pipe(
      Effect.provide(
        Layer.mergeAll(
          Provider.layer(Provider.make({ baseUrl: `${server.origin}/v1`, streamIdleTimeout })),
          Auth.layerBearer({ token: Redacted.make("secret-token") })
        )
      )
    )
    const connection = yield* client.connect()
    const conn = yield* Queue.take(server.connections)
    return { connection, conn }
  })

const request: ResponsesWebsocket.ResponseCreateWsRequest = {
  model: "gpt-test",
  instructions: "",
  input: [],
  tools: [],
  toolChoice: "auto",
  parallelToolCalls: false,
  store: false,
  stream: true,
  include: []
}

const run = (
  connection: ResponsesWebsocket.ResponsesWebsocketConnection,
  layer: Layer.Layer<WebsocketTelemetry.WebsocketTelemetry>,
  connectionReused = false
) =>
  Stream.runCollect(connection.streamRequest(request, connectionReused)).pipe(
    Effect.map(Chunk.toReadonlyArray),
    Effect.either,
    Effect.provide(layer)
  )

const delta = { type: "response.output_text.delta", delta: "hi" }
const completed = { type: "response.completed", response: { id: "resp1" } }

// ---------------------------------------------------------------------------------------------
// tests
// ---------------------------------------------------------------------------------------------

describe("WebsocketTelemetry", () => {
  it.effect("the default is the no-op", () =>
    Effect.gen(function* () {
      expect(yield* WebsocketTelemetry.WebsocketTelemetry).toBe(WebsocketTelemetry.noop)
    })
  )

  it.scopedLive("reports the request once and every frame read, over a real ws server", () =>
    Effect.gen(function* () {
      const { connection, conn } = yield* connected()
      const { requests, events, layer, summary } = capture()
      const fiber = yield* Effect.fork(run(connection, layer))
      expect((yield* conn.nextJson).type).toBe("response.create")
      yield* conn.sendJson(delta)
      yield* conn.sendJson(completed)
      const result = yield* fiber
      expect(Either.isRight(result)).toBe(true)
      expect(requests).toHaveLength(1)
      expect(requests[0]!.error).toBeUndefined()
      expect(requests[0]!.connectionReused).toBe(false)
      expect(summary()).toEqual(["Text:response.output_text.delta", "Text:response.completed"])
      expect(events.every((event) => Duration.toMillis(event.duration) >= 0)).toBe(true)

      // A second request on the same connection carries the caller's connectionReused flag.
      const second = capture()
      const again = yield* Effect.fork(run(connection, second.layer, true))
      yield* conn.nextJson
      yield* conn.sendJson(completed)
      expect(Either.isRight(yield* again)).toBe(true)
      expect(second.requests.map((r) => r.connectionReused)).toEqual([true])
      expect(second.summary()).toEqual(["Text:response.completed"])
    })
  )

  it.scopedLive("a Close frame before response.completed is reported as a Close message", () =>
    Effect.gen(function* () {
      const { connection, conn } = yield* connected()
      const { layer, events } = capture()
      const fiber = yield* Effect.fork(run(connection, layer))
      yield* conn.nextJson
      yield* Effect.sync(() => conn.socket.close(4000, "bye"))
      const result = yield* fiber
      expect(Either.isLeft(result)).toBe(true)
      expect(events.map((event) => event.result)).toContainEqual(
        WebsocketTelemetry.WsEventResult.Message({ message: { _tag: "Close", code: 4000, reason: "bye" } })
      )
    })
  )

  it.scopedLive("the idle timeout is reported as Timeout with the time waited", () =>
    Effect.gen(function* () {
      const { connection, conn } = yield* connected(150)
      const { layer, events } = capture()
      const fiber = yield* Effect.fork(run(connection, layer))
      yield* conn.nextJson
      const result = yield* fiber
      expect(Either.isLeft(result) && result.left.message).toBe("stream error: idle timeout waiting for websocket")
      expect(events.map((event) => event.result._tag)).toEqual(["Timeout"])
      expect(Duration.toMillis(events[0]!.duration)).toBeGreaterThanOrEqual(150)
    })
  )
})
