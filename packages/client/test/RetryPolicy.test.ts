import * as Headers from "@effect/platform/Headers"
import { describe, expect, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Random from "effect/Random"
import * as TestClock from "effect/TestClock"
import * as RetryPolicy from "../src/RetryPolicy.js"
import * as TransportError from "../src/TransportError.js"

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

const http = (status: number, headers: Record<string, string> = {}) =>
  new TransportError.Http({ status, url: "http://x.test/", headers: Headers.fromInput(headers), body: `s${status}` })

const policy = (overrides: Partial<RetryPolicy.RetryPolicy> = {}): RetryPolicy.RetryPolicy => ({
  ...RetryPolicy.defaultPolicy,
  ...overrides
})

/** An attempt function that fails with `errors[n]` (succeeds once the script runs out) and records when it ran. */
const scripted = (errors: ReadonlyArray<TransportError.TransportError>) => {
  const times: Array<number> = []
  const attempts: Array<number> = []
  const attempt = (n: number) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      times.push(now)
      attempts.push(n)
      const error = errors[times.length - 1]
      return error === undefined ? Effect.succeed(`ok after ${n}`) : Effect.fail(error)
    })
  return { times, attempts, attempt }
}

/** Runs `effect` in the background and advances the TestClock far enough for every retry. */
const runToEnd = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust(Duration.hours(1))
    return yield* Fiber.await(fiber)
  })

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") throw new Error(`expected a failure, got ${String(exit)}`)
  return exit.cause.error
}

const lowerBound = (baseMs: number, n: number) => Math.floor(baseMs * 2 ** (n - 1) * 0.9)
const upperBound = (baseMs: number, n: number) => Math.ceil(baseMs * 2 ** (n - 1) * 1.1) - 1

// ---------------------------------------------------------------------------------------------
// predicates
// ---------------------------------------------------------------------------------------------

describe("RetryPolicy.isRetryable", () => {
  it("has the reference defaults", () => {
    expect(RetryPolicy.defaultPolicy.maxAttempts).toBe(4)
    expect(Duration.toMillis(Duration.decode(RetryPolicy.defaultPolicy.baseDelay))).toBe(200)
    expect(RetryPolicy.defaultPolicy.retryOn).toEqual({ retry429: false, retry5xx: true, retryTransport: true })
  })

  it("classifies errors by the enabled classes", () => {
    const p = RetryPolicy.defaultPolicy
    expect(RetryPolicy.isRetryable(p, http(500))).toBe(true)
    expect(RetryPolicy.isRetryable(p, http(599))).toBe(true)
    expect(RetryPolicy.isRetryable(p, http(600))).toBe(false)
    expect(RetryPolicy.isRetryable(p, http(499))).toBe(false)
    expect(RetryPolicy.isRetryable(p, http(429))).toBe(false)
    expect(RetryPolicy.isRetryable(p, http(408))).toBe(false)
    expect(RetryPolicy.isRetryable(p, new TransportError.Timeout())).toBe(true)
    expect(RetryPolicy.isRetryable(p, new TransportError.Network({ reason: "reset" }))).toBe(true)
    expect(RetryPolicy.isRetryable(p, new TransportError.Build({ reason: "bad" }))).toBe(false)
    expect(RetryPolicy.isRetryable(p, new TransportError.RetryLimit())).toBe(false)

    const all = policy({ retryOn: { retry429: true, retry5xx: false, retryTransport: false } })
    expect(RetryPolicy.isRetryable(all, http(429))).toBe(true)
    expect(RetryPolicy.isRetryable(all, http(503))).toBe(false)
    expect(RetryPolicy.isRetryable(all, new TransportError.Timeout())).toBe(false)
    expect(RetryPolicy.isRetryable(all, new TransportError.Network({ reason: "reset" }))).toBe(false)
  })
})

// ---------------------------------------------------------------------------------------------
// run
// ---------------------------------------------------------------------------------------------

describe("RetryPolicy.run", () => {
  it.effect("tries maxAttempts + 1 times and returns the last error unchanged", () =>
    Effect.gen(function* () {
      const errors = [http(500), http(502), http(503), http(504)]
      const s = scripted(errors)
      const exit = yield* runToEnd(RetryPolicy.run(policy({ maxAttempts: 3 }), s.attempt))
      expect(s.attempts).toEqual([0, 1, 2, 3])
      expect(failureOf(exit)).toBe(errors[3])
    })
  )

  it.effect("maxAttempts 0 means a single try", () =>
    Effect.gen(function* () {
      const s = scripted([http(500)])
      const exit = yield* runToEnd(RetryPolicy.run(policy({ maxAttempts: 0 }), s.attempt))
      expect(s.attempts).toEqual([0])
      expect(failureOf(exit)).toBeInstanceOf(TransportError.Http)
    })
  )

  it.effect("stops at the first success", () =>
    Effect.gen(function* () {
      const s = scripted([new TransportError.Network({ reason: "reset" }), new TransportError.Timeout()])
      const exit = yield* runToEnd(RetryPolicy.run(RetryPolicy.defaultPolicy, s.attempt))
      expect(exit).toEqual(Exit.succeed("ok after 2"))
      expect(s.attempts).toEqual([0, 1, 2])
    })
  )

  it.effect("waits within base × 2^(n−1) × [0.9, 1.1) before every retry", () =>
    Effect.gen(function* () {
      const base = 200
      const max = 4
      const s = scripted(Array.from({ length: max + 1 }, () => http(503)))
      const fiber = yield* Effect.fork(RetryPolicy.run(policy({ maxAttempts: max }), s.attempt))
      yield* TestClock.adjust(0)
      expect(s.times).toEqual([0])
      for (let n = 1; n <= max; n++) {
        const previous = s.times[n - 1]!
        // not before the lower bound ...
        yield* TestClock.setTime(previous + lowerBound(base, n) - 1)
        expect(s.times).toHaveLength(n)
        // ... and by the upper bound at the latest
        yield* TestClock.setTime(previous + upperBound(base, n))
        expect(s.times).toHaveLength(n + 1)
        const delay = s.times[n]! - previous
        expect(delay).toBeGreaterThanOrEqual(lowerBound(base, n))
        expect(delay).toBeLessThanOrEqual(upperBound(base, n))
        expect(Number.isInteger(delay)).toBe(true)
      }
      expect(failureOf(yield* Fiber.await(fiber))._tag).toBe("Http")
    })
  )

  it.effect("draws the jitter from the Random service (deterministic under a fixed Random)", () =>
    Effect.gen(function* () {
      const delays = (r: number) =>
        Effect.gen(function* () {
          const start = yield* Clock.currentTimeMillis
          const s = scripted(Array.from({ length: 5 }, () => http(500)))
          yield* runToEnd(
            RetryPolicy.run(RetryPolicy.defaultPolicy, s.attempt).pipe(Effect.withRandom(Random.fixed([r])))
          )
          return s.times.map((t, i) => t - (i === 0 ? start : s.times[i - 1]!)).slice(1)
        })
      expect(yield* delays(0)).toEqual([180, 360, 720, 1440])
      expect(yield* delays(0.5)).toEqual([200, 400, 800, 1600])
      expect(yield* delays(0.999999)).toEqual([219, 439, 879, 1759])
      const backoff = yield* RetryPolicy.backoff(Duration.millis(200), 3).pipe(Effect.withRandom(Random.fixed([0.25])))
      expect(Duration.toMillis(backoff)).toBe(760)
      expect(Duration.toMillis(yield* RetryPolicy.backoff(Duration.millis(200), 0))).toBe(200)
    })
  )

  it.effect("does not retry 429 by default, retries it when enabled", () =>
    Effect.gen(function* () {
      const off = scripted([http(429), http(429)])
      const offExit = yield* runToEnd(RetryPolicy.run(RetryPolicy.defaultPolicy, off.attempt))
      expect(off.attempts).toEqual([0])
      expect((failureOf(offExit) as TransportError.Http).status).toBe(429)

      const on = scripted([http(429), http(429)])
      const onPolicy = policy({ retryOn: { ...RetryPolicy.defaultPolicy.retryOn, retry429: true } })
      const onExit = yield* runToEnd(RetryPolicy.run(onPolicy, on.attempt))
      expect(on.attempts).toEqual([0, 1, 2])
      expect(onExit).toEqual(Exit.succeed("ok after 2"))
    })
  )

  it.effect("never retries Build or RetryLimit, nor transport errors when disabled", () =>
    Effect.gen(function* () {
      for (const error of [new TransportError.Build({ reason: "no" }), new TransportError.RetryLimit(), http(404)]) {
        const s = scripted([error, error])
        const exit = yield* runToEnd(RetryPolicy.run(RetryPolicy.defaultPolicy, s.attempt))
        expect(s.attempts).toEqual([0])
        expect(failureOf(exit)).toBe(error)
      }
      const noTransport = policy({ retryOn: { retry429: false, retry5xx: true, retryTransport: false } })
      const s = scripted([new TransportError.Timeout()])
      yield* runToEnd(RetryPolicy.run(noTransport, s.attempt))
      expect(s.attempts).toEqual([0])
    })
  )
})

// ---------------------------------------------------------------------------------------------
// retry-after (improvement 3)
// ---------------------------------------------------------------------------------------------

describe("RetryPolicy retry-after", () => {
  const firstRetryDelay = (
    error: TransportError.TransportError,
    p: RetryPolicy.RetryPolicy = RetryPolicy.defaultPolicy
  ) =>
    Effect.gen(function* () {
      const s = scripted([error])
      const start = yield* Clock.currentTimeMillis
      const fiber = yield* Effect.fork(RetryPolicy.run(p, s.attempt))
      yield* TestClock.adjust(0)
      return { s, start, fiber }
    })

  it.effect("honours retry-after-ms exactly", () =>
    Effect.gen(function* () {
      const { s, start, fiber } = yield* firstRetryDelay(http(503, { "retry-after-ms": "1500.5" }))
      yield* TestClock.setTime(start + 1500)
      expect(s.times).toHaveLength(1)
      yield* TestClock.setTime(start + 1501)
      expect(s.times).toHaveLength(2)
      expect(yield* Fiber.join(fiber)).toBe("ok after 1")
    })
  )

  it.effect("honours retry-after seconds (integer and decimal)", () =>
    Effect.gen(function* () {
      for (const [value, ms] of [
        ["3", 3000],
        ["2.5", 2500]
      ] as const) {
        const { s, start, fiber } = yield* firstRetryDelay(http(500, { "Retry-After": value }))
        yield* TestClock.setTime(start + ms - 1)
        expect(s.times).toHaveLength(1)
        yield* TestClock.setTime(start + ms)
        expect(s.times).toHaveLength(2)
        yield* Fiber.join(fiber)
      }
    })
  )

  it.effect("honours retry-after as an HTTP date relative to the Clock", () =>
    Effect.gen(function* () {
      const now = Date.UTC(2026, 0, 2, 3, 4, 5)
      yield* TestClock.setTime(now)
      const date = new Date(now + 7000).toUTCString()
      const { s, fiber } = yield* firstRetryDelay(http(502, { "retry-after": date }))
      yield* TestClock.setTime(now + 6999)
      expect(s.times).toHaveLength(1)
      yield* TestClock.setTime(now + 7000)
      expect(s.times).toHaveLength(2)
      yield* Fiber.join(fiber)
    })
  )

  it.effect("caps the server-requested delay at maxRetryAfter (default 60 s)", () =>
    Effect.gen(function* () {
      const capped = yield* firstRetryDelay(http(503, { "retry-after": "3600" }))
      yield* TestClock.setTime(capped.start + 59_999)
      expect(capped.s.times).toHaveLength(1)
      yield* TestClock.setTime(capped.start + 60_000)
      expect(capped.s.times).toHaveLength(2)
      yield* Fiber.join(capped.fiber)

      const custom = yield* firstRetryDelay(
        http(503, { "retry-after-ms": "90000" }),
        policy({ maxRetryAfter: Duration.seconds(5) })
      )
      yield* TestClock.setTime(custom.start + 4_999)
      expect(custom.s.times).toHaveLength(1)
      yield* TestClock.setTime(custom.start + 5_000)
      expect(custom.s.times).toHaveLength(2)
      yield* Fiber.join(custom.fiber)
    })
  )

  it.effect("ignores negative, invalid and past values (reference backoff applies)", () =>
    Effect.gen(function* () {
      for (const headers of [
        { "retry-after-ms": "-5" },
        { "retry-after": "-1" },
        { "retry-after": "soon" },
        { "retry-after": "Thu, 01 Jan 1970 00:00:00 GMT" }
      ]) {
        const { s, start, fiber } = yield* firstRetryDelay(http(503, { ...headers }))
        yield* TestClock.setTime(start + lowerBound(200, 1) - 1)
        expect(s.times).toHaveLength(1)
        yield* TestClock.setTime(start + upperBound(200, 1))
        expect(s.times).toHaveLength(2)
        yield* Fiber.join(fiber)
      }
    })
  )

  it.effect("does not retry a non-retryable status even when it carries retry-after", () =>
    Effect.gen(function* () {
      const s = scripted([http(429, { "retry-after": "1" })])
      yield* runToEnd(RetryPolicy.run(RetryPolicy.defaultPolicy, s.attempt))
      expect(s.attempts).toEqual([0])
    })
  )
})

// ---------------------------------------------------------------------------------------------
// toSchedule
// ---------------------------------------------------------------------------------------------

describe("RetryPolicy.toSchedule", () => {
  it.effect("drives Effect.retry with the same budget, classes and delays", () =>
    Effect.gen(function* () {
      const errors = [http(500), new TransportError.Network({ reason: "x" }), http(503)]
      const s = scripted(errors)
      let n = 0
      const exit = yield* runToEnd(
        Effect.retry(
          Effect.suspend(() => s.attempt(n++)),
          RetryPolicy.toSchedule(policy({ maxAttempts: 2 }))
        ).pipe(Effect.withRandom(Random.fixed([0.5])))
      )
      expect(s.attempts).toEqual([0, 1, 2])
      expect(failureOf(exit)).toBe(errors[2])
      expect([s.times[1]! - s.times[0]!, s.times[2]! - s.times[1]!]).toEqual([200, 400])

      const build = scripted([new TransportError.Build({ reason: "no" })])
      yield* runToEnd(Effect.retry(build.attempt(0), RetryPolicy.toSchedule(RetryPolicy.defaultPolicy)))
      expect(build.attempts).toEqual([0])
    })
  )

  it.effect("uses retry-after when the schedule retries", () =>
    Effect.gen(function* () {
      const s = scripted([http(503, { "retry-after-ms": "1234" })])
      const exit = yield* runToEnd(Effect.retry(s.attempt(0), RetryPolicy.toSchedule(RetryPolicy.defaultPolicy)))
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(s.times[1]! - s.times[0]!).toBe(1234)
    })
  )
})
