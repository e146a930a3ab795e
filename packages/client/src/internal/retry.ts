/**
 * Retry decisions behind `RetryPolicy.toSchedule`, and the attempt-numbering retry driver shared by
 * `RetryPolicy.run` and `RetrySchedule.retry`.
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import type * as Schedule from "effect/Schedule"
import type { RetryPolicy } from "../RetryPolicy.js"
import type { TransportError } from "../TransportError.js"

/** @internal */
export const defaultMaxRetryAfter: Duration.Duration = Duration.seconds(60)

/** @internal */
export const isRetryable = (policy: RetryPolicy, error: TransportError): boolean => {
  switch (error._tag) {
    case "Http":
      return (
        (policy.retryOn.retry429 && error.status === 429) ||
        (policy.retryOn.retry5xx && error.status >= 500 && error.status <= 599)
      )
    case "Timeout":
    case "Network":
      return policy.retryOn.retryTransport
    case "Build":
    case "RetryLimit":
      return false
  }
}

/**
 * Reference backoff for retry `n` (n >= 1): `base_ms × 2^(n−1) × U[0.9, 1.1)`, truncated to whole
 * milliseconds. The jitter comes from Effect's `Random` so seeded / test runs are deterministic.
 * @internal
 */
export const backoffMillis = (baseDelay: Duration.DurationInput, n: number): Effect.Effect<number> => {
  const base = Duration.toMillis(Duration.decode(baseDelay))
  if (n <= 0) return Effect.succeed(Math.floor(base))
  return Effect.map(Random.next, (r) => Math.floor(base * 2 ** (n - 1) * (0.9 + 0.2 * r)))
}

const decimalSeconds = /^\s*\d+(?:\.\d+)?\s*$/
// IMF-fixdate, RFC 850 and asctime dates all start with a day name; `Date.parse` alone accepts
// far too much (it reads "-1" as the year 2001).
const httpDate = /^\s*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s/i
const decimalMillis = /^\s*\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\s*$/

/**
 * The delay a server asked for: `retry-after-ms` (milliseconds, may be fractional) first, then
 * `retry-after` (seconds, or an HTTP date relative to `nowMillis`). Negative, past or unparsable
 * values give `None` (the caller falls back to the backoff).
 * @internal
 */
export const serverRequestedDelay = (error: TransportError, nowMillis: number): Option.Option<number> => {
  if (error._tag !== "Http") return Option.none()
  const ms = error.header("retry-after-ms")
  if (ms !== undefined && decimalMillis.test(ms)) {
    const value = Number(ms)
    if (Number.isFinite(value) && value >= 0) return Option.some(value)
  }
  const after = error.header("retry-after")
  if (after !== undefined) {
    if (decimalSeconds.test(after)) {
      const value = Number(after) * 1000
      if (Number.isFinite(value)) return Option.some(value)
    } else if (httpDate.test(after)) {
      const date = Date.parse(after)
      if (Number.isFinite(date) && date - nowMillis >= 0) return Option.some(date - nowMillis)
    }
  }
  return Option.none()
}

/**
 * The delay before retry `n` (n >= 1) after `error`, or `None` when the error is not retried or the
 * budget (`maxAttempts` retries) is spent.
 * @internal
 */
export const nextDelay = (
  policy: RetryPolicy,
  n: number,
  error: TransportError,
  nowMillis: number
): Effect.Effect<Option.Option<number>> => {
  if (n > policy.maxAttempts || !isRetryable(policy, error)) return Effect.succeed(Option.none())
  const requested = serverRequestedDelay(error, nowMillis)
  if (Option.isSome(requested)) {
    const cap = Duration.toMillis(Duration.decode(policy.maxRetryAfter ?? defaultMaxRetryAfter))
    return Effect.succeed(Option.some(Math.min(requested.value, cap)))
  }
  return Effect.map(backoffMillis(policy.baseDelay, n), Option.some)
}

/**
 * `Effect.retry` of `attempt(n)` under `schedule`, numbering the attempts 0, 1, ... (fresh numbering
 * for every run of the returned effect).
 * @internal
 */
export const retryAttempts = <A, E, R, X, R2>(
  schedule: Schedule.Schedule<X, E, R2>,
  attempt: (attempt: number) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R | R2> =>
  Effect.suspend(() => {
    let n = 0
    return Effect.retry(
      Effect.suspend(() => attempt(n++)),
      schedule
    )
  })
