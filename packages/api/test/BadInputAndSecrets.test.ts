/**
 * Bad configuration is a typed, non-retried error before anything reaches the server (base URLs,
 * header names / values from every source), and a password in the base URL never shows up in any
 * rendering of any error, log line or span.
 */
import type * as ApiError from "@codex/api/ApiError"
import * as Auth from "@codex/api/Auth"
import * as CodexError from "@codex/api/CodexError"
import * as Models from "@codex/api/Models"
import * as Provider from "@codex/api/Provider"
import * as HttpTransport from "@codex/client/HttpTransport"
import * as NodeTransport from "@codex/client/NodeTransport"
import type * as Request from "@codex/client/Request"
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Tracer from "effect/Tracer"
import * as net from "node:net"
import * as util from "node:util"
import * as EndpointSession from "../src/internal/endpointSession.js"
import { json, startServer } from "./utils/endpointServer.js"

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

/** The real transport, counting the attempts that reach it. */
const countingTransport = (base: Layer.Layer<HttpTransport.HttpTransport>) => {
  const attempts: Array<Request.Request> = []
  const layer = Layer.effect(
    HttpTransport.HttpTransport,
    Effect.map(HttpTransport.HttpTransport, (transport) => ({
      execute: (request: Request.Request) =>
        Effect.zipRight(
          Effect.sync(() => attempts.push(request)),
          transport.execute(request)
        ),
      stream: (request: Request.Request) =>
        Effect.zipRight(
          Effect.sync(() => attempts.push(request)),
          transport.stream(request)
        )
    }))
  ).pipe(Layer.provide(base))
  return { attempts, layer }
}

/** Five retries, one second apart: retrying at all would show up as more than one attempt. */
const providerLayer = (baseUrl: string, options: Partial<Parameters<typeof Provider.make>[0]> = {}) =>
  Provider.layer(
    Provider.make({
      baseUrl,
      retry: { ...Provider.defaultRetryConfig, maxAttempts: 5, baseDelay: Duration.seconds(1) },
      ...options
    })
  )

const bearer = (token = "tok", accountId = "acct") => Auth.layerBearer({ token: Redacted.make(token), accountId })

const typedFailure = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") throw new Error(`expected a typed failure: ${exit}`)
  return exit.cause.error
}

const listModels = Effect.flatMap(Models.make, (client) => client.list("1.0.0"))

/** A port with nothing listening on it. */
const closedPort = Effect.promise(
  () =>
    new Promise<number>((resolve) => {
      const server = net.createServer()
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as net.AddressInfo
        server.close(() => resolve(port))
      })
    })
)

const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpTransport.HttpTransport>]> = [
  ["layerNode", HttpTransport.layerNode],
  ["layerFetch", HttpTransport.layerFetch]
]

// ---------------------------------------------------------------------------------------------
// bad input
// ---------------------------------------------------------------------------------------------

describe("bad base URLs", () => {
  it.scopedLive("are a Build error at once: one attempt, nothing reaches the server", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => json({ models: [] }))
      const port = new URL(server.origin).port
      const bad = [
        `ftp://127.0.0.1:${port}/v1`,
        "file:///v1",
        "javascript:alert(1)",
        `ws://127.0.0.1:${port}/v1`,
        "mailto:someone@example.com",
        "http://",
        `http://127.0.0.1:${port}/v1#frag`
      ]
      for (const baseUrl of bad) {
        const counting = countingTransport(HttpTransport.layerNode)
        const error = typedFailure(
          yield* Effect.exit(
            listModels.pipe(Effect.provide(Layer.mergeAll(counting.layer, bearer(), providerLayer(baseUrl))))
          )
        )
        expect(error._tag, baseUrl).toBe("Transport")
        expect((error as ApiError.Transport).error._tag, baseUrl).toBe("Build")
        expect(counting.attempts, baseUrl).toHaveLength(1)
        const invalid = yield* Effect.flip(Provider.validateBaseUrl(baseUrl))
        expect(invalid._tag).toBe("InvalidUrl")
      }
      expect(server.requests).toEqual([])
    })
  )

  it.effect("OPENAI_BASE_URL is checked when the provider is read from configuration", () =>
    Effect.gen(function* () {
      const read = (value: string) =>
        Effect.withConfigProvider(
          Effect.either(Provider.config),
          ConfigProvider.fromMap(new Map([["OPENAI_BASE_URL", value]]))
        )
      const bad = yield* read("ftp://user:s3cret-pw@example.com/v1")
      expect(bad._tag).toBe("Left")
      expect(String(bad._tag === "Left" ? bad.left : "")).toContain('unsupported URL scheme "ftp:"')
      expect(String(bad._tag === "Left" ? bad.left : "")).not.toContain("s3cret-pw")
      const good = yield* read("http://127.0.0.1:1/v1")
      expect(good._tag).toBe("Right")
    })
  )
})

describe("bad header names and values", () => {
  it.scopedLive("from every source are a Build error naming the header, one attempt, nothing sent", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => json({ models: [] }))
      const baseUrl = `${server.origin}/v1`
      const cases: ReadonlyArray<
        readonly [string, Layer.Layer<Auth.AuthProvider | Provider.CurrentProvider>, Record<string, string>]
      > = [
        ["x-extra", Layer.merge(bearer(), providerLayer(baseUrl)), { "x-extra": "s3cret\r\nx-injected: 1" }],
        ["session_id", Layer.merge(bearer(), providerLayer(baseUrl)), { session_id: "s3cret\u2603" }],
        ["bad name", Layer.merge(bearer(), providerLayer(baseUrl)), { "bad name": "v" }],
        ["x-provider", Layer.merge(bearer(), providerLayer(baseUrl, { headers: { "x-provider": "s3cret\0" } })), {}],
        ["authorization", Layer.merge(bearer("s3cret\nx-injected: 1"), providerLayer(baseUrl)), {}],
        ["chatgpt-account-id", Layer.merge(bearer("tok", "s3cret\r"), providerLayer(baseUrl)), {}]
      ]
      for (const [name, layer, extraHeaders] of cases) {
        const counting = countingTransport(HttpTransport.layerNode)
        const error = typedFailure(
          yield* Effect.exit(
            EndpointSession.execute({ method: "GET", path: "models", extraHeaders }).pipe(
              Effect.provide(Layer.merge(counting.layer, layer))
            )
          )
        )
        if (error._tag !== "Transport") throw new Error(`expected Transport, got ${error._tag}`)
        expect(error.error._tag, name).toBe("Build")
        expect(error.message).toContain(JSON.stringify(name))
        expect(error.message).not.toContain("s3cret")
        expect(counting.attempts, name).toHaveLength(1)
      }
      expect(server.requests).toEqual([])
    })
  )
})

describe("time to headers", () => {
  it.scopedLive("defaults to the provider's stream idle timeout and is retried as a Timeout", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => ({ status: 200, body: "", delayMs: 20_000 }))
      const counting = countingTransport(HttpTransport.layerNode)
      const provider = Provider.layer(
        Provider.make({
          baseUrl: `${server.origin}/v1`,
          retry: { ...Provider.defaultRetryConfig, maxAttempts: 1, baseDelay: Duration.millis(1) },
          streamIdleTimeout: "300 millis"
        })
      )
      const error = typedFailure(
        yield* Effect.exit(listModels.pipe(Effect.provide(Layer.mergeAll(counting.layer, bearer(), provider))))
      )
      if (error._tag !== "Transport") throw new Error(`expected Transport, got ${error._tag}`)
      expect(error.error._tag).toBe("Timeout")
      expect(counting.attempts).toHaveLength(2)
      expect(server.requests).toHaveLength(2)
    })
  )
})

// ---------------------------------------------------------------------------------------------
// a password in the base URL
// ---------------------------------------------------------------------------------------------

const password = "s3cret-pw"

/** Every rendering a program might produce of an error. */
const renderings = (error: unknown): ReadonlyArray<string> => [
  String(error),
  (error as Error).message ?? "",
  JSON.stringify(error),
  util.inspect(error, { depth: 10 }),
  util.format("%O", error),
  Cause.pretty(Cause.fail(error)),
  Cause.pretty(Cause.die(error))
]

/** Captures log lines (at `All`) and spans with their attributes and events. */
const observe = Effect.gen(function* () {
  const lines: Array<string> = []
  const spans: Array<unknown> = []
  const native = yield* Effect.tracer
  const tracer = Tracer.make({
    context: native.context,
    span: (name, parent, context, links, startTime, kind, options) => {
      const span = native.span(name, parent, context, links, startTime, kind, options)
      const record = { name, attributes: span.attributes, events: [] as Array<unknown> }
      spans.push(record)
      const event = span.event.bind(span)
      span.event = (eventName, time, attributes) => {
        record.events.push({ eventName, attributes })
        event(eventName, time, attributes)
      }
      return span
    }
  })
  const logger = Logger.make((options) => lines.push(Logger.logfmtLogger.log(options)))
  const instrument = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    effect.pipe(
      Effect.tapErrorCause((cause) => Effect.logError("request failed", cause)),
      Effect.withSpan("caller"),
      Effect.withTracer(tracer),
      Logger.withMinimumLogLevel(LogLevel.All),
      Effect.provide(Logger.replace(Logger.defaultLogger, logger))
    )
  const rendered = () => [...lines, ...spans.map((span) => util.inspect(span, { depth: 10 }))]
  return { instrument, rendered }
})

describe("a password in the base URL", () => {
  for (const [name, transport] of transports) {
    it.scopedLive(`never appears in any rendering of any error, log line or span (${name})`, () =>
      Effect.gen(function* () {
        const server = yield* startServer((request) =>
          request.url.startsWith("/v1/slow")
            ? { status: 200, body: "", delayMs: 10_000 }
            : json({ error: { message: "boom" } }, 500)
        )
        const port = new URL(server.origin).port
        const base = `http://user:${password}@127.0.0.1:${port}/v1`
        const dead = `http://user:${password}@127.0.0.1:${yield* closedPort}/v1`
        const { instrument, rendered } = yield* observe
        const errors: Array<unknown> = []
        const attempt = (baseUrl: string, request: EndpointSession.EndpointRequest, token = "tok") =>
          Effect.gen(function* () {
            const exit = yield* Effect.exit(
              instrument(EndpointSession.execute(request)).pipe(
                Effect.provide(
                  Layer.mergeAll(
                    transport,
                    bearer(token),
                    Provider.layer(
                      Provider.make({
                        baseUrl,
                        retry: { ...Provider.defaultRetryConfig, maxAttempts: 1, baseDelay: Duration.millis(1) },
                        headersTimeout: "300 millis"
                      })
                    )
                  )
                )
              )
            )
            const error = typedFailure(exit)
            errors.push(error, CodexError.mapApiError(error))
            if (error._tag === "Transport") errors.push(error.error)
            return error
          })
        const kinds = [
          yield* attempt(base, { method: "GET", path: "models" }),
          yield* attempt(base, { method: "GET", path: "slow" }),
          yield* attempt(dead, { method: "GET", path: "models" }),
          yield* attempt(base, { method: "GET", path: "models" }, "bad\ntoken"),
          yield* attempt(`ftp://user:${password}@127.0.0.1:${port}/v1`, { method: "GET", path: "models" })
        ].map((error) => (error._tag === "Transport" ? error.error._tag : error._tag))
        // fetch refuses URLs with credentials before sending (a Network error); undici sends them
        expect(kinds).toEqual(
          name === "layerFetch"
            ? ["Network", "Network", "Network", "Build", "Build"]
            : ["Http", "Timeout", "Network", "Build", "Build"]
        )
        // a proxy URL that does not parse
        const proxyError = yield* Effect.flip(
          Layer.build(NodeTransport.layer({ proxy: { httpProxy: `http://user:${password}@[bad:8080` } }))
        )
        errors.push(proxyError)
        const all = [...errors.flatMap(renderings), ...rendered()]
        expect(all.length).toBeGreaterThan(50)
        for (const text of all) expect(text).not.toContain(password)
        expect(all.some((text) => text.includes("<redacted>@127.0.0.1"))).toBe(true)
      })
    )
  }
})
