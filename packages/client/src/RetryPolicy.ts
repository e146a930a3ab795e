/**
 * Retry policy of the reference crate as an Effect `Schedule`: up to `maxAttempts + 1` tries, the
 * delay before retry n is `baseDelay × 2^(n−1) × U[0.9, 1.1)` (whole ms), only for the enabled error
 * classes. Improvement: a retried status carrying `retry-after-ms` / `retry-after` uses that delay,
 * capped by `maxRetryAfter`.
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Schedule from "effect/Schedule"
import type { TransportError } from "./TransportError.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface RetryOn {
  /** Retry HTTP 429. Default in the reference: false. */
  readonly retry429: boolean
  /** Retry HTTP 500–599. Default: true. */
  readonly retry5xx: boolean
  /** Retry `Timeout` and `Network` errors. Default: true. */
  readonly retryTransport: boolean
}

/**
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
export declare const defaultPolicy: RetryPolicy

/**
 * Whether `error` is retried by `policy` (ignoring the attempt count).
 *
 * @since 0.1.0
 * @category predicates
 */
export declare const isRetryable: (policy: RetryPolicy, error: TransportError) => boolean

/**
 * The schedule: input is the failed attempt's error, it recurs while the error is retryable and the
 * attempt budget is not spent, with the backoff (or server-requested) delay.
 *
 * @since 0.1.0
 * @category schedules
 */
export declare const toSchedule: (policy: RetryPolicy) => Schedule.Schedule<number, TransportError>

/**
 * Runs `attempt(n)` for n = 0, 1, ... under the policy (the request and its auth are rebuilt by the
 * caller on every attempt). Returns the last error unchanged.
 *
 * @since 0.1.0
 * @category combinators
 */
export declare const run: <A, R>(
  policy: RetryPolicy,
  attempt: (attempt: number) => Effect.Effect<A, TransportError, R>
) => Effect.Effect<A, TransportError, R>
