/**
 * The inbound buffer of the WebSocket wrapper against a real `ws` server on 127.0.0.1: frames are
 * read in order without loss, and a reader that falls behind pauses the socket (bounded memory, TCP
 * back-pressure on the server) until it catches up.
 */
import * as Headers from "@effect/platform/Headers"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import * as Ws from "../src/internal/websocket.js"
import { listenWs } from "./utils/wsServer.js"

/** Real-time polling (every 10 ms, at most `ms`) until `condition` holds. */
const eventually = (condition: () => boolean, ms = 10_000) =>
  Effect.promise(
    () =>
      new Promise<boolean>((resolve) => {
        const deadline = Date.now() + ms
        const check = () => {
          if (condition()) resolve(true)
          else if (Date.now() > deadline) resolve(false)
          else setTimeout(check, 10)
        }
        check()
      })
  )

const connect = (origin: string) =>
  Ws.connect(`${origin.replace("http", "ws")}/v1/responses`, {
    headers: Headers.empty,
    perMessageDeflate: false,
    connectTimeout: "10 seconds"
  })

describe("websocket inbound buffer", () => {
  it.scopedLive("pauses the socket while the reader is behind, then delivers every frame in order", () =>
    Effect.gen(function* () {
      const server = yield* listenWs()
      const socket = yield* connect(server.origin)
      const conn = yield* Queue.take(server.connections)
      // 3 × the buffer bound, in 16 KiB frames that say their index.
      const frameBytes = 16 * 1024
      const count = Math.ceil((3 * Ws.maxBufferedBytes) / frameBytes)
      const padding = "x".repeat(frameBytes - 16)
      for (let i = 0; i < count; i++) conn.socket.send(`${String(i).padStart(8, "0")}${padding}`)

      // Nothing is read: the client stops reading from TCP once the buffer is over its bound.
      expect(yield* eventually(() => socket.raw.isPaused)).toBe(true)
      const serverBacklog = conn.socket.bufferedAmount

      let expected = 0
      while (expected < count) {
        const frame = yield* socket.read
        if (frame._tag !== "Text") throw new Error(`unexpected ${frame._tag}`)
        expect(frame.text.slice(0, 8)).toBe(String(expected).padStart(8, "0"))
        expected++
      }
      expect(expected).toBe(count)
      expect(socket.raw.isPaused).toBe(false)
      expect(socket.take()).toBeUndefined()
      // The server was held back while the client was paused (some of it sat in kernel buffers).
      expect(serverBacklog).toBeGreaterThan(0)
    })
  )

  it.scopedLive("take never waits; onReadable fires once a frame is buffered; the end repeats", () =>
    Effect.gen(function* () {
      const server = yield* listenWs()
      const socket = yield* connect(server.origin)
      const conn = yield* Queue.take(server.connections)
      expect(socket.take()).toBeUndefined()
      let fired = 0
      socket.onReadable(() => fired++)
      yield* conn.sendJson({ n: 1 })
      expect(yield* eventually(() => fired === 1)).toBe(true)
      expect(socket.take()).toEqual({ _tag: "Text", text: `{"n":1}` })
      conn.socket.close(4000, "bye")
      yield* socket.readable
      expect(socket.take()).toEqual({ _tag: "Close", code: 4000, reason: "bye" })
      expect(socket.take()).toEqual({ _tag: "End" })
      expect(yield* socket.read).toEqual({ _tag: "End" })
      expect(fired).toBe(1)
    })
  )
})
