/**
 * The Codex CLI's retry policy as an Effect `Schedule`: up to `maxAttempts + 1` tries, the
 * delay before retry n is `baseDelay × 2^(n−1) × U[0.9, 1.1)` (whole ms), only for the enabled error
 * classes. Improvement: a retried status carrying `retry-after-ms` / `retry-after` uses that delay,
 * capped by `maxRetryAfter`. Jitter is drawn from Effect's `Random` and time from its `Clock`, so
 * `TestClock` / `Effect.withRandom` make retries deterministic in tests.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as ScheduleDecision from "effect/ScheduleDecision"
import * as Interval from "effect/ScheduleInterval"
import * as internal from "./internal/retry.js"
import type { TransportError } from "./TransportError.js"

/**
 * Which failures are retried: HTTP 429, HTTP 5xx, and transport errors (timeouts, network
 * failures).
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryOn {
  /** Retry HTTP 429. Default: false. */
  readonly retry429: boolean
  /** Retry HTTP 500–599. Default: true. */
  readonly retry5xx: boolean
  /** Retry `Timeout` and `Network` errors. Default: true. */
  readonly retryTransport: boolean
}

/**
 * How a request is retried: the number of retries, the base delay of the exponential backoff with
 * jitter, and which failures are retried.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryPolicy {
  /** Maximum number of retries (so up to `maxAttempts + 1` tries). */
  readonly maxAttempts: number
  readonly baseDelay: Duration.DurationInput
  readonly retryOn: RetryOn
  /** Upper bound for a server-requested `retry-after` delay. Default 60 seconds. */
  readonly maxRetryAfter?: Duration.DurationInput | undefined
}

/**
 * `{maxAttempts: 4, baseDelay: 200 ms, retry429: false, retry5xx: true, retryTransport: true}`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultPolicy: RetryPolicy = {
  maxAttempts: 4,
  baseDelay: Duration.millis(200),
  retryOn: { retry429: false, retry5xx: true, retryTransport: true },
  maxRetryAfter: Duration.seconds(60)
}

/**
 * Whether `error` is retried by `policy` (ignoring the attempt count).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isRetryable: (policy: RetryPolicy, error: TransportError) => boolean = internal.isRetryable

/**
 * The wait a server asked for on an HTTP error, in milliseconds: `retry-after-ms` first, then
 * `retry-after` (seconds, or an HTTP date relative to `nowMillis`). `None` when it asked for none,
 * or the value is negative, past or unparsable. This is the delay a retried status waits for
 * (capped by `maxRetryAfter`); callers that do not retry can show it to a person.
 *
 * @since 0.1.0
 * @category retry-after
 */
export const serverRequestedDelay: (error: TransportError, nowMillis: number) => Option.Option<number> =
  internal.serverRequestedDelay

/**
 * The schedule: input is the failed attempt's error, it recurs while the error is retryable and the
 * attempt budget is not spent, with the backoff (or server-requested) delay.
 *
 * @example
 * ```ts
 * import * as RetryPolicy from "@codex/client/RetryPolicy"
 * import * as RetrySchedule from "@codex/client/RetrySchedule"
 * import { Duration } from "effect"
 *
 * // Retry 429 and 5xx up to 5 times, starting at 500 ms, doubling with jitter.
 * const policy: RetryPolicy.RetryPolicy = {
 *   maxAttempts: 5,
 *   baseDelay: Duration.millis(500),
 *   retryOn: { retry429: true, retry5xx: true, retryTransport: true }
 * }
 *
 * export const schedule = RetryPolicy.toSchedule(policy)
 * // Use it for every request of the clients:
 * export const RetryLive = RetrySchedule.layerPolicy(policy)
 * ```
 *
 * @since 0.1.0
 * @category schedules
 */
export const toSchedule = (policy: RetryPolicy): Schedule.Schedule<number, TransportError> =>
  Schedule.makeWithState(0, (now, error: TransportError, retries) =>
    Effect.map(internal.nextDelay(policy, retries + 1, error, now), (delay) =>
      Option.isSome(delay)
        ? ([retries + 1, retries + 1, ScheduleDecision.continueWith(Interval.after(now + delay.value))] as const)
        : ([retries, retries, ScheduleDecision.done] as const)
    )
  )

/**
 * The reference backoff before retry `n` (n >= 1): `baseDelay × 2^(n−1) × U[0.9, 1.1)`, truncated
 * to whole milliseconds, jitter drawn from Effect's `Random` service. `n = 0` gives `baseDelay`.
 *
 * @since 0.1.0
 * @category schedules
 */
export const backoff = (baseDelay: Duration.DurationInput, n: number): Effect.Effect<Duration.Duration> =>
  Effect.map(internal.backoffMillis(baseDelay, n), Duration.millis)

/**
 * Runs `attempt(n)` for n = 0, 1, ... with `Effect.retry` under {@link toSchedule}`(policy)` (the
 * request and its auth are rebuilt by the caller on every attempt). Returns the last error unchanged.
 *
 * @since 0.1.0
 * @category combinators
 */
export const run = <A, R>(
  policy: RetryPolicy,
  attempt: (attempt: number) => Effect.Effect<A, TransportError, R>
): Effect.Effect<A, TransportError, R> => internal.retryAttempts(toSchedule(policy), attempt)
