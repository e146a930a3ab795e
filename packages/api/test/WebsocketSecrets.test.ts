/**
 * A password in the base URL (`http://user:s3cret-pw@host/v1`) never shows in what the WebSocket
 * clients produce: errors (String, JSON, util.inspect, Cause.pretty), log lines at `All`, spans and
 * the connection's `url`. Every failure mode runs against a real local server.
 */
import type * as ApiError from "@codex/api/ApiError"
import * as Auth from "@codex/api/Auth"
import * as Provider from "@codex/api/Provider"
import * as RealtimeWebsocket from "@codex/api/RealtimeWebsocket"
import * as ResponsesWebsocket from "@codex/api/ResponsesWebsocket"
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as Tracer from "effect/Tracer"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { inspect } from "node:util"
import { listenHttp, listenSilent, listenWs } from "./utils/wsServer.js"

const password = "s3cret-pw"
const withPassword = (origin: string) => origin.replace("http://", `http://user:${password}@`)

/** Everything rendered while `effect` runs: log lines (logfmt, JSON, pretty) and spans. */
const recorded = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const lines: Array<string> = []
    const spans: Array<Tracer.Span> = []
    const native = yield* Effect.tracer
    const recording = Tracer.make({
      span: (...args) => {
        const span = native.span(...args)
        const event = span.event.bind(span)
        span.event = (name, startTime, attributes) => {
          lines.push(`span event ${name} ${inspect(attributes)}`)
          event(name, startTime, attributes)
        }
        spans.push(span)
        return span
      },
      context: native.context
    })
    const capture = Logger.make((options) => {
      lines.push(Logger.logfmtLogger.log(options))
      lines.push(Logger.jsonLogger.log(options))
      lines.push(inspect({ message: options.message, cause: Cause.pretty(options.cause) }, { depth: 10 }))
    })
    const exit = yield* Effect.exit(
      effect.pipe(
        Effect.tapErrorCause((cause) => Effect.logError("websocket failed", cause)),
        Effect.withTracer(recording),
        Effect.provide(Logger.replace(Logger.defaultLogger, capture)),
        Logger.withMinimumLogLevel(LogLevel.All)
      )
    )
    for (const span of spans) {
      lines.push(span.name, inspect(span.attributes, { depth: 10 }))
      if (span.status._tag === "Ended") {
        lines.push(inspect(span.status.exit, { depth: 10 }))
        if (Exit.isFailure(span.status.exit)) lines.push(Cause.pretty(span.status.exit.cause))
      }
    }
    return { exit, lines, spans }
  })

/** Fails the test when `password` appears in any rendering of `error` or in `lines`. */
const expectNoPassword = (error: ApiError.ApiError, lines: ReadonlyArray<string>) => {
  const renderings = [
    String(error),
    error.message,
    JSON.stringify(error),
    inspect(error, { depth: 10 }),
    Cause.pretty(Cause.fail(error)),
    Cause.pretty(Cause.die(error)),
    ...lines
  ]
  expect(lines.length).toBeGreaterThan(0)
  for (const rendering of renderings) expect(rendering).not.toContain(password)
}

const failureOf = <A>(exit: Exit.Exit<A, ApiError.ApiError>): ApiError.ApiError => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const failure = Cause.failureOption(exit.cause)
  if (failure._tag === "None") throw new Error(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
  return failure.value
}

const responsesClient = (baseUrl: string, options: Partial<Parameters<typeof Provider.make>[0]> = {}) =>
  ResponsesWebsocket.make.pipe(
    Effect.provide(
      Layer.mergeAll(
        Provider.layer(Provider.make({ baseUrl, ...options })),
        Auth.layerBearer({ token: Redacted.make("secret-token") })
      )
    )
  )

const realtimeClient = (baseUrl: string, options: Partial<Parameters<typeof Provider.make>[0]> = {}) =>
  RealtimeWebsocket.make(Provider.make({ baseUrl, ...options }))

const realtimeConfig = {
  instructions: "prompt",
  eventParser: "V1",
  sessionMode: "Conversational",
  outputModality: "audio",
  voice: "breeze"
} as const

/** A port nothing listens on. */
const closedPort = Effect.async<number>((resume) => {
  const probe = Http.createServer()
  probe.listen(0, "127.0.0.1", () => {
    const { port } = probe.address() as AddressInfo
    probe.close(() => resume(Effect.succeed(port)))
  })
})

/** Base URLs (with the password) whose connect fails, by failure mode. */
const failingBaseUrls = Effect.gen(function* () {
  const rejecting = yield* listenHttp((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain" })
    res.end("upgrade required")
  })
  const rejectingOrigin = `http://127.0.0.1:${(rejecting.address() as AddressInfo).port}`
  const refused = `http://127.0.0.1:${yield* closedPort}`
  return {
    rejected: withPassword(rejectingOrigin),
    refused: withPassword(refused),
    fragment: `${withPassword(rejectingOrigin)}/v1#frag`,
    scheme: `ftp://user:${password}@127.0.0.1:1/v1`,
    unparseable: `http://user:${password}@[bad/v1`
  }
})

describe("WebSocket URL credentials are never rendered", () => {
  it.scoped("ResponsesWebsocket: handshake, network, URL and timeout errors, logs and spans", () =>
    Effect.gen(function* () {
      const urls = yield* failingBaseUrls
      const expectedTags: Record<keyof typeof urls, string> = {
        rejected: "Http",
        refused: "Network",
        fragment: "Build",
        scheme: "Build",
        unparseable: "Stream"
      }
      for (const [mode, baseUrl] of Object.entries(urls) as Array<[keyof typeof urls, string]>) {
        const client = yield* responsesClient(baseUrl)
        const { exit, lines, spans } = yield* recorded(Effect.scoped(client.connect()))
        const error = failureOf(exit)
        expect(error._tag === "Transport" ? error.error._tag : error._tag).toBe(expectedTags[mode])
        expect(spans.map((span) => span.name)).toContain("responses_websocket.connect")
        expectNoPassword(error, lines)
        if (mode === "rejected") {
          const url = (error as ApiError.Transport).error as { url?: string }
          expect(url.url).toMatch(/^ws:\/\/<redacted>@127\.0\.0\.1:\d+\/responses$/)
        }
      }
    })
  )

  it.scoped("ResponsesWebsocket: a connect timeout", () =>
    Effect.gen(function* () {
      const server = yield* listenSilent
      const client = yield* responsesClient(`${withPassword(server.origin)}/v1`, {
        websocketConnectTimeout: "1 second"
      })
      const fiber = yield* Effect.fork(recorded(Effect.scoped(client.connect())))
      const conn = yield* Queue.take(server.connections)
      yield* Deferred.await(conn.received)
      yield* TestClock.adjust("1 second")
      const { exit, lines } = yield* Fiber.join(fiber)
      const error = failureOf(exit)
      expect(error.message).toBe("timeout")
      expectNoPassword(error, lines)
    })
  )

  it.scoped("ResponsesWebsocket: an open connection, its probe and its stream errors", () =>
    Effect.gen(function* () {
      const server = yield* listenWs({ perMessageDeflate: true })
      const client = yield* responsesClient(`${withPassword(server.origin)}/v1`)
      const { exit, lines } = yield* recorded(
        Effect.gen(function* () {
          const connection = yield* client.connect()
          expect(connection.url).toBe(`ws://<redacted>@127.0.0.1:${server.port}/v1/responses`)
          const conn = yield* Queue.take(server.connections)
          const events = Stream.runDrain(
            connection.streamRequest({
              model: "m",
              instructions: "",
              input: [],
              tools: [],
              toolChoice: "auto",
              parallelToolCalls: true,
              store: false,
              stream: true,
              include: []
            })
          )
          const pending = yield* Effect.fork(events)
          yield* conn.nextJson
          conn.socket.close(1011, "bye")
          return yield* Fiber.join(pending)
        }).pipe(Effect.scoped)
      )
      expectNoPassword(failureOf(exit), lines)
      const probe = yield* client.probeHandshake({ immediateCloseTimeout: "1 millis" }).pipe(
        Effect.fork,
        Effect.tap(() => Queue.take(server.connections)),
        Effect.tap(() => TestClock.adjust("1 millis")),
        Effect.flatMap(Fiber.join)
      )
      expect(probe.url).not.toContain(password)
    })
  )

  it.scoped("RealtimeWebsocket: handshake, network and URL errors, logs and spans; the connection url", () =>
    Effect.gen(function* () {
      const urls = yield* failingBaseUrls
      for (const baseUrl of Object.values(urls)) {
        const { exit, lines } = yield* recorded(Effect.scoped(realtimeClient(baseUrl).connect(realtimeConfig)))
        expectNoPassword(failureOf(exit), lines)
      }
      const silent = yield* listenSilent
      const fiber = yield* Effect.fork(
        recorded(
          Effect.scoped(
            realtimeClient(withPassword(silent.origin), { websocketConnectTimeout: "1 second" }).connect(realtimeConfig)
          )
        )
      )
      yield* Deferred.await((yield* Queue.take(silent.connections)).received)
      yield* TestClock.adjust("1 second")
      const timedOut = yield* Fiber.join(fiber)
      expectNoPassword(failureOf(timedOut.exit), timedOut.lines)

      const server = yield* listenWs()
      const connection = yield* realtimeClient(withPassword(server.origin)).connect(realtimeConfig)
      expect(connection.url).toBe(`ws://<redacted>@127.0.0.1:${server.port}/v1/realtime?intent=quicksilver`)
    })
  )
})
