/**
 * A local Responses server (node:http on 127.0.0.1, port 0) that plays scripted responses for
 * `/responses`, `/responses/compact`, `/models` (or any path) with fault injection: status codes,
 * `retry-after`, delays, chunking down to one byte, drops mid-stream, stalls and malformed events.
 * It records every request it receives so tests can assert on them.
 *
 * WebSocket upgrades on any route are accepted too (permessage-deflate on): each text message the
 * client sends (e.g. `{"type":"response.create",...}`) is recorded with method `WS` and answered
 * with the route's next scripted response, its `events` sent as one text frame each. A scripted
 * non-2xx status becomes a wrapped error frame `{"type":"error","status":...,"error":...}`;
 * `chunkDelayMs` delays frames; `dropAfterBytes` sends the whole frames that fit in that many bytes
 * then terminates the socket; `stall` (with `stallAfterBytes`) stops sending and keeps it open.
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { WebSocketServer } from "ws"
import type { Defaults, Script, Scripted } from "./Fixture.js"
import { concatBytes, decodeText, parseJson, Queue, render, routeOf } from "./internal/script.js"

/**
 * A request as the server (or the in-memory transport) received it.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordedRequest {
  readonly method: string
  /** Path relative to the base URL, without query (`/responses`). */
  readonly route: string
  /** Path with query as sent (`/v1/models?client_version=1.0.0`). */
  readonly path: string
  readonly headers: Headers.Headers
  /** Body bytes as sent (still compressed when `content-encoding` is set). */
  readonly body: Uint8Array
  /** The body as UTF-8 text. */
  readonly text: string
  /** The body parsed as JSON (undefined when empty or not JSON). */
  readonly json: unknown
}

/**
 * Options for {@link start}: scripted responses per route (consumed in order), responses repeated
 * once a script is exhausted, WebSocket upgrade headers and CORS.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Scripted responses per route, consumed in order. */
  readonly script?: Script | undefined
  /** Responses repeated once a route's script is exhausted (else 404). */
  readonly defaults?: Defaults | undefined
  /** Headers of every WebSocket upgrade response (e.g. `openai-model`, `x-reasoning-included`). */
  readonly websocketHeaders?: Readonly<Record<string, string>> | undefined
  /**
   * Answer browsers on other origins (a page served elsewhere calling the server with `fetch`):
   * CORS preflights get a 204 allowing the method and headers asked for (they are neither
   * recorded nor take a scripted response), and every response allows any origin and exposes all
   * its headers. Default: off.
   */
  readonly cors?: boolean | undefined
}

/**
 * A running local server: its URLs and port, the requests it received, and a way to script more
 * responses.
 *
 * @since 0.1.0
 * @category models
 */
export interface ResponsesServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** `http://127.0.0.1:<port>/v1`, the value for a provider's base URL. */
  readonly baseUrl: string
  readonly port: number
  /** Every request received so far, in arrival order (live array). */
  readonly requests: ReadonlyArray<RecordedRequest>
  /** Appends scripted responses for a route. */
  readonly enqueue: (route: string, ...responses: ReadonlyArray<Scripted>) => void
  /** Number of connections currently open (to assert that clients release sockets). */
  readonly openConnections: () => number
}

/**
 * The Promise-API handle.
 *
 * @since 0.1.0
 * @category models
 */
export interface Handle extends ResponsesServer {
  /** Stops listening and destroys every open connection (stalled streams included). */
  readonly close: () => Promise<void>
}

/**
 * The service tag of a running local server; provide it with {@link layer}.
 *
 * @since 0.1.0
 * @category tags
 */
export class CurrentResponsesServer extends Context.Tag("@codex/testing/ResponsesServer")<
  CurrentResponsesServer,
  ResponsesServer
>() {}

const sleep = (ms: number, isClosed: () => boolean): Promise<void> =>
  ms <= 0 || isClosed() ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms).unref())

/**
 * Starts a server (Promise API for non-Effect users). Call `close()` when done.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = (options: Options = {}): Promise<Handle> => {
  const queue = new Queue(options.script, options.defaults)
  const requests: Array<RecordedRequest> = []
  const sockets = new Set<import("node:net").Socket>()
  let closed = false

  const play = async (res: Http.ServerResponse, scripted: Scripted): Promise<void> => {
    const plan = render(scripted, queue.nextRequestId())
    await sleep(plan.headersDelayMs, () => closed)
    if (res.destroyed) return
    res.writeHead(plan.status, plan.headers)
    res.flushHeaders()
    for (let i = 0; i < plan.chunks.length; i++) {
      if (i > 0) await sleep(plan.chunkDelayMs, () => closed)
      if (res.destroyed) return
      res.write(plan.chunks[i])
    }
    if (plan.ending === "end") res.end()
    else if (plan.ending === "drop") {
      // Let the written bytes leave before the reset, so the client sees a partial body then the cut.
      await new Promise<void>((resolve) => setImmediate(resolve))
      res.socket?.destroy()
    }
    // "stall": leave the response open; close() destroys it.
  }

  const server = Http.createServer((req, res) => {
    if (options.cors === true) {
      res.setHeader("access-control-allow-origin", "*")
      res.setHeader("access-control-expose-headers", "*")
      const preflightMethod = req.headers["access-control-request-method"]
      if (req.method === "OPTIONS" && preflightMethod !== undefined) {
        res.writeHead(204, {
          "access-control-allow-methods": preflightMethod,
          "access-control-allow-headers": req.headers["access-control-request-headers"] ?? "",
          "access-control-max-age": "600"
        })
        res.end()
        return
      }
    }
    const parts: Array<Uint8Array> = []
    req.on("data", (chunk: Buffer) => parts.push(new Uint8Array(chunk)))
    req.on("end", () => {
      const body = concatBytes(parts)
      const path = req.url ?? "/"
      const route = routeOf(path)
      const method = req.method ?? "GET"
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value
      }
      const text = decodeText(body)
      requests.push({
        method,
        route,
        path,
        headers: Headers.fromInput(headers),
        body,
        text,
        json: headers["content-encoding"] === undefined ? parseJson(text) : undefined
      })
      play(res, queue.next(method, route)).catch(() => res.destroy())
    })
  })
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: true })
  wss.on("headers", (headers) => {
    for (const [name, value] of Object.entries(options.websocketHeaders ?? {})) headers.push(`${name}: ${value}`)
  })
  server.on("upgrade", (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      const path = req.url ?? "/"
      const route = routeOf(path)
      const upgradeHeaders: Record<string, string> = {}
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) upgradeHeaders[name] = Array.isArray(value) ? value.join(", ") : value
      }
      // Requests on one socket are answered strictly in order, as the client expects.
      let chain = Promise.resolve()
      ws.on("message", (data, isBinary) => {
        const body = new Uint8Array(Array.isArray(data) ? Buffer.concat(data) : (data as Buffer))
        const text = isBinary ? "" : decodeText(body)
        requests.push({
          method: "WS",
          route,
          path,
          headers: Headers.fromInput(upgradeHeaders),
          body,
          text,
          json: parseJson(text)
        })
        const scripted = queue.next("WS", route)
        chain = chain.then(() => playWebsocket(ws, scripted)).catch(() => ws.terminate())
      })
    })
  })

  const playWebsocket = async (ws: import("ws").WebSocket, scripted: Scripted): Promise<void> => {
    const status = scripted.status ?? 200
    if (status < 200 || status > 299) {
      const json = scripted.json as { error?: unknown } | undefined
      ws.send(JSON.stringify({ type: "error", status, error: json?.error ?? { message: scripted.body ?? "error" } }))
      return
    }
    // One text frame per event: the event's JSON (raw pieces verbatim).
    const frames = (scripted.events ?? []).map((event) =>
      "_tag" in event && event._tag === "Raw" ? (event as { readonly text: string }).text : JSON.stringify(event)
    )
    const limit = scripted.dropAfterBytes ?? (scripted.stall === true ? scripted.stallAfterBytes : undefined)
    let sent = 0
    for (let i = 0; i < frames.length; i++) {
      if (i > 0) await sleep(scripted.chunkDelayMs ?? 0, () => closed)
      if (ws.readyState !== ws.OPEN) return
      const frame = frames[i] ?? ""
      if (limit !== undefined && sent + frame.length > limit) break
      // Wait for each frame to be written (compression is asynchronous) so a drop comes after it.
      await new Promise<void>((resolve) => ws.send(frame, () => resolve()))
      sent += frame.length
    }
    if (scripted.dropAfterBytes !== undefined) ws.terminate()
  }

  server.on("connection", (socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })

  return new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port
      const url = `http://127.0.0.1:${port}`
      resolve({
        url,
        baseUrl: `${url}/v1`,
        port,
        requests,
        enqueue: (route, ...responses) => queue.enqueue(route, responses),
        openConnections: () => sockets.size,
        close: () =>
          new Promise<void>((done) => {
            closed = true
            const pending = [...sockets].map(
              (socket) =>
                new Promise<void>((resolve) =>
                  socket.destroyed && !sockets.has(socket) ? resolve() : socket.once("close", () => resolve())
                )
            )
            for (const client of wss.clients) client.terminate()
            wss.close()
            for (const socket of sockets) socket.destroy()
            server.close(() => Promise.all(pending).then(() => done()))
          })
      })
    })
  })
}

/**
 * Starts a server for the lifetime of the scope; closing the scope closes every connection.
 *
 * @example
 * ```ts
 * import * as Fixture from "@codex/testing/Fixture"
 * import * as ResponsesServer from "@codex/testing/ResponsesServer"
 * import { Effect } from "effect"
 *
 * // A local server on 127.0.0.1 that answers 503 once, then streams "Hi"; it stops with the scope.
 * export const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const server = yield* ResponsesServer.make({
 *       script: { "/responses": [{ status: 503 }, { events: Fixture.textAnswer(["Hi"]) }] }
 *     })
 *     return server.baseUrl // point Provider.make({ baseUrl }) here
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<ResponsesServer, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.promise(() => start(options)),
    (handle) => Effect.promise(() => handle.close())
  )

/**
 * A layer starting a local server for the layer's lifetime.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<CurrentResponsesServer> =>
  Layer.scoped(CurrentResponsesServer, make(options))
