import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as HttpTransport from "@codex/client/HttpTransport"
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import type * as ApiError from "../src/ApiError.js"
import * as Auth from "../src/Auth.js"
import { decodeBody } from "../src/internal/responsesSse.js"
import * as Provider from "../src/Provider.js"
import * as Responses from "../src/Responses.js"
import { sseFixture } from "../src/ResponsesFixture.js"
import * as SseTelemetry from "../src/SseTelemetry.js"

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

/** A capturing telemetry layer. */
const capture = () => {
  const polls: Array<SseTelemetry.SsePoll> = []
  const layer = SseTelemetry.layer((poll) => Effect.sync(() => polls.push(poll)))
  const summary = () =>
    polls.map((poll) => (poll.result._tag === "Event" ? `Event:${poll.result.event.event}` : poll.result._tag))
  return { polls, layer, summary }
}

const assistant = (text: string) => ({
  type: "response.output_item.done",
  item: { type: "message", role: "assistant", content: [{ type: "output_text", text }] }
})
const completed = { type: "response.completed", response: { id: "resp1" } }
const encode = (text: string) => new TextEncoder().encode(text)

/** A real node:http server answering every request with `parts` (SSE text), written one by one. */
const sseServer = (parts: ReadonlyArray<string>) =>
  Effect.acquireRelease(
    Effect.async<Http.Server>((resume) => {
      const server = Http.createServer((req, res) => {
        req.resume()
        req.on("end", () => {
          res.writeHead(200, { "content-type": "text/event-stream" })
          for (const part of parts) res.write(part)
          res.end()
        })
      })
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`))

const responsesLayer = (baseUrl: string) =>
  Responses.layer.pipe(
    Layer.provide(
      Layer.mergeAll(
        HttpTransport.layerNode,
        Auth.layer(Auth.none),
        Provider.layer(Provider.make({ baseUrl, retry: { ...Provider.defaultRetryConfig, maxAttempts: 0 } }))
      )
    )
  )

const stream = (baseUrl: string) =>
  Effect.flatMap(Responses.ResponsesClient, (client) =>
    Stream.runDrain(client.stream({ model: "m", input: [] })).pipe(Effect.either)
  ).pipe(Effect.provide(responsesLayer(baseUrl)))

// ---------------------------------------------------------------------------------------------
// tests
// ---------------------------------------------------------------------------------------------

describe("SseTelemetry", () => {
  it.effect("the default is the no-op", () =>
    Effect.gen(function* () {
      expect(yield* SseTelemetry.SseTelemetry).toBe(SseTelemetry.noop)
    })
  )

  it.scopedLive("a Responses stream over HTTP reports one poll per SSE event", () =>
    Effect.gen(function* () {
      const baseUrl = yield* sseServer([sseFixture([assistant("a")]), sseFixture([assistant("b"), completed])])
      const { layer, summary, polls } = capture()
      const result = yield* stream(baseUrl).pipe(Effect.provide(layer))
      expect(Either.isRight(result)).toBe(true)
      expect(summary()).toEqual([
        "Event:response.output_item.done",
        "Event:response.output_item.done",
        "Event:response.completed"
      ])
      expect(polls.every((poll) => Duration.toMillis(poll.duration) >= 0)).toBe(true)
    })
  )

  it.scopedLive("a body that ends without response.completed reports End as its last poll", () =>
    Effect.gen(function* () {
      const baseUrl = yield* sseServer([sseFixture([assistant("a")])])
      const { layer, summary } = capture()
      const result = yield* stream(baseUrl).pipe(Effect.provide(layer))
      expect(Either.isLeft(result)).toBe(true)
      expect(summary()).toEqual(["Event:response.output_item.done", "End"])
    })
  )

  it.effect("durations: the first event of a chunk waited for it, the others were buffered", () =>
    Effect.gen(function* () {
      const { layer, polls } = capture()
      const body = Stream.concat(
        Stream.make(encode(sseFixture([assistant("a")]))),
        Stream.fromEffect(Effect.as(Effect.sleep("120 millis"), encode(sseFixture([assistant("b"), completed]))))
      )
      const fiber = yield* decodeBody(body, { idleTimeout: 1000 }).pipe(
        Stream.runDrain,
        Effect.provide(layer),
        Effect.fork
      )
      yield* TestClock.adjust("120 millis")
      yield* Fiber.join(fiber)
      expect(polls.map((poll) => Duration.toMillis(poll.duration))).toEqual([0, 120, 0])
    })
  )

  it.effect("the idle timeout is reported as Timeout with the time waited", () =>
    Effect.gen(function* () {
      const { layer, summary, polls } = capture()
      const body = Stream.concat(Stream.make(encode(sseFixture([assistant("a")]))), Stream.never)
      const fiber = yield* decodeBody(body, { idleTimeout: 500 }).pipe(
        Stream.runDrain,
        Effect.either,
        Effect.provide(layer),
        Effect.fork
      )
      yield* TestClock.adjust("500 millis")
      const result = yield* Fiber.join(fiber)
      expect(Either.isLeft(result) && result.left.message).toBe("stream error: idle timeout waiting for SSE")
      expect(summary()).toEqual(["Event:response.output_item.done", "Timeout"])
      expect(Duration.toMillis(polls[1]!.duration)).toBe(500)
    })
  )

  it.effect("a failing body is reported as Error with the error", () =>
    Effect.gen(function* () {
      const { layer, polls } = capture()
      const boom = new Error("connection reset")
      const body = Stream.concat(Stream.make(encode(sseFixture([assistant("a")]))), Stream.fail(boom))
      const result = yield* decodeBody(body, { idleTimeout: 1000 }).pipe(
        Stream.runDrain,
        Effect.either,
        Effect.provide(layer)
      )
      expect(Either.isLeft(result)).toBe(true)
      expect(polls.map((poll) => poll.result._tag)).toEqual(["Event", "Error"])
      const last = polls[1]!.result
      expect(last._tag === "Error" && (last.error as ApiError.ApiError).message).toBe("stream error: connection reset")
    })
  )
})
