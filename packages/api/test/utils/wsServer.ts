/**
 * A real `ws` server on 127.0.0.1 (port 0 unless given), driven from the test: each accepted
 * connection is offered on `connections` with its inbound text frames, pongs and close code. The
 * server is closed (clients terminated) when the scope closes.
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Queue from "effect/Queue"
import * as Http from "node:http"
import * as Https from "node:https"
import * as Net from "node:net"
import type { AddressInfo } from "node:net"
import { type WebSocket, WebSocketServer } from "ws"

export interface ServerConn {
  readonly socket: WebSocket
  readonly request: Http.IncomingMessage
  readonly received: Queue.Queue<string>
  readonly closed: Deferred.Deferred<number>
  readonly pongs: Queue.Queue<void>
  readonly sendJson: (value: unknown) => Effect.Effect<void>
  readonly nextJson: Effect.Effect<any>
}

export interface ListenOptions {
  /** Listen on this port (default 0); ignored with `httpServer`. */
  readonly port?: number | undefined
  /** Attach to a listening `node:http` / `node:https` server instead of listening. */
  readonly httpServer?: Http.Server | Https.Server | undefined
  /** Extra headers of the 101 response. */
  readonly upgradeHeaders?: Record<string, string> | undefined
  /** Default: off (the `ws` default). */
  readonly perMessageDeflate?: boolean | undefined
}

export const listenWs = (options: ListenOptions = {}) =>
  Effect.gen(function* () {
    const connections = yield* Queue.unbounded<ServerConn>()
    const httpServer = options.httpServer
    const server = yield* Effect.acquireRelease(
      Effect.async<WebSocketServer>((resume) => {
        const perMessageDeflate = options.perMessageDeflate ?? false
        const wss =
          httpServer === undefined
            ? new WebSocketServer({ host: "127.0.0.1", port: options.port ?? 0, perMessageDeflate })
            : new WebSocketServer({ server: httpServer, perMessageDeflate })
        wss.on("headers", (headers) => {
          for (const [name, value] of Object.entries(options.upgradeHeaders ?? {})) headers.push(`${name}: ${value}`)
        })
        wss.on("connection", (socket, request) => {
          const received = Effect.runSync(Queue.unbounded<string>())
          const pongs = Effect.runSync(Queue.unbounded<void>())
          const closed = Effect.runSync(Deferred.make<number>())
          socket.on("message", (data, isBinary) => {
            if (!isBinary) Queue.unsafeOffer(received, data.toString())
          })
          socket.on("pong", () => Queue.unsafeOffer(pongs, undefined))
          socket.on("close", (code) => Deferred.unsafeDone(closed, Exit.succeed(code)))
          Queue.unsafeOffer(connections, {
            socket,
            request,
            received,
            closed,
            pongs,
            sendJson: (value) => Effect.sync(() => socket.send(JSON.stringify(value))),
            nextJson: Effect.map(Queue.take(received), (text) => JSON.parse(text))
          })
        })
        if (httpServer === undefined) wss.on("listening", () => resume(Effect.succeed(wss)))
        else resume(Effect.succeed(wss))
      }),
      (wss) =>
        Effect.async<void>((resume) => {
          for (const client of wss.clients) client.terminate()
          wss.close(() => resume(Effect.void))
        })
    )
    const { port } = (httpServer ?? server).address() as AddressInfo
    const scheme = httpServer instanceof Https.Server ? "https" : "http"
    return { connections, port, origin: `${scheme}://127.0.0.1:${port}` }
  })

/** A plain `node:http` server on 127.0.0.1 port 0 (e.g. to reject the upgrade), closed with the scope. */
export const listenHttp = (handler: Http.RequestListener) =>
  Effect.acquireRelease(
    Effect.async<Http.Server>((resume) => {
      const server = Http.createServer(handler)
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
      })
  )

/** A raw connection of {@link listenSilent}: the bytes it sent and when it closed. */
export interface SilentConn {
  readonly received: Deferred.Deferred<string>
  readonly closed: Deferred.Deferred<void>
}

/**
 * A raw `net` server on 127.0.0.1 that accepts connections, reads the request head and never
 * answers (a handshake that never completes). Closed with the scope.
 */
export const listenSilent = Effect.gen(function* () {
  const connections = yield* Queue.unbounded<SilentConn>()
  const sockets = new Set<Net.Socket>()
  const server = yield* Effect.acquireRelease(
    Effect.async<Net.Server>((resume) => {
      const server = Net.createServer((socket) => {
        sockets.add(socket)
        const received = Effect.runSync(Deferred.make<string>())
        const closed = Effect.runSync(Deferred.make<void>())
        let head = ""
        socket.on("data", (chunk) => {
          head += chunk.toString("latin1")
          if (head.includes("\r\n\r\n")) Deferred.unsafeDone(received, Exit.succeed(head))
        })
        socket.on("error", () => {})
        socket.on("close", () => {
          sockets.delete(socket)
          Deferred.unsafeDone(closed, Exit.void)
        })
        Queue.unsafeOffer(connections, { received, closed })
      })
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.async<void>((resume) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resume(Effect.void))
      })
  )
  const { port } = server.address() as AddressInfo
  return { connections, port, origin: `http://127.0.0.1:${port}` }
})
