import * as Auth from "@codex/api/Auth"
import * as HttpTransport from "@codex/client/HttpTransport"
import * as Provider from "@codex/api/Provider"
import type { ResponseEvent } from "@codex/api/ResponseEvent"
import * as Responses from "@codex/api/Responses"
import * as Request from "@codex/client/Request"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as DemoFixture from "../src/DemoFixture.js"
import * as Fixture from "../src/Fixture.js"
import * as InMemoryTransport from "../src/InMemoryTransport.js"

const decoder = new TextDecoder()
const base = "http://example.test/v1"
const postJson = (path: string, body: unknown) => Request.withJson(Request.make("POST", `${base}${path}`), body)

const collectText = (stream: Stream.Stream<Uint8Array, unknown>) =>
  Effect.map(Stream.runCollect(stream), (chunks) => Chunk.toReadonlyArray(chunks).map((c) => decoder.decode(c)))

describe("InMemoryTransport", () => {
  it.scoped("streams the scripted SSE and records the request as it would go on the wire", () =>
    Effect.gen(function* () {
      const events = Fixture.textAnswer(["Hi"])
      const memory = InMemoryTransport.unsafeMake({ script: { "/responses": [{ events, headers: { "x-a": "1" } }] } })
      const response = yield* memory.transport.stream(
        Request.setHeader(postJson("/responses", { model: "m" }), "x-b", "2")
      )
      expect(response.status).toBe(200)
      expect(response.headers["x-a"]).toBe("1")
      expect(response.headers["content-type"]).toBe("text/event-stream")
      const parts = yield* collectText(response.body)
      expect(parts.length).toBe(events.length)
      expect(Fixture.fromSse(parts.join(""))).toEqual(events)
      const [recorded] = memory.requests
      expect(recorded?.route).toBe("/responses")
      expect(recorded?.json).toEqual({ model: "m" })
      expect(recorded?.headers["x-b"]).toBe("2")
      expect(recorded?.headers["content-type"]).toBe("application/json")
    })
  )

  it.effect("layer provides HttpTransport; non-2xx is TransportError.Http with the body and headers", () =>
    Effect.gen(function* () {
      const transport = yield* HttpTransport.HttpTransport
      const result = yield* Effect.either(transport.execute(postJson("/responses/compact", {})))
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        const error = result.left
        expect(error._tag).toBe("Http")
        if (error._tag === "Http") {
          expect(error.status).toBe(429)
          expect(error.body).toBe('{"error":{"message":"slow down"}}')
          expect(error.header("retry-after")).toBe("2")
          expect(error.url).toBe(`${base}/responses/compact`)
        }
      }
      const ok = yield* transport.execute(postJson("/responses/compact", {}))
      expect(JSON.parse(decoder.decode(ok.body))).toEqual({ output: [] })
    }).pipe(
      Effect.provide(
        InMemoryTransport.layer({
          script: { "/responses/compact": [{ status: 429, retryAfter: 2, json: { error: { message: "slow down" } } }] },
          defaults: { "/responses/compact": { json: { output: [] } } }
        })
      )
    )
  )

  it.scoped("chunkSize 1 yields one chunk per byte", () =>
    Effect.gen(function* () {
      const memory = InMemoryTransport.unsafeMake({ script: { "/x": [{ body: "hello", chunkSize: 1 }] } })
      const response = yield* memory.transport.stream(Request.make("GET", `${base}/x`))
      expect(yield* collectText(response.body)).toEqual(["h", "e", "l", "l", "o"])
    })
  )

  it.scoped("headers and chunk delays follow the Effect clock (TestClock)", () =>
    Effect.gen(function* () {
      const memory = InMemoryTransport.unsafeMake({
        script: { "/x": [{ body: "abc", chunkSize: 1, headersDelayMs: 1000, chunkDelayMs: 500 }] }
      })
      const fiber = yield* Effect.fork(
        Effect.flatMap(memory.transport.stream(Request.make("GET", `${base}/x`)), (r) => collectText(r.body))
      )
      yield* TestClock.adjust("999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      yield* TestClock.adjust("999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(fiber)).toEqual(["a", "b", "c"])
    })
  )

  it.scoped("drop mid-stream fails the body with TransportError.Network after the partial bytes", () =>
    Effect.gen(function* () {
      const memory = InMemoryTransport.unsafeMake({
        script: { "/x": [{ body: "abcdef", chunkSize: 2, dropAfterBytes: 3 }] }
      })
      const response = yield* memory.transport.stream(Request.make("GET", `${base}/x`))
      const seen: Array<string> = []
      const result = yield* Effect.either(
        Stream.runForEach(response.body, (chunk) => Effect.sync(() => seen.push(decoder.decode(chunk))))
      )
      expect(seen).toEqual(["ab", "c"])
      expect(Either.isLeft(result) && result.left._tag).toBe("Network")
    })
  )

  it.scoped("stall keeps the body open; the request timeout covers the time to headers", () =>
    Effect.gen(function* () {
      const memory = InMemoryTransport.unsafeMake({
        script: {
          "/x": [
            { body: "ab", stall: true, stallAfterBytes: 1 },
            { body: "late", headersDelayMs: 5000 }
          ]
        }
      })
      const response = yield* memory.transport.stream(Request.make("GET", `${base}/x`))
      const fiber = yield* Effect.fork(collectText(response.body))
      yield* TestClock.adjust("1 hour")
      expect(fiber.unsafePoll()).toBeNull()
      yield* Fiber.interrupt(fiber)

      const slow = yield* Effect.fork(
        Effect.either(memory.transport.execute(Request.withTimeout(Request.make("GET", `${base}/x`), "1 second")))
      )
      yield* TestClock.adjust("1 second")
      const timedOut = yield* Fiber.join(slow)
      expect(Either.isLeft(timedOut) && timedOut.left._tag).toBe("Timeout")
    })
  )

  it.effect("records the zstd-compressed body bytes with content-encoding", () =>
    Effect.gen(function* () {
      const memory = InMemoryTransport.unsafeMake({ defaults: { "/responses": { events: Fixture.textAnswer(["x"]) } } })
      yield* memory.transport.execute(Request.withCompression(postJson("/responses", { model: "m" }), "zstd"))
      const [recorded] = memory.requests
      expect(recorded?.headers["content-encoding"]).toBe("zstd")
      expect(recorded?.json).toBeUndefined()
      // zstd frame magic number 0xFD2FB528 (little endian)
      expect(Array.from(recorded?.body.subarray(0, 4) ?? [])).toEqual([0x28, 0xb5, 0x2f, 0xfd])
    })
  )
})

describe("InMemoryTransport with the ResponsesClient", () => {
  const layerFor = (memory: InMemoryTransport.InMemoryTransport) =>
    Layer.provide(
      Responses.layer,
      Layer.mergeAll(
        InMemoryTransport.layerFrom(memory),
        Auth.layerNone,
        Provider.layer(Provider.make({ baseUrl: base, retry: { ...Provider.defaultRetryConfig, maxAttempts: 0 } }))
      )
    )
  const body = { model: "m", input: [], stream: true }

  it.effect("the demo fixture, byte by byte, decodes to the same events as the offline fixture decoder", () =>
    Effect.gen(function* () {
      const memory = InMemoryTransport.unsafeMake({
        script: { "/responses": [{ ...DemoFixture.responses(), chunkSize: 1 }] }
      })
      const events = yield* Effect.flatMap(Responses.ResponsesClient, (client) =>
        Stream.runCollect(client.stream(body))
      ).pipe(Effect.provide(layerFor(memory)))
      const tags = Chunk.toReadonlyArray(events).map((e) => e._tag)
      expect(tags.slice(0, 2)).toEqual(["ServerModel", "RateLimits"])
      const offline = yield* Stream.runCollect(Fixture.toResponseEvents(DemoFixture.events))
      expect(Chunk.toReadonlyArray(events).slice(2)).toEqual(Chunk.toReadonlyArray(offline))
      const text = Chunk.toReadonlyArray(events)
        .flatMap((e) => (e._tag === "OutputTextDelta" ? [e.delta] : []))
        .join("")
      expect(text).toBe(DemoFixture.answer)
      expect(memory.requests[0]?.headers.accept).toBe("text/event-stream")
    })
  )

  it.effect("a drop mid-stream surfaces as a stream error from the client", () =>
    Effect.gen(function* () {
      const events = Fixture.textAnswer(["a", "b"])
      const memory = InMemoryTransport.unsafeMake({
        script: { "/responses": [{ events, dropAfterBytes: Fixture.toSse(events.slice(0, 2)).length }] }
      })
      const seen: Array<string> = []
      const result = yield* Effect.flatMap(Responses.ResponsesClient, (client) =>
        Effect.either(Stream.runForEach(client.stream(body), (e) => Effect.sync(() => seen.push(e._tag))))
      ).pipe(Effect.provide(layerFor(memory)))
      expect(seen).toEqual(["RateLimits", "Created", "OutputTextDelta"])
      expect(Either.isLeft(result) && result.left._tag).toBe("Stream")
    })
  )

  const textOf = (events: ReadonlyArray<ResponseEvent>) =>
    events.flatMap((event) => (event._tag === "OutputTextDelta" ? [event.delta] : [])).join("")

  it.effect("layer takes a bare script as well as { script, defaults }, and both answer the same", () =>
    Effect.gen(function* () {
      const script: Fixture.Script = { "/responses": [{ events: Fixture.textAnswer(["Hel", "lo"]) }] }
      const run = (transport: Layer.Layer<HttpTransport.HttpTransport>) =>
        Effect.gen(function* () {
          const client = yield* Responses.make
          return Chunk.toArray(yield* Stream.runCollect(client.stream({ model: "m", input: [] })))
        }).pipe(
          Effect.provide(
            Layer.mergeAll(transport, Auth.layerNone, Provider.layer(Provider.make({ baseUrl: "http://t.invalid/v1" })))
          )
        )
      expect(textOf(yield* run(InMemoryTransport.layer(script)))).toBe("Hello")
      expect(textOf(yield* run(InMemoryTransport.layer({ script })))).toBe("Hello")
      // Defaults only: the bare-script shorthand does not swallow the options form.
      const defaults = InMemoryTransport.unsafeMake({ defaults: { "/x": { body: "again" } } })
      for (let i = 0; i < 2; i++) {
        const r = yield* defaults.transport.execute(Request.make("GET", `${base}/x`))
        expect(decoder.decode(r.body)).toBe("again")
      }
    })
  )

  it("a route whose value is not an array of responses does not type-check", () => {
    // @ts-expect-error a route maps to an array of scripted responses
    const wrong = () => InMemoryTransport.layer({ "/responses": { events: Fixture.textAnswer(["Hi"]) } })
    expect(typeof wrong).toBe("function")
  })
})
