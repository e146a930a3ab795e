/**
 * Redirects on the wire, between two servers on 127.0.0.1 (two ports = two origins): a redirect to
 * another origin drops every credential header, a same-origin one keeps them; 301 / 302 / 303 turn
 * into a GET without a body, 307 / 308 repeat the request.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as HttpTransport from "../src/HttpTransport.js"
import * as Request from "../src/Request.js"
import { transportLayers } from "./utils/transportLayers.js"

interface Received {
  readonly method: string
  readonly url: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
}

interface Server {
  readonly origin: string
  readonly received: Array<Received>
}

/** `/to?status=N&location=URL` answers N with that location; anything else 200 `landed`. */
const server: Effect.Effect<Server, never, Scope.Scope> = Effect.acquireRelease(
  Effect.async<{ http: http.Server; state: Server }>((resume) => {
    const received: Array<Received> = []
    const httpServer = http.createServer((req, res) => {
      const chunks: Array<Buffer> = []
      req.on("data", (chunk: Buffer) => chunks.push(chunk))
      req.on("end", () => {
        received.push({
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body: Buffer.concat(chunks).toString()
        })
        const url = new URL(req.url ?? "/", "http://x")
        if (url.pathname === "/to") {
          res.writeHead(Number(url.searchParams.get("status")), { location: url.searchParams.get("location") ?? "" })
          res.end("moved")
          return
        }
        res.writeHead(200, { "content-type": "text/plain" })
        res.end("landed")
      })
    })
    httpServer.listen(0, "127.0.0.1", () => {
      const { port } = httpServer.address() as AddressInfo
      resume(Effect.succeed({ http: httpServer, state: { origin: `http://127.0.0.1:${port}`, received } }))
    })
  }),
  ({ http }) =>
    Effect.async<void>((resume) => {
      http.closeAllConnections()
      http.close(() => resume(Effect.void))
    })
).pipe(Effect.map(({ state }) => state))

const redirectTo = (from: Server, status: number, location: string) =>
  `${from.origin}/to?status=${status}&location=${encodeURIComponent(location)}`

const credentials = {
  authorization: "Bearer tok",
  cookie: "session=abc",
  "api-key": "k1",
  "x-api-key": "k2",
  "openai-api-key": "k3",
  "chatgpt-account-id": "acct",
  "x-custom-auth": "custom"
}

const withCredentials = (request: Request.Request): Request.Request => ({
  ...Request.setHeaders(request, { ...credentials, "x-trace-me": "kept" }),
  credentialHeaders: ["X-Custom-Auth"]
})

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

for (const [name, layer] of transportLayers) {
  describe(`HttpTransport.${name} redirects`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, HttpTransport.HttpTransport | Scope.Scope>) =>
      Effect.provide(effect, layer)

    it.scopedLive("a redirect to another origin drops every credential header (execute and stream)", () =>
      run(
        Effect.gen(function* () {
          const a = yield* server
          const b = yield* server
          const transport = yield* HttpTransport.HttpTransport
          const request = withCredentials(Request.make("GET", redirectTo(a, 302, `${b.origin}/landing?x=1`)))
          const response = yield* transport.execute(request)
          expect(text(response.body)).toBe("landed")
          const streamed = yield* transport.stream(request)
          expect(
            Chunk.toReadonlyArray(yield* Stream.runCollect(streamed.body))
              .map(text)
              .join("")
          ).toBe("landed")
          expect(a.received).toHaveLength(2)
          expect(b.received.map((r) => r.url)).toEqual(["/landing?x=1", "/landing?x=1"])
          for (const first of a.received) {
            for (const [header, value] of Object.entries(credentials)) expect(first.headers[header]).toBe(value)
          }
          for (const landed of b.received) {
            for (const header of Object.keys(credentials)) expect(landed.headers[header], header).toBeUndefined()
            expect(landed.headers["x-trace-me"]).toBe("kept")
          }
        })
      )
    )

    it.scopedLive("a same-origin redirect keeps the credential headers", () =>
      run(
        Effect.gen(function* () {
          const a = yield* server
          const transport = yield* HttpTransport.HttpTransport
          const response = yield* transport.execute(
            withCredentials(Request.make("GET", redirectTo(a, 301, "/landing")))
          )
          expect(text(response.body)).toBe("landed")
          expect(a.received.map((r) => r.url)).toEqual([expect.stringMatching(/^\/to\?/), "/landing"])
          for (const [header, value] of Object.entries(credentials)) expect(a.received[1]!.headers[header]).toBe(value)
        })
      )
    )

    it.scopedLive(
      "303 turns a POST into a GET without a body; 307 repeats it (credentials dropped across origins)",
      () =>
        run(
          Effect.gen(function* () {
            const a = yield* server
            const b = yield* server
            const transport = yield* HttpTransport.HttpTransport
            const post = (status: number) =>
              withCredentials(
                Request.withJson(Request.make("POST", redirectTo(a, status, `${b.origin}/landing`)), { x: 1 })
              )
            yield* transport.execute(post(303))
            yield* transport.execute(post(307))
            expect(b.received.map((r) => [r.method, r.body, r.headers["content-type"]])).toEqual([
              ["GET", "", undefined],
              ["POST", '{"x":1}', "application/json"]
            ])
            for (const landed of b.received) expect(landed.headers.authorization).toBeUndefined()
          })
        )
    )

    it.scopedLive("stops after 10 hops with the last redirect as an Http error", () =>
      run(
        Effect.gen(function* () {
          const a = yield* server
          const transport = yield* HttpTransport.HttpTransport
          let url = `${a.origin}/landing`
          for (let i = 0; i < 11; i++) url = redirectTo(a, 302, url.replace(a.origin, ""))
          const error = yield* Effect.flip(transport.execute(Request.make("GET", url)))
          expect(error._tag).toBe("Http")
          expect(a.received).toHaveLength(11)
        })
      )
    )
  })
}
