import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as ApiError from "@codex/api/ApiError"
import * as CodexError from "@codex/api/CodexError"
import * as Auth from "@codex/api/Auth"
import * as Provider from "@codex/api/Provider"
import * as HttpTransport from "@codex/client/HttpTransport"
import * as Request from "@codex/client/Request"
import * as RequestTelemetry from "@codex/client/RequestTelemetry"
import * as TransportError from "@codex/client/TransportError"
import * as Headers from "@effect/platform/Headers"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as EndpointSession from "../src/internal/endpointSession.js"
import { fillMissing, mergeReplace } from "../src/internal/headers.js"

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

/** The provider of the reference `clients.rs` tests. */
const testProvider = (maxAttempts: number) =>
  Provider.make({
    name: "test",
    baseUrl: "https://example.com/v1",
    retry: { maxAttempts, baseDelay: "1 millis", retry429: false, retry5xx: false, retryTransport: true },
    streamIdleTimeout: "10 millis"
  })

type Outcome = "ok" | TransportError.TransportError

/** A transport that records requests and answers from a script (last entry repeats). */
const countingTransport = (script: ReadonlyArray<Outcome>) => {
  const requests: Array<Request.Request> = []
  const next = (): Outcome => script[Math.min(requests.length - 1, script.length - 1)] ?? "ok"
  const service: HttpTransport.Service = {
    execute: (request) =>
      Effect.suspend(() => {
        requests.push(request)
        const outcome = next()
        return outcome === "ok"
          ? Effect.succeed({ status: 200, headers: Headers.empty, body: new TextEncoder().encode("{}") })
          : Effect.fail(outcome)
      }),
    stream: (request) =>
      Effect.suspend(() => {
        requests.push(request)
        const outcome = next()
        return outcome === "ok"
          ? Effect.succeed({
              status: 200,
              headers: Headers.empty,
              body: Stream.make(new TextEncoder().encode("data: {}\n\n"))
            })
          : Effect.fail(outcome)
      })
  }
  return { requests, layer: Layer.succeed(HttpTransport.HttpTransport, service) }
}

/** An auth that records calls and fails per a script (`undefined` = succeed with a bearer header). */
const countingAuth = (script: ReadonlyArray<Auth.AuthError | undefined>) => {
  let calls = 0
  const inner = Auth.bearer({ token: Redacted.make("secret-token"), accountId: "acct-1" })
  const service = Auth.fromAddHeaders((headers) =>
    Effect.suspend(() => {
      const failure = script[calls]
      calls++
      return failure === undefined ? inner.addAuthHeaders(headers) : Effect.fail(failure)
    })
  )
  return { calls: () => calls, layer: Layer.succeed(Auth.AuthProvider, service) }
}

const streamRequest: EndpointSession.EndpointRequest = {
  method: "POST",
  path: "responses",
  body: { echo: true },
  configure: (request) => Request.setHeader(request, "accept", "text/event-stream")
}

// ---------------------------------------------------------------------------------------------
// pipeline
// ---------------------------------------------------------------------------------------------

describe("EndpointSession", () => {
  describe("buildRequest", () => {
    it("builds URL, merges headers provider < extra < endpoint and attaches the JSON body", () => {
      const provider = Provider.make({
        baseUrl: "https://example.com/v1/",
        headers: { "x-provider": "p", "x-shared": "provider", "x-endpoint": "provider" }
      })
      const request = EndpointSession.buildRequest(provider, {
        method: "POST",
        path: "/responses",
        extraHeaders: { "X-Shared": "extra", "x-extra": "e" },
        body: { model: "m" },
        configure: (r) => Request.withCompression(Request.setHeader(r, "x-endpoint", "endpoint"), "zstd")
      })
      expect(request.method).toBe("POST")
      expect(request.url).toBe("https://example.com/v1/responses")
      expect({ ...request.headers }).toEqual({
        "x-provider": "p",
        "x-shared": "extra",
        "x-endpoint": "endpoint",
        "x-extra": "e",
        // what the reference's HTTP library sends when the endpoint sets no accept header
        accept: "*/*"
      })
      expect(request.body).toEqual({ _tag: "Json", value: { model: "m" } })
      expect(request.compression).toBe("zstd")
    })

    it("has no body when none is given", () => {
      const request = EndpointSession.buildRequest(Provider.make(), { method: "GET", path: "models" })
      expect(request.body).toBeUndefined()
      expect(request.url).toBe("https://api.openai.com/v1/models")
    })

    it("mergeReplace replaces by name, fillMissing only fills absent names", () => {
      const base = Headers.fromInput({ a: "1", b: "2" })
      expect({ ...mergeReplace(base, { A: "x", c: "3" }) }).toEqual({ a: "x", b: "2", c: "3" })
      expect({ ...mergeReplace(base, undefined) }).toEqual({ a: "1", b: "2" })
      expect({ ...fillMissing(base, { A: "x", c: "3" }) }).toEqual({ a: "1", b: "2", c: "3" })
    })
  })

  it.live("responses_client_uses_responses_path / streaming_client_adds_auth_headers", () => {
    const transport = countingTransport(["ok"])
    const auth = countingAuth([])
    return Effect.gen(function* () {
      const response = yield* EndpointSession.stream(streamRequest)
      expect(response.status).toBe(200)
      expect(transport.requests.length).toBe(1)
      const sent = transport.requests[0]!
      expect(sent.url.endsWith("/responses")).toBe(true)
      expect(sent.headers.authorization).toBe("Bearer secret-token")
      expect(sent.headers["chatgpt-account-id"]).toBe("acct-1")
      expect(sent.headers.accept).toBe("text/event-stream")
    }).pipe(Effect.scoped, Effect.provide(Layer.mergeAll(transport.layer, auth.layer, Provider.layer(testProvider(1)))))
  })

  it.live("streaming_client_retries_on_transport_error", () => {
    const transport = countingTransport([new TransportError.Network({ reason: "first attempt fails" }), "ok"])
    const auth = countingAuth([])
    return Effect.gen(function* () {
      const response = yield* EndpointSession.stream(streamRequest)
      expect(response.status).toBe(200)
      expect(transport.requests.length).toBe(2)
      expect(auth.calls()).toBe(2)
    }).pipe(Effect.scoped, Effect.provide(Layer.mergeAll(transport.layer, auth.layer, Provider.layer(testProvider(2)))))
  })

  it.live("streaming_client_retries_on_transient_auth_error", () => {
    const transport = countingTransport(["ok"])
    const auth = countingAuth([new Auth.AuthTransientError({ reason: "token refresh in progress" })])
    return Effect.gen(function* () {
      const response = yield* EndpointSession.stream(streamRequest)
      expect(response.status).toBe(200)
      expect(auth.calls()).toBe(2)
      expect(transport.requests.length).toBe(1)
    }).pipe(Effect.scoped, Effect.provide(Layer.mergeAll(transport.layer, auth.layer, Provider.layer(testProvider(2)))))
  })

  it.live("streaming_client_does_not_retry_auth_build_error", () => {
    const transport = countingTransport(["ok"])
    const auth = countingAuth([new Auth.AuthBuildError({ reason: "invalid auth configuration" })])
    return Effect.gen(function* () {
      const error = yield* Effect.flip(EndpointSession.stream(streamRequest))
      expect(error).toBeInstanceOf(ApiError.Transport)
      const transportError = (error as ApiError.Transport).error
      expect(transportError).toBeInstanceOf(TransportError.Build)
      expect(error.message).toBe("request build error: invalid auth configuration")
      expect(auth.calls()).toBe(1)
      expect(transport.requests.length).toBe(0)
    }).pipe(Effect.scoped, Effect.provide(Layer.mergeAll(transport.layer, auth.layer, Provider.layer(testProvider(2)))))
  })

  it.live("execute retries transport errors up to maxAttempts + 1 tries and returns the last error", () => {
    const transport = countingTransport([new TransportError.Timeout()])
    const auth = countingAuth([])
    return Effect.gen(function* () {
      const error = yield* Effect.flip(EndpointSession.execute({ method: "GET", path: "models" }))
      expect(error).toBeInstanceOf(ApiError.Transport)
      expect((error as ApiError.Transport).error).toBeInstanceOf(TransportError.Timeout)
      expect(transport.requests.length).toBe(3)
      expect(auth.calls()).toBe(3)
    }).pipe(Effect.provide(Layer.mergeAll(transport.layer, auth.layer, Provider.layer(testProvider(2)))))
  })

  it.live("does not retry statuses the provider does not retry, and keeps the HTTP error", () => {
    const http = new TransportError.Http({ status: 503, body: "overloaded", headers: Headers.empty })
    const transport = countingTransport([http])
    const auth = countingAuth([])
    return Effect.gen(function* () {
      const error = yield* Effect.flip(EndpointSession.execute({ method: "GET", path: "models" }))
      expect(error).toEqual(ApiError.fromTransport(http))
      expect(transport.requests.length).toBe(1)
    }).pipe(Effect.provide(Layer.mergeAll(transport.layer, auth.layer, Provider.layer(testProvider(3)))))
  })

  it.live("rebuilds the request on every attempt", () => {
    const transport = countingTransport([new TransportError.Network({ reason: "x" }), "ok"])
    const auth = countingAuth([])
    let configured = 0
    return Effect.gen(function* () {
      yield* EndpointSession.execute({
        method: "POST",
        path: "responses/compact",
        body: { n: 1 },
        configure: (request) => Request.setHeader(request, "x-attempt", String(++configured))
      })
      expect(transport.requests.map((r) => r.headers["x-attempt"])).toEqual(["1", "2"])
      expect(transport.requests.every((r) => r.url === "https://example.com/v1/responses/compact")).toBe(true)
    }).pipe(Effect.provide(Layer.mergeAll(transport.layer, auth.layer, Provider.layer(testProvider(2)))))
  })

  it.live("reports every attempt to RequestTelemetry", () => {
    const http = new TransportError.Http({ status: 502, body: "bad gateway", headers: Headers.empty })
    const transport = countingTransport([new TransportError.Network({ reason: "reset" }), http])
    const auth = countingAuth([new Auth.AuthTransientError({ reason: "refreshing" })])
    const events: Array<RequestTelemetry.RequestEvent> = []
    const provider = Provider.make({
      baseUrl: "https://example.com/v1",
      retry: { maxAttempts: 5, baseDelay: "1 millis", retry429: false, retry5xx: false, retryTransport: true }
    })
    return Effect.gen(function* () {
      const error = yield* Effect.flip(EndpointSession.execute({ method: "GET", path: "models" }))
      expect(error).toEqual(ApiError.fromTransport(http))
      expect(events.map((e) => [e.attempt, e.status, (e.error as { _tag?: string } | undefined)?._tag])).toEqual([
        [0, undefined, "Network"],
        [1, undefined, "Network"],
        [2, 502, "Http"]
      ])
    }).pipe(
      Effect.provide(
        Layer.mergeAll(
          transport.layer,
          auth.layer,
          Provider.layer(provider),
          RequestTelemetry.layer((event) => Effect.sync(() => events.push(event)))
        )
      )
    )
  })

  it.live("runs the transport inside endpoint_session spans with http.method and api.path", () => {
    const spans: Array<{ name: string; attributes: Record<string, unknown> }> = []
    const service: HttpTransport.Service = {
      execute: () =>
        Effect.map(Effect.currentSpan, (span) => {
          spans.push({ name: span.name, attributes: Object.fromEntries(span.attributes) })
          return { status: 200, headers: Headers.empty, body: new Uint8Array() }
        }).pipe(Effect.orDie),
      stream: () =>
        Effect.map(Effect.currentSpan, (span) => {
          spans.push({ name: span.name, attributes: Object.fromEntries(span.attributes) })
          return { status: 200, headers: Headers.empty, body: Stream.empty }
        }).pipe(Effect.orDie)
    }
    return Effect.gen(function* () {
      yield* EndpointSession.execute({ method: "GET", path: "models" })
      yield* EndpointSession.stream({ method: "POST", path: "responses" })
      expect(spans).toEqual([
        { name: "endpoint_session.execute_with", attributes: { "http.method": "GET", "api.path": "models" } },
        { name: "endpoint_session.stream_with", attributes: { "http.method": "POST", "api.path": "responses" } }
      ])
      expect(Option.isNone(yield* Effect.option(Effect.currentSpan))).toBe(true)
    }).pipe(
      Effect.scoped,
      Effect.provide(
        Layer.mergeAll(
          Layer.succeed(HttpTransport.HttpTransport, service),
          Auth.layerNone,
          Provider.layer(testProvider(0))
        )
      )
    )
  })

  // -------------------------------------------------------------------------------------------
  // against a real node:http server
  // -------------------------------------------------------------------------------------------

  describe("over the wire (node:http + HttpTransport.layerNode)", () => {
    interface Received {
      readonly method: string
      readonly url: string
      readonly headers: http.IncomingHttpHeaders
      readonly body: string
    }

    /** A server on 127.0.0.1:0 answering by path; closed (with its sockets) by the scope. */
    const server = Effect.acquireRelease(
      Effect.async<{ readonly baseUrl: string; readonly received: Array<Received>; readonly server: http.Server }>(
        (resume) => {
          const received: Array<Received> = []
          const srv = http.createServer((req, res) => {
            const chunks: Array<Buffer> = []
            req.on("data", (chunk: Buffer) => chunks.push(chunk))
            req.on("end", () => {
              received.push({
                method: req.method ?? "",
                url: req.url ?? "",
                headers: req.headers,
                body: Buffer.concat(chunks).toString("utf8")
              })
              if (req.url === "/v1/limited" && received.length === 1) {
                // improvement 3: a retried 429 waits what the server asked for, not the backoff
                res.writeHead(429, { "retry-after-ms": "1", "x-request-id": "req-429" })
                res.end("slow down")
                return
              }
              if (req.url === "/v1/overloaded") {
                res.writeHead(503, { "content-type": "application/json", "x-request-id": `req-${received.length}` })
                res.end(`{"error":{"code":"server_is_overloaded"}}`)
                return
              }
              res.writeHead(200, { "content-type": "application/json" })
              res.end(`{"ok":true}`)
            })
          })
          srv.listen(0, "127.0.0.1", () => {
            const { port } = srv.address() as AddressInfo
            resume(Effect.succeed({ baseUrl: `http://127.0.0.1:${port}/v1/`, received, server: srv }))
          })
        }
      ),
      ({ server }) =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )

    it.scopedLive("sends headers with precedence provider < extra < endpoint < auth", () =>
      Effect.gen(function* () {
        const { baseUrl, received } = yield* server
        const provider = Provider.make({
          baseUrl,
          headers: {
            "x-from-provider": "provider",
            "x-extra-wins": "provider",
            "x-endpoint-wins": "provider",
            authorization: "provider",
            "chatgpt-account-id": "provider"
          },
          retry: { maxAttempts: 0, baseDelay: "1 millis", retry429: false, retry5xx: false, retryTransport: false }
        })
        const response = yield* EndpointSession.execute({
          method: "POST",
          path: "/responses",
          extraHeaders: {
            "X-Extra-Wins": "extra",
            "x-endpoint-wins": "extra",
            "x-from-extra": "extra",
            Authorization: "extra"
          },
          body: { model: "gpt-test", input: [] },
          configure: (request) =>
            Request.setHeaders(request, {
              "x-endpoint-wins": "endpoint",
              authorization: "endpoint",
              accept: "application/json"
            })
        }).pipe(
          Effect.provide(
            Layer.mergeAll(
              HttpTransport.layerNode,
              Provider.layer(provider),
              Auth.layerBearer({ token: Redacted.make("wire-token"), accountId: "acct-wire" })
            )
          )
        )
        expect(response.status).toBe(200)
        expect(new TextDecoder().decode(response.body)).toBe(`{"ok":true}`)
        expect(received.length).toBe(1)
        const got = received[0]!
        expect(got.method).toBe("POST")
        expect(got.url).toBe("/v1/responses")
        expect(got.body).toBe(`{"model":"gpt-test","input":[]}`)
        expect(got.headers["x-from-provider"]).toBe("provider")
        expect(got.headers["x-from-extra"]).toBe("extra")
        expect(got.headers["x-extra-wins"]).toBe("extra")
        expect(got.headers["x-endpoint-wins"]).toBe("endpoint")
        expect(got.headers.authorization).toBe("Bearer wire-token")
        expect(got.headers["chatgpt-account-id"]).toBe("acct-wire")
        expect(got.headers.accept).toBe("application/json")
        expect(got.headers["content-type"]).toBe("application/json")
      })
    )

    it.scopedLive("improvement: an opted-in 429 is retried after retry-after-ms instead of the backoff", () =>
      Effect.gen(function* () {
        const { baseUrl, received } = yield* server
        const auth = countingAuth([])
        // A 60 s backoff would hang the test; retry-after-ms: 1 lets the retry go at once.
        const provider = Provider.make({
          baseUrl,
          retry: { maxAttempts: 1, baseDelay: "60 seconds", retry429: true, retry5xx: false, retryTransport: false }
        })
        const response = yield* EndpointSession.execute({ method: "GET", path: "limited" }).pipe(
          Effect.provide(Layer.mergeAll(HttpTransport.layerNode, Provider.layer(provider), auth.layer)),
          Effect.timeout("2 seconds")
        )
        expect(response.status).toBe(200)
        expect(received.map((r) => r.url)).toEqual(["/v1/limited", "/v1/limited"])
      })
    )

    it.scopedLive("retries a 5xx with a fresh, re-authenticated request and maps the last error", () =>
      Effect.gen(function* () {
        const { baseUrl, received } = yield* server
        const auth = countingAuth([])
        const provider = Provider.make({
          baseUrl,
          retry: { maxAttempts: 1, baseDelay: "1 millis", retry429: false, retry5xx: true, retryTransport: true }
        })
        const error = yield* Effect.flip(
          EndpointSession.execute({ method: "POST", path: "overloaded", body: { n: 1 } }).pipe(
            Effect.provide(Layer.mergeAll(HttpTransport.layerNode, Provider.layer(provider), auth.layer))
          )
        )
        expect(received.length).toBe(2)
        expect(auth.calls()).toBe(2)
        expect(received.every((r) => r.headers.authorization === "Bearer secret-token")).toBe(true)
        const mapped = CodexError.mapApiError(error)
        expect(mapped._tag).toBe("ServerOverloaded")
        expect((mapped as CodexError.ServerOverloaded).requestId).toBe("req-2")
        expect((mapped as CodexError.ServerOverloaded).status).toBe(503)
      })
    )
  })
})
