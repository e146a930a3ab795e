import * as Headers from "@effect/platform/Headers"
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/TestClock"
import * as IdleTimeout from "../src/IdleTimeout.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import * as RetrySchedule from "../src/RetrySchedule.js"
import * as TransportError from "../src/TransportError.js"

const http = (status: number) =>
  new TransportError.Http({ status, url: "http://x.test/", headers: Headers.empty, body: "" })

/** Fails with `errors[n]` on attempt n, succeeds after; records the attempt numbers and times. */
const scripted = (errors: ReadonlyArray<TransportError.TransportError>) => {
  const attempts: Array<number> = []
  const times: Array<number> = []
  const attempt = (n: number) =>
    Effect.flatMap(TestClock.currentTimeMillis, (now) => {
      attempts.push(n)
      times.push(now)
      const error = errors[attempts.length - 1]
      return error === undefined ? Effect.succeed(n) : Effect.fail(error)
    })
  return { attempts, times, attempt }
}

describe("RetrySchedule", () => {
  it.effect("retry numbers the attempts from 0 on every run and returns the last error", () =>
    Effect.gen(function* () {
      const s = scripted([http(500), http(501), http(502), http(503), http(504), http(505)])
      const run = RetrySchedule.retry(Schedule.recurs(2), s.attempt)
      const first = yield* Effect.exit(run)
      const second = yield* Effect.exit(run)
      expect(s.attempts).toEqual([0, 1, 2, 0, 1, 2])
      expect(first).toEqual(Exit.fail(http(502)))
      expect(second).toEqual(Exit.fail(http(505)))
    })
  )

  it.effect("layerPolicy gives the same delays as RetryPolicy.run", () =>
    Effect.gen(function* () {
      const policy = { ...RetryPolicy.defaultPolicy, maxAttempts: 3 }
      const viaLayer = scripted([http(500), http(500), http(500), http(500)])
      const viaRun = scripted([http(500), http(500), http(500), http(500)])
      const layered = Effect.flatMap(
        RetrySchedule.getOrElse(() => Schedule.stop),
        (schedule) => RetrySchedule.retry(schedule, viaLayer.attempt)
      ).pipe(Effect.provide(RetrySchedule.layerPolicy(policy)), Effect.withRandom(Random.fixed([0.25])))
      const direct = RetryPolicy.run(policy, viaRun.attempt).pipe(Effect.withRandom(Random.fixed([0.25])))
      for (const effect of [layered, direct]) {
        const fiber = yield* Effect.fork(effect)
        yield* TestClock.adjust(Duration.minutes(1))
        yield* Fiber.await(fiber)
      }
      const gaps = (times: ReadonlyArray<number>) => times.slice(1).map((t, i) => t - times[i]!)
      expect(viaLayer.attempts).toEqual([0, 1, 2, 3])
      expect(gaps(viaLayer.times)).toEqual([190, 380, 760])
      expect(gaps(viaRun.times)).toEqual(gaps(viaLayer.times))
    })
  )

  it.effect("getOrElse falls back without a layer; layerNever never retries", () =>
    Effect.gen(function* () {
      const fallback = Schedule.recurs(1)
      expect(yield* RetrySchedule.getOrElse(() => fallback)).toBe(fallback)
      const s = scripted([http(503), http(503)])
      const exit = yield* Effect.flatMap(
        RetrySchedule.getOrElse(() => fallback),
        (schedule) => Effect.exit(RetrySchedule.retry(schedule, s.attempt))
      ).pipe(Effect.provide(RetrySchedule.layerNever))
      expect(exit).toEqual(Exit.fail(http(503)))
      expect(s.attempts).toEqual([0])
    })
  )
})

describe("IdleTimeout service", () => {
  it.effect("getOrElse: the layer's duration, else the fallback", () =>
    Effect.gen(function* () {
      expect(Duration.toMillis(yield* IdleTimeout.getOrElse("5 seconds"))).toBe(5000)
      const fromLayer = yield* IdleTimeout.getOrElse("5 seconds").pipe(Effect.provide(IdleTimeout.layer("250 millis")))
      expect(Duration.toMillis(fromLayer)).toBe(250)
    })
  )
})
