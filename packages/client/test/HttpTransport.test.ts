import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import { pipe } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import * as util from "node:util"
import * as CloudflareCookies from "../src/CloudflareCookies.js"
import * as HttpTransport from "../src/HttpTransport.js"
import * as zstd from "../src/internal/zstd.js"
import * as Request from "../src/Request.js"
import * as TransportError from "../src/TransportError.js"
import { transportLayers } from "./utils/transportLayers.js"

// ---------------------------------------------------------------------------------------------
// a real node:http server that records requests and counts open connections
// ---------------------------------------------------------------------------------------------

interface Received {
  readonly method: string
  readonly url: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: Uint8Array
  /** Whether the socket that carried this request is closed (server side). */
  readonly socketClosed: () => boolean
}

interface TestServer {
  readonly url: string
  readonly received: Array<Received>
  /** Sockets currently open on the server side. */
  readonly open: () => number
  /**
   * Whether the socket that carried the request for `path` is closed. (Counting all sockets is not
   * enough: after an abort undici may open a fresh idle pool connection that carries no request.)
   */
  readonly requestSocketClosed: (path: string) => boolean
  /** Releases the second chunk of `/gated`. */
  readonly openGate: () => void
}

const closedSockets = new WeakSet<object>()

const handler =
  (received: Array<Received>, gate: { promise: Promise<void> }) =>
  (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const body = new Uint8Array(Buffer.concat(chunks))
      const socket = req.socket
      received.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body,
        socketClosed: () => socket.destroyed && closedSockets.has(socket)
      })
      const path = (req.url ?? "/").split("?")[0]
      switch (path) {
        case "/no-content":
          res.writeHead(204, { "x-request-id": "req-204" })
          res.end()
          return
        case "/ok":
          res.writeHead(200, { "content-type": "application/json", "x-request-id": "req-ok" })
          res.end('{"ok":true}')
          return
        case "/error":
          res.writeHead(503, { "x-request-id": "req-503", "retry-after": "2", "set-cookie": "session=s3cr3t" })
          res.end('{"error":"overloaded"}')
          return
        case "/cookies":
          // two Set-Cookie headers (the second with a comma inside Expires), on a 2xx or a 403
          res.writeHead(req.method === "DELETE" ? 403 : 200, [
            ["set-cookie", "__cf_bm=one; Path=/; Secure"],
            ["set-cookie", "_cfuvid=two; Expires=Wed, 21 Oct 2099 07:28:00 GMT; Path=/"],
            ["x-request-id", "req-cookies"]
          ])
          res.end("{}")
          return
        case "/invalid-utf8":
          res.writeHead(500)
          res.end(Buffer.from([0x6f, 0x6b, 0xff, 0xfe]))
          return
        case "/gated":
          res.writeHead(200, { "content-type": "text/event-stream" })
          res.write("first;")
          gate.promise.then(() => res.end("second;"))
          return
        case "/endless": {
          res.writeHead(200, { "content-type": "text/event-stream" })
          res.write("tick;")
          const timer = setInterval(() => res.write("tick;"), 5)
          res.on("close", () => clearInterval(timer))
          return
        }
        case "/stall":
          // headers and one chunk, then nothing
          res.writeHead(200, { "content-type": "text/event-stream" })
          res.write("only;")
          return
        case "/redirect":
          res.writeHead(302, { location: "/ok?redirected=1" })
          res.end()
          return
        case "/no-headers":
          return
        case "/drop":
          // promise 100 bytes, send 6, then cut the connection
          res.writeHead(200, { "content-length": "100" })
          res.write("partial", () => setTimeout(() => res.socket?.destroy(), 20))
          return
        default:
          res.writeHead(404)
          res.end("not found")
      }
    })
  }

const testServer = Effect.acquireRelease(
  Effect.async<{ server: http.Server; testServer: TestServer }>((resume) => {
    const received: Array<Received> = []
    let release!: () => void
    const gate = { promise: new Promise<void>((r) => (release = r)) }
    const server = http.createServer(handler(received, gate))
    let open = 0
    server.on("connection", (socket) => {
      open++
      socket.on("close", () => {
        open--
        closedSockets.add(socket)
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resume(
        Effect.succeed({
          server,
          testServer: {
            url: `http://127.0.0.1:${port}`,
            received,
            open: () => open,
            requestSocketClosed: (path: string) => {
              const request = received.find((r) => r.url.split("?")[0] === path)
              return request?.socketClosed() === true
            },
            openGate: () => release()
          }
        })
      )
    })
  }),
  ({ server }) =>
    Effect.async<void>((resume) => {
      server.closeAllConnections()
      server.close(() => resume(Effect.void))
    })
).pipe(Effect.map(({ testServer }) => testServer))

/** Polls `condition` (real time) for up to 2 s; fails the test when it never holds. */
const eventually = (what: string, condition: () => boolean) =>
  Effect.gen(function* () {
    for (let i = 0; i < 200; i++) {
      if (condition()) return
      yield* Effect.sleep("10 millis")
    }
    return yield* Effect.die(new Error(`timed out waiting for: ${what}`))
  })

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

const failure = <A>(exit: Exit.Exit<A, TransportError.TransportError>): TransportError.TransportError => {
  if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") throw new Error(`expected a typed failure: ${exit}`)
  return exit.cause.error
}

// ---------------------------------------------------------------------------------------------
// the same suite for undici and fetch
// ---------------------------------------------------------------------------------------------

for (const [name, layer] of transportLayers) {
  describe(`HttpTransport.${name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, HttpTransport.HttpTransport | import("effect/Scope").Scope>) =>
      Effect.provide(effect, layer)

    it.scopedLive("execute: 2xx returns status, headers and body", () =>
      run(
        Effect.gen(function* () {
          const server = yield* testServer
          const transport = yield* HttpTransport.HttpTransport
          const response = yield* transport.execute(Request.make("GET", `${server.url}/ok?x=a%20b`))
          expect(response.status).toBe(200)
          expect(response.headers["x-request-id"]).toBe("req-ok")
          expect(text(response.body)).toBe('{"ok":true}')
          expect(server.received[0]!.url).toBe("/ok?x=a%20b")
          expect(server.received[0]!.method).toBe("GET")
        })
      )
    )

    it.scopedLive("logs `{method} to {url}: {body}` at TRACE level only", () =>
      run(
        Effect.gen(function* () {
          const server = yield* testServer
          const transport = yield* HttpTransport.HttpTransport
          const lines: Array<string> = []
          const capture = Logger.replace(
            Logger.defaultLogger,
            Logger.make(({ message }) => {
              lines.push(String(Array.isArray(message) ? message[0] : message))
            })
          )
          const json = Request.withJson(Request.make("POST", `${server.url}/ok`), { model: "m" })
          const raw = Request.withRawBody(Request.make("PUT", `${server.url}/ok`), new Uint8Array(5))
          yield* transport.execute(json).pipe(Effect.provide(capture))
          expect(lines).toEqual([])
          yield* Effect.all([transport.execute(json), transport.execute(raw)]).pipe(
            Logger.withMinimumLogLevel(LogLevel.Trace),
            Effect.provide(capture)
          )
          expect(lines).toEqual([
            `POST to ${server.url}/ok: {"model":"m"}`,
            `PUT to ${server.url}/ok: <raw body: 5 bytes>`
          ])
        })
      )
    )

    it.scopedLive("execute and stream: a 204 has an empty body", () =>
      run(
        Effect.gen(function* () {
          const server = yield* testServer
          const transport = yield* HttpTransport.HttpTransport
          const url = `${server.url}/no-content`
          const response = yield* transport.execute(Request.make("DELETE", url))
          expect([response.status, response.body.byteLength]).toEqual([204, 0])
          const streamed = yield* Effect.scoped(
            Effect.flatMap(transport.stream(Request.make("DELETE", url)), (r) =>
              Effect.map(Stream.runCollect(r.body), (chunks) => [r.status, r.headers["x-request-id"], chunks.length])
            )
          )
          expect(streamed).toEqual([204, "req-204", 0])
        })
      )
    )

    it.scopedLive("follows redirects", () =>
      run(
        Effect.gen(function* () {
          const server = yield* testServer
          const transport = yield* HttpTransport.HttpTransport
          const response = yield* transport.execute(Request.make("GET", `${server.url}/redirect`))
          expect(response.status).toBe(200)
          expect(text(response.body)).toBe('{"ok":true}')
          expect(server.received.map((r) => r.url)).toEqual(["/redirect", "/ok?redirected=1"])
        })
      )
    )

    it.scopedLive("execute and stream: non-2xx is TransportError.Http with body text and headers", () =>
      run(
        Effect.gen(function* () {
          const server = yield* testServer
          const transport = yield* HttpTransport.HttpTransport
          const url = `${server.url}/error`
          for (const exit of [
            yield* Effect.exit(Effect.asVoid(transport.execute(Request.make("POST", url)))),
            yield* Effect.exit(Effect.asVoid(Effect.scoped(transport.stream(Request.make("POST", url)))))
          ]) {
            const error = failure(exit)
            if (!(error instanceof TransportError.Http)) throw new Error(`expected Http, got ${error}`)
            expect(error.status).toBe(503)
            expect(error.url).toBe(url)
            expect(error.body).toBe('{"error":"overloaded"}')
            expect(error.header("X-Request-Id")).toBe("req-503")
            expect(error.header("retry-after")).toBe("2")
            expect(error.message).toBe('http 503: Some("{\\"error\\":\\"overloaded\\"}")')
            // the response's set-cookie is kept for code but never displayed
            expect(error.header("set-cookie")).toBe("session=s3cr3t")
            expect(util.inspect(error)).not.toContain("s3cr3t")
            expect(JSON.stringify(error)).not.toContain("s3cr3t")
          }
          const invalid = failure(
            yield* Effect.exit(transport.execute(Request.make("GET", `${server.url}/invalid-utf8`)))
          )
          expect(invalid._tag).toBe("Http")
          expect((invalid as TransportError.Http).body).toBeUndefined()
          expect(invalid.message).toBe("http 500: None")
        })
      )
    )

    it.scopedLive("repeated Set-Cookie headers are all kept, joined with `, ` (execute, stream, Http error)", () =>
      run(
        Effect.gen(function* () {
          const server = yield* testServer
          const transport = yield* HttpTransport.HttpTransport
          const url = `${server.url}/cookies`
          const joined = "__cf_bm=one; Path=/; Secure, _cfuvid=two; Expires=Wed, 21 Oct 2099 07:28:00 GMT; Path=/"
          const executed = yield* transport.execute(Request.make("GET", url))
          expect(executed.headers["set-cookie"]).toBe(joined)
          expect(executed.headers["x-request-id"]).toBe("req-cookies")
          const streamed = yield* Effect.scoped(transport.stream(Request.make("GET", url)))
          expect(streamed.headers["set-cookie"]).toBe(joined)
          const error = failure(yield* Effect.exit(transport.execute(Request.make("DELETE", url))))
          if (!(error instanceof TransportError.Http)) throw new Error(`expected Http, got ${error}`)
          expect(error.header("set-cookie")).toBe(joined)
          // what the Cloudflare cookie jar reads: both cookies
          const jar = CloudflareCookies.make()
          jar.storeFromResponse("https://chatgpt.com/backend-api/codex/responses", [joined])
          expect(jar.cookieHeaderFor("https://chatgpt.com/backend-api/codex/responses")).toBe(
            "__cf_bm=one; _cfuvid=two"
          )
        })
      )
    )

    it.scopedLive("stream: chunks arrive incrementally (the server holds the 2nd until the client saw the 1st)", () =>
      run(
        Effect.gen(function* () {
          const server = yield* testServer
          const transport = yield* HttpTransport.HttpTransport
          const response = yield* transport.stream(Request.make("GET", `${server.url}/gated`))
          expect(response.status).toBe(200)
          expect(response.headers["content-type"]).toBe("text/event-stream")
          const seen: Array<string> = []
          yield* response.body.pipe(
            Stream.runForEach((chunk) =>
              Effect.sync(() => {
                seen.push(text(chunk))
                if (seen.join("") === "first;") server.openGate()
              })
            )
          )
          expect(seen.join("")).toBe("first;second;")
        })
      )
    )

    it.scopedLive("sends exactly the prepared body bytes and headers", () =>
      run(
        Effect.gen(function* () {
          const server = yield* testServer
          const transport = yield* HttpTransport.HttpTransport
          const json = pipe(
            Request.make("POST", `${server.url}/ok`),
            (r) => Request.withJson(r, { model: "m", input: [1, 2] }),
            (r) => Request.setHeader(r, "Authorization", "Bearer sk-test"),
            (r) => Request.setHeader(r, "x-custom", "yes")
          )
          yield* transport.execute(json)
          const compressed = Request.withCompression(
            Request.withJson(Request.make("POST", `${server.url}/ok`), { z: "z".repeat(1000) }),
            "zstd"
          )
          yield* transport.execute(compressed)
          yield* transport.execute(
            Request.withRawBody(Request.make("PUT", `${server.url}/ok`), new Uint8Array([0, 1, 255]))
          )
          const streamed: Request.Request = {
            ...Request.make("POST", `${server.url}/ok`),
            body: {
              _tag: "Stream",
              stream: Stream.make(new Uint8Array([104, 105]), new Uint8Array([33])),
              contentLength: 3
            }
          }
          yield* transport.execute(streamed)

          const [a, b, c, d] = server.received
          expect(text(a!.body)).toBe('{"model":"m","input":[1,2]}')
          expect(a!.headers["content-type"]).toBe("application/json")
          expect(a!.headers.authorization).toBe("Bearer sk-test")
          expect(a!.headers["x-custom"]).toBe("yes")
          expect(a!.headers["content-length"]).toBe(String(a!.body.byteLength))
          // No tracer of the user's and no parent span: no invented trace context.
          expect(a!.headers.traceparent).toBeUndefined()

          expect(b!.headers["content-encoding"]).toBe("zstd")
          expect(b!.headers["content-type"]).toBe("application/json")
          expect(text(yield* zstd.decompress(b!.body))).toBe(JSON.stringify({ z: "z".repeat(1000) }))

          expect(c!.method).toBe("PUT")
          expect(Array.from(c!.body)).toEqual([0, 1, 255])
          expect(c!.headers["content-type"]).toBeUndefined()

          expect(text(d!.body)).toBe("hi!")
          expect(d!.headers["content-type"]).toBeUndefined()
        })
      )
    )

    it.scopedLive(
      "with a tracer of the user's, every request runs in a client span whose context goes out as traceparent",
      () =>
        run(
          Effect.gen(function* () {
            const server = yield* testServer
            const transport = yield* HttpTransport.HttpTransport
            const native = yield* Effect.tracer
            const userTracer = Tracer.make({ span: native.span, context: native.context })
            const outer = yield* Effect.gen(function* () {
              yield* transport.execute(Request.make("GET", `${server.url}/ok`))
              return yield* Effect.currentSpan
            }).pipe(Effect.withSpan("outer"), Effect.withTracer(userTracer))
            const [, traceId, spanId] = (server.received[0]!.headers.traceparent as string).split("-")
            expect(traceId).toBe(outer.traceId)
            // the request span is a child of "outer", not "outer" itself
            expect(spanId).not.toBe(outer.spanId)
          })
        )
    )

    it.scopedLive("with Effect's built-in tracer, only a parent span handed in by the caller goes out", () =>
      run(
        Effect.gen(function* () {
          const server = yield* testServer
          const transport = yield* HttpTransport.HttpTransport
          yield* transport.execute(Request.make("GET", `${server.url}/ok`)).pipe(Effect.withSpan("outer"))
          const parent = Tracer.externalSpan({
            traceId: "0af7651916cd43dd8448eb211c80319c",
            spanId: "b7ad6b7169203331",
            sampled: true
          })
          yield* transport
            .execute(Request.make("GET", `${server.url}/ok`))
            .pipe(Effect.withSpan("outer"), Effect.withParentSpan(parent))
          expect(server.received.map((r) => r.headers.traceparent)).toEqual([
            undefined,
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
          ])
        })
      )
    )

    it.scopedLive("records a client span named after the method with the status", () =>
      run(
        Effect.gen(function* () {
          const server = yield* testServer
          const transport = yield* HttpTransport.HttpTransport
          const native = yield* Effect.tracer
          const spans: Array<Tracer.Span> = []
          const recording = Tracer.make({
            span: (...args) => {
              const span = native.span(...args)
              spans.push(span)
              return span
            },
            context: native.context
          })
          yield* transport.execute(Request.make("POST", `${server.url}/ok`)).pipe(Effect.withTracer(recording))
          yield* Effect.ignore(transport.execute(Request.make("GET", `${server.url}/error`))).pipe(
            Effect.withTracer(recording)
          )
          expect(spans.map((span) => span.name)).toEqual(["http.client POST", "http.client GET"])
          expect(spans.map((span) => span.kind)).toEqual(["client", "client"])
          expect(spans[0]!.attributes.get("http.request.method")).toBe("POST")
          expect(spans[0]!.attributes.get("url.full")).toBe(`${server.url}/ok`)
          expect(spans[0]!.attributes.get("http.response.status_code")).toBe(200)
          expect(spans[1]!.attributes.get("http.response.status_code")).toBe(503)
          expect(spans.every((span) => span.status._tag === "Ended")).toBe(true)
        })
      )
    )

    it.scopedLive("a connection dropped mid-body fails the body stream with Network", () =>
      run(
        Effect.gen(function* () {
          const server = yield* testServer
          const transport = yield* HttpTransport.HttpTransport
          const response = yield* transport.stream(Request.make("GET", `${server.url}/drop`))
          const exit = yield* Effect.exit(Stream.runCollect(response.body))
          const error = failure(exit)
          expect(error._tag).toBe("Network")
          expect(error.message).toMatch(/^network error: /)
          const unary = failure(yield* Effect.exit(transport.execute(Request.make("GET", `${server.url}/drop`))))
          expect(unary._tag).toBe("Network")
        })
      )
    )

    it.scopedLive("a failing request body stream fails the request with its own error", () =>
      run(
        Effect.gen(function* () {
          const server = yield* testServer
          const transport = yield* HttpTransport.HttpTransport
          const bodyError = new TransportError.Build({ reason: "could not read upload" })
          const request: Request.Request = {
            ...Request.make("POST", `${server.url}/ok`),
            body: {
              _tag: "Stream",
              stream: Stream.concat(Stream.make(new Uint8Array([1])), Stream.fail(bodyError))
            }
          }
          const error = failure(yield* Effect.exit(transport.execute(request)))
          expect(error._tag).toBe("Build")
          expect(error.message).toBe(bodyError.message)
        })
      )
    )

    it.scopedLive("Request.timeout bounds a stream only until the headers arrive", () =>
      run(
        Effect.gen(function* () {
          const server = yield* testServer
          const transport = yield* HttpTransport.HttpTransport
          const response = yield* transport.stream(
            // generous, so that the headers arrive within it even on a loaded machine
            Request.withTimeout(Request.make("GET", `${server.url}/gated`), "2 seconds")
          )
          // the rest of the body comes well after the request timeout
          yield* Effect.sleep("2500 millis")
          server.openGate()
          const body = yield* Stream.runCollect(response.body)
          expect(Chunk.toReadonlyArray(body).map(text).join("")).toBe("first;second;")
        })
      )
    )

    it.scopedLive("a URL or header that cannot be sent is a Build error and nothing reaches the server", () =>
      run(
        Effect.gen(function* () {
          const server = yield* testServer
          const transport = yield* HttpTransport.HttpTransport
          const port = new URL(server.url).port
          const badUrls = [
            `ftp://127.0.0.1:${port}/ok`,
            `ws://127.0.0.1:${port}/ok`,
            `file:///ok`,
            "http:///ok",
            `http://127.0.0.1:${port}/v1#frag/ok`
          ]
          for (const url of badUrls) {
            const error = failure(yield* Effect.exit(transport.execute(Request.make("POST", url))))
            expect(error._tag, url).toBe("Build")
          }
          const ok = Request.make("POST", `${server.url}/ok`)
          const badHeaders: ReadonlyArray<readonly [string, string]> = [
            ["authorization", "Bearer s3cret\r\nx-injected: 1"],
            ["chatgpt-account-id", "acct\0"],
            ["session_id", "caf\u00e9 \u2603"],
            ["bad name", "v"]
          ]
          for (const [name, value] of badHeaders) {
            const sends: ReadonlyArray<(r: Request.Request) => Effect.Effect<unknown, TransportError.TransportError>> =
              [transport.execute, (r) => Effect.scoped(transport.stream(r))]
            for (const send of sends) {
              const error = failure(yield* Effect.exit(send(Request.setHeader(ok, name, value))))
              expect(error._tag).toBe("Build")
              expect(error.message).toContain(JSON.stringify(name))
              expect(error.message).not.toContain("s3cret")
            }
          }
          expect(server.received).toEqual([])
        })
      )
    )

    it.scopedLive("connection failures are Network errors", () =>
      run(
        Effect.gen(function* () {
          const transport = yield* HttpTransport.HttpTransport
          // a port nobody listens on: take a fresh one and close it
          const port = yield* Effect.async<number>((resume) => {
            const s = http.createServer().listen(0, "127.0.0.1", () => {
              const p = (s.address() as AddressInfo).port
              s.close(() => resume(Effect.succeed(p)))
            })
          })
          const error = failure(yield* Effect.exit(transport.execute(Request.make("GET", `http://127.0.0.1:${port}/`))))
          expect(error._tag).toBe("Network")
          expect(error.message).toMatch(/^network error: .*ECONNREFUSED/)
          const invalid = failure(yield* Effect.exit(transport.execute(Request.make("GET", "not a url"))))
          expect(invalid._tag).toBe("Build")
        })
      )
    )

    it.scopedLive("Request.timeout: execute fails with Timeout and the socket is closed", () =>
      run(
        Effect.gen(function* () {
          const server = yield* testServer
          const transport = yield* HttpTransport.HttpTransport
          const slowBody = Request.withTimeout(Request.make("GET", `${server.url}/stall`), "150 millis")
          expect(failure(yield* Effect.exit(transport.execute(slowBody)))._tag).toBe("Timeout")
          yield* eventually("server socket closed after execute timeout", () => server.requestSocketClosed("/stall"))
        })
      )
    )

    it.scopedLive("Request.timeout: stream fails with Timeout before headers and the socket is closed", () =>
      run(
        Effect.gen(function* () {
          const server = yield* testServer
          const transport = yield* HttpTransport.HttpTransport
          const noHeaders = Request.withTimeout(Request.make("GET", `${server.url}/no-headers`), "150 millis")
          const error = failure(yield* Effect.exit(Effect.scoped(transport.stream(noHeaders))))
          expect(error).toBeInstanceOf(TransportError.Timeout)
          expect(error.message).toBe("timeout")
          yield* eventually("server socket closed", () => server.requestSocketClosed("/no-headers"))
        })
      )
    )

    describe("cancellation releases the socket", () => {
      it.scopedLive("the consumer takes one chunk of an endless stream and stops", () =>
        run(
          Effect.gen(function* () {
            const server = yield* testServer
            const transport = yield* HttpTransport.HttpTransport
            // the caller's scope stays open: ending the body stream alone must abort the request
            const response = yield* transport.stream(Request.make("GET", `${server.url}/endless`))
            const first = yield* Stream.runCollect(Stream.take(response.body, 1))
            expect(text(Chunk.unsafeGet(first, 0))).toMatch(/^(tick;)+$/)
            expect(server.requestSocketClosed("/endless")).toBe(false)
            yield* eventually("server socket closed", () => server.requestSocketClosed("/endless"))
          })
        )
      )

      it.scopedLive("the consuming fiber is interrupted mid-body", () =>
        run(
          Effect.gen(function* () {
            const server = yield* testServer
            const transport = yield* HttpTransport.HttpTransport
            const gotChunk = yield* Deferred.make<void>()
            const fiber = yield* Effect.fork(
              Effect.scoped(
                Effect.flatMap(transport.stream(Request.make("GET", `${server.url}/endless`)), (response) =>
                  Stream.runForEach(response.body, () => Deferred.succeed(gotChunk, undefined))
                )
              )
            )
            yield* Deferred.await(gotChunk)
            expect(server.requestSocketClosed("/endless")).toBe(false)
            yield* Fiber.interrupt(fiber)
            yield* eventually("server socket closed", () => server.requestSocketClosed("/endless"))
          })
        )
      )

      it.scopedLive("a Stream.timeout / Effect.timeout fires", () =>
        run(
          Effect.gen(function* () {
            const server = yield* testServer
            const transport = yield* HttpTransport.HttpTransport
            const response = yield* transport.stream(Request.make("GET", `${server.url}/stall`))
            const chunks = yield* Stream.runCollect(Stream.timeout(response.body, "1 second"))
            expect(Chunk.toReadonlyArray(chunks).map(text).join("")).toBe("only;")
            yield* eventually("server socket closed after Stream.timeout", () => server.requestSocketClosed("/stall"))

            const timedOut = yield* Effect.scoped(
              Effect.flatMap(transport.stream(Request.make("GET", `${server.url}/stall?second`)), (r) =>
                Stream.runDrain(r.body)
              )
            ).pipe(Effect.timeout("1 second"), Effect.exit)
            expect(Exit.isFailure(timedOut)).toBe(true)
            const second = server.received.find((r) => r.url === "/stall?second")
            expect(second).toBeDefined()
            yield* eventually("server socket closed after Effect.timeout", () => second!.socketClosed())
          })
        )
      )

      it.scopedLive("closing the caller's scope before reading the body", () =>
        run(
          Effect.gen(function* () {
            const server = yield* testServer
            const transport = yield* HttpTransport.HttpTransport
            const status = yield* Effect.scoped(
              Effect.map(transport.stream(Request.make("GET", `${server.url}/endless`)), (r) => r.status)
            )
            expect(status).toBe(200)
            yield* eventually("server socket closed", () => server.requestSocketClosed("/endless"))
          })
        )
      )
    })
  })
}

// ---------------------------------------------------------------------------------------------
// `layer` on an @effect/platform HttpClient given by the user
// ---------------------------------------------------------------------------------------------

describe("HttpTransport.layer (on FetchHttpClient)", () => {
  const run = <A, E>(effect: Effect.Effect<A, E, HttpTransport.HttpTransport | import("effect/Scope").Scope>) =>
    Effect.provide(effect, Layer.provide(HttpTransport.layer, FetchHttpClient.layer))

  it.scopedLive("execute, stream and non-2xx go through the given client", () =>
    run(
      Effect.gen(function* () {
        const server = yield* testServer
        const transport = yield* HttpTransport.HttpTransport
        const ok = yield* transport.execute(Request.withJson(Request.make("POST", `${server.url}/ok`), { a: 1 }))
        expect([ok.status, ok.headers["x-request-id"], text(ok.body)]).toEqual([200, "req-ok", '{"ok":true}'])
        expect(server.received[0]!.headers["content-type"]).toBe("application/json")
        expect(text(server.received[0]!.body)).toBe('{"a":1}')
        const streamed = yield* Effect.scoped(
          Effect.flatMap(transport.stream(Request.make("GET", `${server.url}/ok`)), (r) =>
            Effect.map(Stream.runCollect(r.body), (chunks) => Chunk.toReadonlyArray(chunks).map(text).join(""))
          )
        )
        expect(streamed).toBe('{"ok":true}')
        const error = failure(yield* Effect.exit(transport.execute(Request.make("GET", `${server.url}/error`))))
        expect(error instanceof TransportError.Http ? [error.status, error.body] : error).toEqual([
          503,
          '{"error":"overloaded"}'
        ])
      })
    )
  )
})
