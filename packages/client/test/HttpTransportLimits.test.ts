/**
 * The transport's bounds at the byte level, on raw `net` servers: time to response headers (a server
 * that never answers, or sends half a status line) and the size / time spent on an error body.
 */
import * as net from "node:net"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as HttpTransport from "../src/HttpTransport.js"
import * as Request from "../src/Request.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import type * as TransportError from "../src/TransportError.js"

// ---------------------------------------------------------------------------------------------
// a raw TCP server scripted per connection
// ---------------------------------------------------------------------------------------------

interface RawServer {
  readonly url: string
  /** Requests received so far (an aborted request may leave an idle pool connection behind). */
  readonly requests: () => number
  /** Whether every socket that carried a request is closed. */
  readonly requestSocketsClosed: () => boolean
}

/** A server that runs `onRequest` once the request head arrived; sockets are destroyed on release. */
const rawServer = (onRequest: (socket: net.Socket) => void): Effect.Effect<RawServer, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ server: net.Server; sockets: Set<net.Socket>; raw: RawServer }>((resume) => {
      const sockets = new Set<net.Socket>()
      const carried: Array<net.Socket> = []
      const server = net.createServer((socket) => {
        sockets.add(socket)
        socket.on("error", () => {})
        socket.on("close", () => sockets.delete(socket))
        let head = ""
        let started = false
        socket.on("data", (chunk) => {
          head += chunk.toString("latin1")
          if (!started && head.includes("\r\n\r\n")) {
            started = true
            carried.push(socket)
            onRequest(socket)
          }
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as net.AddressInfo
        resume(
          Effect.succeed({
            server,
            sockets,
            raw: {
              url: `http://127.0.0.1:${port}`,
              requests: () => carried.length,
              requestSocketsClosed: () => carried.length > 0 && carried.every((socket) => socket.destroyed)
            }
          })
        )
      })
    }),
    ({ server, sockets }) =>
      Effect.async<void>((resume) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ raw }) => raw))

const silent = () => {}
const halfStatusLine = (socket: net.Socket) => socket.write("HTTP/1.1 20")

/** A 500 whose body is `size` bytes of `x`, written in 64 KiB chunks as the socket drains. */
const bigError =
  (size: number) =>
  (socket: net.Socket): void => {
    socket.write(`HTTP/1.1 500 Internal Server Error\r\ncontent-length: ${size}\r\ncontent-type: text/plain\r\n\r\n`)
    const chunk = Buffer.alloc(64 * 1024, "x")
    let left = size
    const pump = () => {
      while (left > 0 && !socket.destroyed) {
        const n = Math.min(left, chunk.length)
        left -= n
        if (!socket.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          socket.once("drain", pump)
          return
        }
      }
    }
    pump()
  }

/** A 503 with a chunked body that drips one byte every 100 ms, forever. */
const drip = (socket: net.Socket): void => {
  socket.write("HTTP/1.1 503 Service Unavailable\r\ntransfer-encoding: chunked\r\n\r\n")
  const timer = setInterval(() => socket.write("1\r\nd\r\n"), 100)
  socket.on("close", () => clearInterval(timer))
}

/** Polls `condition` (real time) for up to 5 s. */
const eventually = (what: string, condition: () => boolean) =>
  Effect.gen(function* () {
    for (let i = 0; i < 500; i++) {
      if (condition()) return
      yield* Effect.sleep("10 millis")
    }
    return yield* Effect.die(new Error(`timed out waiting for: ${what}`))
  })

const failure = <A>(exit: Exit.Exit<A, TransportError.TransportError>): TransportError.TransportError => {
  if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") throw new Error(`expected a typed failure: ${exit}`)
  return exit.cause.error
}

type Send = (
  transport: HttpTransport.Service,
  request: Request.Request
) => Effect.Effect<unknown, TransportError.TransportError>

const sends: ReadonlyArray<readonly [string, Send]> = [
  ["execute", (transport, request) => transport.execute(request)],
  ["stream", (transport, request) => Effect.scoped(transport.stream(request))]
]

const layers: ReadonlyArray<readonly [string, Layer.Layer<HttpTransport.HttpTransport>]> = [
  ["layerNode", HttpTransport.layerNode],
  ["layerFetch", HttpTransport.layerFetch]
]

for (const [layerName, layer] of layers) {
  for (const [sendName, send] of sends) {
    describe(`HttpTransport.${layerName} ${sendName}`, () => {
      const run = <A, E>(effect: Effect.Effect<A, E, HttpTransport.HttpTransport | Scope.Scope>) =>
        Effect.provide(effect, layer)

      it.scopedLive("a server that never sends a status line fails with Timeout and the socket is closed", () =>
        run(
          Effect.gen(function* () {
            const server = yield* rawServer(silent)
            const transport = yield* HttpTransport.HttpTransport
            const request = Request.withHeadersTimeout(Request.make("POST", `${server.url}/v1/responses`), "300 millis")
            const error = failure(yield* Effect.exit(send(transport, request)))
            expect(error._tag).toBe("Timeout")
            yield* eventually("the socket is closed", () => server.requestSocketsClosed())
          })
        )
      )

      it.scopedLive("half a status line: the transport default (currentHeadersTimeout) applies", () =>
        run(
          Effect.gen(function* () {
            const server = yield* rawServer(halfStatusLine)
            const transport = yield* HttpTransport.HttpTransport
            const request = Request.make("GET", `${server.url}/v1/models`)
            const error = failure(
              yield* Effect.exit(HttpTransport.withLimits(send(transport, request), { headersTimeout: "300 millis" }))
            )
            expect(error._tag).toBe("Timeout")
            yield* eventually("the socket is closed", () => server.requestSocketsClosed())
          })
        )
      )

      it.scopedLive("the Timeout is retried by the retry policy", () =>
        run(
          Effect.gen(function* () {
            const server = yield* rawServer(silent)
            const transport = yield* HttpTransport.HttpTransport
            const request = Request.withHeadersTimeout(Request.make("GET", `${server.url}/v1/models`), "200 millis")
            const policy: RetryPolicy.RetryPolicy = {
              maxAttempts: 2,
              baseDelay: "1 millis",
              retryOn: { retry429: false, retry5xx: false, retryTransport: true }
            }
            const error = failure(yield* Effect.exit(RetryPolicy.run(policy, () => send(transport, request))))
            expect(error._tag).toBe("Timeout")
            expect(server.requests()).toBe(3)
          })
        )
      )

      it.scopedLive("a 500 with a 16 MiB body keeps the first 64 KiB and stops reading", () =>
        run(
          Effect.gen(function* () {
            const server = yield* rawServer(bigError(16 * 1024 * 1024))
            const transport = yield* HttpTransport.HttpTransport
            const error = failure(yield* Effect.exit(send(transport, Request.make("GET", `${server.url}/v1/models`))))
            if (error._tag !== "Http") throw new Error(`expected Http, got ${error._tag}`)
            expect(error.status).toBe(500)
            expect(error.body).toBe("x".repeat(HttpTransport.defaultMaxErrorBodySize))
            expect(error.bodyTruncated).toBe(true)
            expect(error.message.length).toBeLessThan(HttpTransport.defaultMaxErrorBodySize + 100)
            yield* eventually("the socket is closed", () => server.requestSocketsClosed())
          })
        )
      )

      it.scopedLive("the error body cap is configurable; a body within it is kept whole", () =>
        run(
          Effect.gen(function* () {
            const server = yield* rawServer(bigError(100))
            const transport = yield* HttpTransport.HttpTransport
            const request = Request.make("GET", `${server.url}/v1/models`)
            const small = failure(
              yield* Effect.exit(HttpTransport.withLimits(send(transport, request), { maxErrorBodySize: 10 }))
            )
            if (small._tag !== "Http") throw new Error(`expected Http, got ${small._tag}`)
            expect(small.body).toBe("x".repeat(10))
            expect(small.bodyTruncated).toBe(true)
            const whole = failure(yield* Effect.exit(send(transport, request)))
            if (whole._tag !== "Http") throw new Error(`expected Http, got ${whole._tag}`)
            expect(whole.body).toBe("x".repeat(100))
            expect(whole.bodyTruncated).toBeUndefined()
          })
        )
      )

      it.scopedLive("an error body that drips is read only until the timeout", () =>
        run(
          Effect.gen(function* () {
            const server = yield* rawServer(drip)
            const transport = yield* HttpTransport.HttpTransport
            const request = Request.withHeadersTimeout(Request.make("GET", `${server.url}/v1/models`), "2 seconds")
            const error = failure(yield* Effect.exit(send(transport, request)))
            if (error._tag !== "Http") throw new Error(`expected Http, got ${error._tag}`)
            expect(error.status).toBe(503)
            expect(error.body).toMatch(/^d*$/)
            expect(error.bodyTruncated).toBe(true)
            yield* eventually("the socket is closed", () => server.requestSocketsClosed())
          })
        )
      )
    })
  }
}

describe("HttpTransport.layerLimits", () => {
  it.scopedLive("sets the time to headers and the error body cap for the program it is provided to", () =>
    Effect.gen(function* () {
      const silentServer = yield* rawServer(silent)
      const bigServer = yield* rawServer(bigError(100))
      const transport = yield* HttpTransport.HttpTransport
      const timedOut = failure(yield* Effect.exit(transport.execute(Request.make("GET", `${silentServer.url}/v1`))))
      expect(timedOut._tag).toBe("Timeout")
      const cut = failure(yield* Effect.exit(transport.execute(Request.make("GET", `${bigServer.url}/v1`))))
      if (cut._tag !== "Http") throw new Error(`expected Http, got ${cut._tag}`)
      expect(cut.body).toBe("xxx")
      expect(cut.bodyTruncated).toBe(true)
    }).pipe(
      Effect.provide(
        Layer.merge(
          HttpTransport.layerNode,
          HttpTransport.layerLimits({ headersTimeout: "300 millis", maxErrorBodySize: 3 })
        )
      )
    )
  )
})
