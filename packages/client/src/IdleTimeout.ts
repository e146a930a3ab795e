/**
 * Idle timeout for streams of decoded events: the stream fails when the next element takes longer
 * than `duration` to arrive (counted from the start, then from each pull for the next element). Put it
 * AFTER SSE decoding: keep-alive comments and events without `data` never become elements, so they do
 * not reset the timer (they would if the timeout watched bytes).
 *
 * `Stream.timeoutFail` almost has these semantics, but it times each pull of a *chunk*, so an empty
 * chunk (e.g. from `Stream.filter` dropping every element of a chunk) resets it. This combinator waits
 * for a non-empty chunk within one timer.
 *
 * The {@link IdleTimeout} service is the idle policy streaming clients apply: without a layer they use
 * their own default (the endpoint clients: the provider's stream idle timeout); `layer(duration)`
 * replaces it for everything built in its scope.
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"

/**
 * The idle policy: how long a stream may go without a decoded event before it fails. A plain tag:
 * when it is absent the caller picks its default.
 *
 * @since 0.1.0
 * @category tags
 */
export class IdleTimeout extends Context.Tag("@codex/client/IdleTimeout")<IdleTimeout, Duration.Duration>() {}

/**
 * Streams fail after `duration` without an event.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (duration: Duration.DurationInput): Layer.Layer<IdleTimeout> =>
  Layer.succeed(IdleTimeout, Duration.decode(duration))

/**
 * The idle timeout from context, or `orElse` when no layer provides one.
 *
 * @since 0.1.0
 * @category accessors
 */
export const getOrElse = (orElse: Duration.DurationInput): Effect.Effect<Duration.Duration> =>
  Effect.map(
    Effect.serviceOption(IdleTimeout),
    Option.getOrElse(() => Duration.decode(orElse))
  )

/**
 * Fails the stream with `onTimeout()` when no element arrives within `duration` of the previous one
 * (or of the start). On expiry the pending upstream pull is interrupted and the upstream released.
 *
 * @since 0.1.0
 * @category combinators
 */
export const idleTimeout: {
  <E2>(
    duration: Duration.DurationInput,
    onTimeout: () => E2
  ): <A, E, R>(self: Stream.Stream<A, E, R>) => Stream.Stream<A, E | E2, R>
  <A, E, R, E2>(
    self: Stream.Stream<A, E, R>,
    duration: Duration.DurationInput,
    onTimeout: () => E2
  ): Stream.Stream<A, E | E2, R>
} = dual(
  3,
  <A, E, R, E2>(
    self: Stream.Stream<A, E, R>,
    duration: Duration.DurationInput,
    onTimeout: () => E2
  ): Stream.Stream<A, E | E2, R> =>
    Stream.fromPull(
      Effect.map(Stream.toPull(self), (pull) => {
        const pullNonEmpty: Effect.Effect<Chunk.Chunk<A>, Option.Option<E>, R> = Effect.flatMap(pull, (chunk) =>
          Chunk.isEmpty(chunk) ? pullNonEmpty : Effect.succeed(chunk)
        )
        return Effect.timeoutFail(pullNonEmpty, {
          duration,
          onTimeout: (): Option.Option<E | E2> => Option.some(onTimeout())
        })
      })
    )
)
