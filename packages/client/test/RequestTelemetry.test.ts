import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import * as RequestTelemetry from "../src/RequestTelemetry.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import * as TransportError from "../src/TransportError.js"

const recorder = () => {
  const events: Array<RequestTelemetry.RequestEvent> = []
  const layer = RequestTelemetry.layer((event) => Effect.sync(() => events.push(event)))
  return { events, layer }
}

describe("RequestTelemetry", () => {
  it.effect("the default is a no-op", () =>
    Effect.gen(function* () {
      const telemetry = yield* RequestTelemetry.RequestTelemetry
      expect(telemetry).toBe(RequestTelemetry.noop)
      expect(yield* RequestTelemetry.track(0, Effect.succeed({ status: 200 }))).toEqual({ status: 200 })
    })
  )

  it.effect("reports status and Clock duration of a successful attempt", () =>
    Effect.gen(function* () {
      const { events, layer } = recorder()
      const fiber = yield* RequestTelemetry.track(2, Effect.as(Effect.sleep("150 millis"), { status: 201 })).pipe(
        Effect.provide(layer),
        Effect.fork
      )
      yield* TestClock.adjust("150 millis")
      yield* Fiber.join(fiber)
      expect(events).toHaveLength(1)
      expect(events[0]!.attempt).toBe(2)
      expect(events[0]!.status).toBe(201)
      expect(events[0]!.error).toBeUndefined()
      expect(Duration.toMillis(events[0]!.duration)).toBe(150)
    })
  )

  it.effect("reports the status of an Http error and the error itself", () =>
    Effect.gen(function* () {
      const { events, layer } = recorder()
      const error = new TransportError.Http({ status: 503, body: "busy" })
      const exit = yield* RequestTelemetry.track(0, Effect.fail(error)).pipe(Effect.provide(layer), Effect.exit)
      expect(exit._tag).toBe("Failure")
      expect(events).toEqual([{ attempt: 0, status: 503, error, duration: Duration.zero }])
    })
  )

  it.effect("reports transport errors without a status; results without status have none", () =>
    Effect.gen(function* () {
      const { events, layer } = recorder()
      yield* RequestTelemetry.track(1, Effect.fail(new TransportError.Timeout())).pipe(
        Effect.provide(layer),
        Effect.ignore
      )
      yield* RequestTelemetry.track(2, Effect.succeed("plain")).pipe(Effect.provide(layer))
      expect(events.map((e) => [e.attempt, e.status, e.error?.constructor])).toEqual([
        [1, undefined, TransportError.Timeout],
        [2, undefined, undefined]
      ])
    })
  )

  it.effect("is called once per attempt under RetryPolicy.run", () =>
    Effect.gen(function* () {
      const { events, layer } = recorder()
      const fiber = yield* RetryPolicy.run(RetryPolicy.defaultPolicy, (n) =>
        RequestTelemetry.track(
          n,
          n < 2 ? Effect.fail(new TransportError.Http({ status: 500 + n })) : Effect.succeed({ status: 200 })
        )
      ).pipe(Effect.provide(layer), Effect.fork)
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(fiber)
      expect(events.map((e) => [e.attempt, e.status])).toEqual([
        [0, 500],
        [1, 501],
        [2, 200]
      ])
    })
  )

  it.effect("does not report an interrupted attempt", () =>
    Effect.gen(function* () {
      const { events, layer } = recorder()
      const fiber = yield* RequestTelemetry.track(0, Effect.never).pipe(Effect.provide(layer), Effect.fork)
      yield* Fiber.interrupt(fiber)
      expect(events).toEqual([])
    })
  )
})
