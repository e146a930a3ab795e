/**
 * Per-attempt request telemetry (as the Codex CLI reports it): called once
 * per HTTP attempt with the attempt number, the status (from the response or from an `Http` error),
 * the error, and how long the attempt took. The default does nothing.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"

/**
 * What {@link Service.onRequest} receives for each HTTP attempt: the attempt number, the status or
 * error, and how long it took.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestEvent {
  /** 0 for the first try, n for retry n. */
  readonly attempt: number
  /** The response status, or the status of an `Http` error. */
  readonly status?: number | undefined
  /** Why the attempt failed (usually a `TransportError`; a defect is reported as-is). */
  readonly error?: unknown
  readonly duration: Duration.Duration
}

/**
 * Hook called for each HTTP attempt (including retries). Provide your own implementation to record
 * metrics; the default does nothing.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly onRequest: (event: RequestEvent) => Effect.Effect<void>
}

/**
 * The telemetry sink. A `Context.Reference`: without a layer it is a no-op.
 *
 * @since 0.1.0
 * @category tags
 */
export class RequestTelemetry extends Context.Reference<RequestTelemetry>()("@codex/client/RequestTelemetry", {
  defaultValue: (): Service => noop
}) {}

/**
 * Ignores every event.
 *
 * @since 0.1.0
 * @category constructors
 */
export const noop: Service = { onRequest: () => Effect.void }

/**
 * Builds the telemetry service from your hook.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (onRequest: (event: RequestEvent) => Effect.Effect<void>): Service => ({ onRequest })

/**
 * A layer providing your telemetry hook.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (onRequest: (event: RequestEvent) => Effect.Effect<void>): Layer.Layer<RequestTelemetry> =>
  Layer.succeed(RequestTelemetry, make(onRequest))

const statusOf = (u: unknown): number | undefined =>
  Predicate.hasProperty(u, "status") && typeof u.status === "number" ? u.status : undefined

/**
 * Times one attempt with the `Clock` and reports it to {@link RequestTelemetry}: the status comes
 * from a result with a numeric `status` or from a failure that has one (`TransportError.Http`).
 * An interrupted attempt is not reported (it has no outcome).
 *
 * @since 0.1.0
 * @category combinators
 */
export const track = <A, E, R>(attempt: number, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(Clock.currentTimeMillis, (start) =>
    Effect.onExit(effect, (exit) => {
      if (Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause)) return Effect.void
      return Effect.flatMap(Clock.currentTimeMillis, (end) =>
        Effect.flatMap(RequestTelemetry, (telemetry) => {
          const duration = Duration.millis(Math.max(0, end - start))
          if (Exit.isSuccess(exit)) {
            return telemetry.onRequest({ attempt, status: statusOf(exit.value), duration })
          }
          const error = Option.getOrElse(Cause.failureOption(exit.cause), () => Cause.squash(exit.cause))
          return telemetry.onRequest({ attempt, status: statusOf(error), error, duration })
        })
      )
    })
  )
