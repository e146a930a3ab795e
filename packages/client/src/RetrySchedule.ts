/**
 * The retry policy as an injected service: the `Schedule` that every retried request runs under with
 * `Effect.retry`. Its input is the failed attempt's `TransportError`; when it stops, the last error is
 * returned unchanged. Without a layer, the endpoint clients use their provider's retry configuration
 * through `RetryPolicy.toSchedule`; a layer replaces it with any `Schedule` (a different backoff, a
 * retry budget shared by all requests, a circuit breaker, no retries at all).
 *
 * @example
 * import * as RetrySchedule from "@codex/client/RetrySchedule"
 * import * as Schedule from "effect/Schedule"
 *
 * // at most two retries, 100 ms apart, whatever the error
 * const layer = RetrySchedule.layer(Schedule.intersect(Schedule.recurs(2), Schedule.spaced("100 millis")))
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as internal from "./internal/retry.js"
import * as RetryPolicy from "./RetryPolicy.js"
import type { TransportError } from "./TransportError.js"

/**
 * A retry schedule for requests: input is the error of the attempt that just failed.
 *
 * @since 0.1.0
 * @category models
 */
export type Service = Schedule.Schedule<unknown, TransportError>

/**
 * The retry schedule in use. A plain tag: when it is absent the caller picks its default (the
 * endpoint clients use the provider's retry configuration).
 *
 * @since 0.1.0
 * @category tags
 */
export class RetrySchedule extends Context.Tag("@codex/client/RetrySchedule")<RetrySchedule, Service>() {}

/**
 * Uses `schedule` for every retried request.
 *
 * @example
 * ```ts
 * import * as RetrySchedule from "@codex/client/RetrySchedule"
 * import { Schedule } from "effect"
 *
 * // Your own Schedule: 3 retries, 1 s apart. Provide it next to the client's layers.
 * export const RetryLive = RetrySchedule.layer(Schedule.spaced("1 second").pipe(Schedule.intersect(Schedule.recurs(3))))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (schedule: Schedule.Schedule<unknown, TransportError>): Layer.Layer<RetrySchedule> =>
  Layer.succeed(RetrySchedule, schedule)

/**
 * Uses `RetryPolicy.toSchedule(policy)` for every retried request.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerPolicy = (policy: RetryPolicy.RetryPolicy): Layer.Layer<RetrySchedule> =>
  layer(RetryPolicy.toSchedule(policy))

/**
 * Never retries: every request is tried once.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerNever: Layer.Layer<RetrySchedule> = layer(Schedule.stop)

/**
 * The schedule from context, or `orElse()` when no layer provides one.
 *
 * @since 0.1.0
 * @category accessors
 */
export const getOrElse = (orElse: () => Service): Effect.Effect<Service> =>
  Effect.map(Effect.serviceOption(RetrySchedule), Option.getOrElse(orElse))

/**
 * Runs `attempt(n)` for n = 0, 1, ... with `Effect.retry` under `schedule`: the attempt number is
 * what per-attempt telemetry reports, and each attempt is rebuilt by the caller (fresh request,
 * fresh auth). Returns the last error unchanged when the schedule stops.
 *
 * @since 0.1.0
 * @category combinators
 */
export const retry: <A, R, X, R2>(
  schedule: Schedule.Schedule<X, TransportError, R2>,
  attempt: (attempt: number) => Effect.Effect<A, TransportError, R>
) => Effect.Effect<A, TransportError, R | R2> = internal.retryAttempts
