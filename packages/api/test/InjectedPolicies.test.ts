/**
 * The retry and idle policies are services: without a layer the provider's configuration applies,
 * a `RetrySchedule` / `IdleTimeout` layer replaces it for every endpoint. Against real servers on
 * 127.0.0.1 (node:http for HTTP/SSE, `ws` for WebSocket).
 */
import type * as ApiError from "@codex/api/ApiError"
import * as Auth from "@codex/api/Auth"
import * as Models from "@codex/api/Models"
import * as Provider from "@codex/api/Provider"
import * as Responses from "@codex/api/Responses"
import * as ResponsesWebsocket from "@codex/api/ResponsesWebsocket"
import * as HttpTransport from "@codex/client/HttpTransport"
import * as IdleTimeout from "@codex/client/IdleTimeout"
import * as RetrySchedule from "@codex/client/RetrySchedule"
import type * as TransportError from "@codex/client/TransportError"
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import { json, type Reply, startServer } from "./utils/endpointServer.js"
import { listenWs } from "./utils/wsServer.js"

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

const overloaded: Reply = json({ error: { code: "server_is_overloaded", message: "busy" } }, 503)
const modelsBody = json({ models: [] })

/** A provider at `origin` that would retry 5xx four times, quickly. */
const providerLayer = (
  origin: string,
  retry: Partial<Provider.RetryConfig> = {},
  idle: Duration.DurationInput = "60 seconds"
) =>
  Provider.layer(
    Provider.make({
      baseUrl: `${origin}/v1`,
      retry: { ...Provider.defaultRetryConfig, baseDelay: Duration.millis(1), ...retry },
      streamIdleTimeout: idle
    })
  )

const services = (
  origin: string,
  retry: Partial<Provider.RetryConfig> = {},
  idle: Duration.DurationInput = "60 seconds"
) =>
  Layer.mergeAll(
    HttpTransport.layerNode,
    Auth.layerBearer({ token: Redacted.make("token"), accountId: "acct" }),
    providerLayer(origin, retry, idle)
  )

const listModels = Effect.flatMap(Models.make, (client) => client.list("1.0.0"))

/** A schedule that records every error it is asked about and allows `retries` retries. */
const counting = (retries: number) => {
  const seen: Array<TransportError.TransportError> = []
  const schedule = Schedule.recurs(retries).pipe(
    Schedule.tapInput((error: TransportError.TransportError) => Effect.sync(() => seen.push(error)))
  )
  return { seen, schedule }
}

const statusOf = (error: ApiError.ApiError) =>
  error._tag === "Transport" && error.error._tag === "Http" ? error.error.status : undefined

// ---------------------------------------------------------------------------------------------
// retry
// ---------------------------------------------------------------------------------------------

describe("RetrySchedule over the wire", () => {
  it.scopedLive("without a layer the provider's retry configuration applies", () =>
    Effect.gen(function* () {
      const server = yield* startServer((_request, index) => (index < 4 ? overloaded : modelsBody))
      const list = yield* listModels.pipe(Effect.provide(services(server.origin, { maxAttempts: 4 })))
      expect(list.models).toEqual([])
      expect(server.requests.length).toBe(5)
    })
  )

  it.scopedLive("RetrySchedule.layerNever: one request, the 503 comes back as is", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => overloaded)
      const error = yield* listModels.pipe(
        Effect.provide(services(server.origin, { maxAttempts: 4 })),
        Effect.provide(RetrySchedule.layerNever),
        Effect.flip
      )
      expect(statusOf(error)).toBe(503)
      expect(server.requests.length).toBe(1)
    })
  )

  it.scopedLive("a custom schedule decides alone, even for errors the provider would not retry", () =>
    Effect.gen(function* () {
      const server = yield* startServer((_request, index) => (index < 2 ? json({ error: {} }, 404) : modelsBody))
      const { seen, schedule } = counting(3)
      const list = yield* listModels.pipe(
        // the provider retries nothing at all
        Effect.provide(services(server.origin, { maxAttempts: 0, retry5xx: false, retryTransport: false })),
        Effect.provide(RetrySchedule.layer(schedule))
      )
      expect(list.models).toEqual([])
      expect(server.requests.length).toBe(3)
      expect(seen.map((error) => (error._tag === "Http" ? error.status : error._tag))).toEqual([404, 404])
    })
  )

  it.scopedLive("the budget of the custom schedule bounds the tries and the last error is returned", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => overloaded)
      const { seen, schedule } = counting(2)
      const error = yield* listModels.pipe(
        Effect.provide(services(server.origin, { maxAttempts: 4 })),
        Effect.provide(RetrySchedule.layer(schedule)),
        Effect.flip
      )
      expect(statusOf(error)).toBe(503)
      expect(server.requests.length).toBe(3)
      expect(seen.length).toBe(3)
    })
  )

  it.scopedLive("applies to streaming endpoints: Responses is retried under the layer's schedule", () =>
    Effect.gen(function* () {
      const server = yield* startServer((_request, index) =>
        index < 1
          ? overloaded
          : {
              headers: { "content-type": "text/event-stream" },
              body: `data: ${JSON.stringify({ type: "response.completed", response: { id: "r1" } })}\n\n`
            }
      )
      const { seen, schedule } = counting(1)
      const events = yield* Effect.flatMap(Responses.make, (client) =>
        Stream.runCollect(client.stream({ model: "m" }))
      ).pipe(Effect.provide(services(server.origin, { maxAttempts: 0 })), Effect.provide(RetrySchedule.layer(schedule)))
      expect([...events].map((event) => event._tag)).toContain("Completed")
      expect(server.requests.length).toBe(2)
      expect(seen.length).toBe(1)
    })
  )

  it.scopedLive("a schedule with shared state acts across requests (a retry budget that runs out)", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => overloaded)
      let budget = 3
      const schedule = RetrySchedule.layer(
        Schedule.recurWhile(() => {
          if (budget === 0) return false
          budget--
          return true
        })
      )
      const run = listModels.pipe(Effect.provide(services(server.origin)), Effect.provide(schedule), Effect.flip)
      yield* run
      expect(server.requests.length).toBe(4)
      yield* run
      expect(server.requests.length).toBe(5)
    })
  )

  it.scopedLive("Provider.toRetrySchedule extends the default: same tries, plus a tap of its own", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => overloaded)
      const seen: Array<number> = []
      const layer = Layer.effect(
        RetrySchedule.RetrySchedule,
        Effect.map(Provider.CurrentProvider, (provider) =>
          Provider.toRetrySchedule(provider.retry).pipe(
            Schedule.tapInput((error: TransportError.TransportError) =>
              Effect.sync(() => seen.push(error._tag === "Http" ? error.status : 0))
            )
          )
        )
      ).pipe(Layer.provide(providerLayer(server.origin, { maxAttempts: 2 })))
      yield* listModels.pipe(
        Effect.provide(services(server.origin, { maxAttempts: 2 })),
        Effect.provide(layer),
        Effect.flip
      )
      expect(server.requests.length).toBe(3)
      expect(seen).toEqual([503, 503, 503])
    })
  )
})

// ---------------------------------------------------------------------------------------------
// idle
// ---------------------------------------------------------------------------------------------

describe("IdleTimeout over the wire", () => {
  it.scopedLive("an IdleTimeout layer replaces the provider's idle timeout on the SSE path", () =>
    Effect.gen(function* () {
      // The server sends one event and then nothing: the provider would wait a minute.
      const server = yield* startServer(() => ({
        headers: { "content-type": "text/event-stream" },
        body: `data: ${JSON.stringify({ type: "response.created", response: {} })}\n\n`,
        keepOpen: true
      }))
      const error = yield* Effect.flatMap(Responses.make, (client) => Stream.runDrain(client.stream({}))).pipe(
        Effect.provide(services(server.origin, { maxAttempts: 0 }, "60 seconds")),
        Effect.provide(IdleTimeout.layer("200 millis")),
        Effect.flip,
        Effect.timeout("10 seconds")
      )
      expect(error._tag === "Stream" && error.reason).toBe("idle timeout waiting for SSE")
    })
  )

  it.scopedLive("an IdleTimeout layer replaces the provider's idle timeout on the WebSocket path", () =>
    Effect.gen(function* () {
      const wss = yield* listenWs()
      const client = yield* ResponsesWebsocket.make.pipe(
        Effect.provide(
          Layer.mergeAll(
            Provider.layer(Provider.make({ baseUrl: `${wss.origin}/v1`, streamIdleTimeout: "60 seconds" })),
            Auth.layerNone
          )
        ),
        Effect.provide(IdleTimeout.layer("200 millis"))
      )
      const connection = yield* client.connect()
      const conn = yield* Queue.take(wss.connections)
      const fiber = yield* Effect.fork(
        Stream.runDrain(
          connection.streamRequest({
            model: "m",
            instructions: "",
            input: [],
            tools: [],
            toolChoice: "auto",
            parallelToolCalls: false,
            store: false,
            stream: true,
            include: []
          })
        ).pipe(Effect.flip)
      )
      yield* conn.nextJson
      yield* conn.sendJson({ type: "response.created", response: {} })
      const error = yield* Fiber.join(fiber).pipe(Effect.timeout("10 seconds"))
      expect(error._tag === "Stream" && error.reason).toBe("idle timeout waiting for websocket")
    })
  )
})
