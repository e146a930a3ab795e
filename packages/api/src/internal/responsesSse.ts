/**
 * The Responses SSE body pipeline shared by the HTTP client and the fixture helper:
 * bytes → `Sse.decode` → idle timeout on dispatched events → per-chunk event processing →
 * termination rules (spec 3.7 with our improvements: a terminal error fails the stream at once,
 * `Completed` ends it at once, EOF without `response.completed` is an error).
 * @internal
 */
import * as Sse from "@codex/client/Sse"
import * as Cause from "effect/Cause"
import * as Channel from "effect/Channel"
import * as Chunk from "effect/Chunk"
import type * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as ApiError from "../ApiError.js"
import type { ResponseEvent } from "../ResponseEvent.js"
import * as SseTelemetry from "../SseTelemetry.js"
import { makeProcessor, Outcome, type Processor } from "./responsesEvents.js"

/** @internal */
export interface BodyOptions {
  /** Maximum wait for the next dispatched SSE event. */
  readonly idleTimeout: Duration.DurationInput
  /** Bound of one pending SSE event (see `Sse.DecodeOptions.maxEventSize`). */
  readonly maxEventSize?: number | undefined
}

/** @internal */
export const idleTimeoutMessage = "idle timeout waiting for SSE"

/** @internal */
export const closedBeforeCompletedMessage = "stream closed before response.completed"

const errorText = (error: unknown): string =>
  typeof error === "object" && error !== null && "message" in error && typeof error.message === "string"
    ? error.message
    : String(error)

/**
 * Decodes a Responses SSE body into events.
 *
 * The idle timeout is a watchdog fiber rather than a timeout around every pull: the processing
 * channel records when it starts waiting for the next dispatched SSE event (and clears it when
 * events arrive), and the watchdog fails the stream once one wait exceeds the limit. This keeps the
 * per-chunk cost to two clock reads instead of a fiber race per pull, and it measures exactly the
 * wait for upstream events (time the consumer spends is not counted).
 *
 * The watchdog is joined to the stream by {@link withWatchdog}, a one-slot hand-off, instead of
 * `Stream.interruptWhen`: the latter (`mergeWith`) forks a fiber for every pulled chunk, which cost
 * ~40% of the whole pipeline in `tooling/bench/responses.mjs`.
 * @internal
 */
export const decodeBody = <E, R>(
  bytes: Stream.Stream<Uint8Array, E, R>,
  options: BodyOptions
): Stream.Stream<ResponseEvent, ApiError.ApiError, R> =>
  Stream.unwrap(
    Effect.clockWith((clock) =>
      Effect.map(SseTelemetry.SseTelemetry, (telemetry) => {
        const idleMillis = Duration.toMillis(Duration.decode(options.idleTimeout))
        // The no-op default adds nothing per event.
        const report = telemetry === SseTelemetry.noop ? undefined : telemetry.onSsePoll
        const state: WaitState = { since: undefined, clock, report }
        // One stage decodes the SSE bytes and processes the events (`Channel.pipeTo`, not
        // `Stream.pipeThroughChannelOrFail`, which adds two pass-through stages per chunk):
        // `processChannel` maps upstream failures itself.
        const processed = Stream.fromChannel(
          Channel.pipeTo(
            Stream.toChannel(bytes),
            Channel.suspend(() =>
              processChannel<E>(Sse.makeDecoder({ maxEventSize: options.maxEventSize }), makeProcessor(), state)
            )
          )
        )
        return withWatchdog(processed, watchdog(state, idleMillis))
      })
    )
  )

/**
 * `Stream.unwrapScoped` without its per-chunk cost: that is a `Stream.flatten`, whose `concatMap`
 * machinery every chunk of the inner stream then crosses; here the scope is made before the stream
 * starts and closed with its exit, however it ends (done, failure or interruption).
 * @internal
 */
export const unwrapScoped = <A, E2, R2, E, R>(
  effect: Effect.Effect<Stream.Stream<A, E2, R2>, E, R>
): Stream.Stream<A, E | E2, Exclude<R, Scope.Scope> | R2> =>
  Stream.fromChannel(
    Channel.acquireUseRelease(
      Scope.make(),
      (scope) => Channel.unwrap(Effect.map(Scope.extend(effect, scope), Stream.toChannel)),
      (scope, exit) => Scope.close(scope, exit)
    )
  )

/**
 * `Stream.interruptWhen(self, watchdog)` without a fiber per chunk: `self` is pulled by ONE producer
 * fiber, one chunk per consumer pull (never ahead of the consumer), and handed over through
 * `Effect.async` callbacks; the watchdog fails the pending (or next) consumer pull. Both fibers live
 * in the stream's scope, so ending or interrupting the stream interrupts the pending upstream pull
 * (and with it the HTTP request), as `interruptWhen` does.
 *
 * Per-chunk cost matters here (it was ~10% of `tooling/bench/responses.mjs`): the `Effect.async`
 * registrations return no canceler (with one, `Effect.async` wraps itself in an `onInterrupt`
 * region on every call), the consumer is a plain channel loop instead of
 * `Stream.repeatEffectChunkOption`, and the producer's step is built once. Without cancelers, an
 * interrupted wait leaves its callback in `consumer` / `producer`; calling it later is a no-op (the
 * fiber already marked that wait as resumed), and only an interrupted consumer can leave one behind
 * while the stream lives: the chunk it requested is then dropped, as before.
 */
const withWatchdog = <A, R>(
  self: Stream.Stream<A, ApiError.ApiError, R>,
  watchdog: Effect.Effect<never, ApiError.ApiError>
): Stream.Stream<A, ApiError.ApiError, R> =>
  unwrapScoped(
    Effect.gen(function* () {
      const pull = yield* Stream.toPull(self)
      // The consumer waiting for a chunk (`undefined` ends the stream), the producer waiting for a
      // request, and a final outcome (watchdog failure, upstream end or failure) that every later pull
      // repeats.
      let consumer: ((effect: Effect.Effect<Chunk.Chunk<A> | undefined, ApiError.ApiError>) => void) | undefined
      let producer: ((effect: Effect.Effect<void>) => void) | undefined
      let requested = false
      let final: Effect.Effect<undefined, ApiError.ApiError> | undefined
      const deliver = (effect: Effect.Effect<Chunk.Chunk<A> | undefined, ApiError.ApiError>): void => {
        const resume = consumer
        consumer = undefined
        if (resume !== undefined) resume(effect)
      }
      const end = (effect: Effect.Effect<undefined, ApiError.ApiError>): Effect.Effect<void> =>
        Effect.sync(() => {
          final = effect
          deliver(effect)
        })
      const awaitRequest = Effect.async<void>((resume) => {
        if (requested) {
          requested = false
          resume(Effect.void)
        } else {
          producer = resume
        }
      })
      const step: Effect.Effect<void, never, R> = Effect.matchCauseEffect(pull, {
        onSuccess: (chunk) => {
          deliver(Effect.succeed(chunk))
          return produce
        },
        onFailure: (cause) => {
          // `Option.none()` is the upstream's end.
          const failure = Cause.flipCauseOption(cause)
          return end(Option.isNone(failure) ? Effect.succeed(undefined) : Effect.failCause(failure.value))
        }
      })
      const produce: Effect.Effect<void, never, R> = Effect.flatMap(awaitRequest, () => step)
      yield* Effect.forkScoped(produce)
      yield* Effect.forkScoped(Effect.catchAll(watchdog, (error) => end(Effect.fail(error))))
      const take = Effect.async<Chunk.Chunk<A> | undefined, ApiError.ApiError>((resume) => {
        if (final !== undefined) {
          resume(final)
          return
        }
        consumer = resume
        const wake = producer
        if (wake === undefined) {
          requested = true
        } else {
          producer = undefined
          wake(Effect.void)
        }
      })
      const loop: Channel.Channel<Chunk.Chunk<A>, unknown, ApiError.ApiError, unknown, void, unknown> = Channel.flatMap(
        Channel.fromEffect(take),
        (chunk) => (chunk === undefined ? Channel.void : Channel.zipRight(Channel.write(chunk), loop))
      )
      return Stream.fromChannel(loop)
    })
  )

/**
 * What the idle watchdog watches (shared with the Responses WebSocket reader).
 * @internal
 */
export interface WaitState {
  /** When the pipeline started waiting for the next event; `undefined` while not waiting. */
  since: number | undefined
  readonly clock: Clock.Clock
  /** `SseTelemetry.onSsePoll`, unless it is the no-op. */
  readonly report: Report | undefined
}

type Report = (poll: SseTelemetry.SsePoll) => Effect.Effect<void>

/** How long the wait that just ended took (zero when nothing was waiting), and ends it. */
const endWait = (state: WaitState): Duration.Duration => {
  const since = state.since
  state.since = undefined
  return since === undefined
    ? Duration.zero
    : Duration.millis(Math.max(0, state.clock.unsafeCurrentTimeMillis() - since))
}

/** One poll per SSE event of `events`: the first waited for the chunk, the others were buffered. */
const reportEvents = (
  report: Report,
  events: ReadonlyArray<Sse.Event>,
  waited: Duration.Duration
): Effect.Effect<void> =>
  Effect.forEach(
    events,
    (event, index) =>
      report({ result: SseTelemetry.SsePollResult.Event({ event }), duration: index === 0 ? waited : Duration.zero }),
    { discard: true }
  )

const idleError = ApiError.stream(idleTimeoutMessage)

/**
 * Sleeps on the `Clock` and fails with `error` once one wait recorded in `state` lasted `idleMillis`.
 * @internal
 */
export const watchdog = (
  state: WaitState,
  idleMillis: number,
  error: ApiError.ApiError = idleError
): Effect.Effect<never, ApiError.ApiError> => {
  const check: Effect.Effect<never, ApiError.ApiError> = Effect.suspend(() => {
    const since = state.since
    if (since === undefined) return Effect.zipRight(Effect.sleep(idleMillis), check)
    const elapsed = state.clock.unsafeCurrentTimeMillis() - since
    if (elapsed < idleMillis) return Effect.zipRight(Effect.sleep(idleMillis - elapsed), check)
    return state.report === undefined
      ? Effect.fail(error)
      : Effect.zipRight(
          state.report({ result: SseTelemetry.SsePollResult.Timeout(), duration: Duration.millis(elapsed) }),
          Effect.fail(error)
        )
  })
  return check
}

const closedBeforeCompleted = Channel.suspend(() => Channel.fail(ApiError.stream(closedBeforeCompletedMessage)))

/** Bytes in, events out: SSE decoding and event processing in one stage. */
type Processing<E> = Channel.Channel<
  Chunk.Chunk<ResponseEvent>,
  Chunk.Chunk<Uint8Array>,
  ApiError.ApiError,
  E,
  unknown,
  unknown
>

/** Ends the wait for upstream; with telemetry on, reports the poll (built from the time waited) first. */
const afterWait = <E>(
  state: WaitState,
  next: Processing<E>,
  poll: (report: Report, waited: Duration.Duration) => Effect.Effect<void>
): Processing<E> => {
  const report = state.report
  if (report === undefined) {
    state.since = undefined
    return next
  }
  return Channel.zipRight(Channel.fromEffect(poll(report, endWait(state))), next)
}

/** A failure of the body (transport error, oversized SSE event) as the stream's error. */
const toApiError = (error: unknown): ApiError.ApiError => ApiError.stream(errorText(error), error)

/**
 * Decodes the SSE bytes and processes the events in ONE channel stage (each stage costs every chunk a
 * trip through the channel executor). The wait for the next event starts when a chunk of events
 * has been handled and ends when a chunk of bytes completes at least one event: bytes that complete
 * none (a partial event, comments) do not reset the idle timeout. A body failure or an oversized
 * event fails the stream after the events decoded before it.
 */
const processChannel = <E>(decoder: Sse.Decoder, processor: Processor, state: WaitState): Processing<E> => {
  const failed = (cause: Cause.Cause<ApiError.ApiError>): Processing<E> =>
    afterWait(state, Channel.failCause(cause), (report, waited) =>
      report({
        result: SseTelemetry.SsePollResult.Error({
          error: Option.getOrElse(Cause.failureOption(cause), () => Cause.squash(cause))
        }),
        duration: waited
      })
    )
  const closed: Processing<E> = Channel.suspend(() =>
    afterWait(state, closedBeforeCompleted, (report, waited) =>
      report({ result: SseTelemetry.SsePollResult.End(), duration: waited })
    )
  )
  const read: Processing<E> = Channel.readWithCause({
    onInput: (input: Chunk.Chunk<Uint8Array>) => {
      const events = Sse.pushAll(decoder, input)
      const error = decoder.error
      // Suspended: its wait ends after the events' poll.
      const next = error === undefined ? loop : Channel.suspend(() => failed(Cause.fail(toApiError(error))))
      if (events === undefined) return error === undefined ? read : next
      return afterEvents(events, next)
    },
    onFailure: (cause) => failed(Cause.map(cause, toApiError)),
    onDone: () => {
      // Proxies may drop the final blank line: the decoder dispatches the pending event at the end.
      const events = decoder.end()
      return events.length === 0 ? closed : afterEvents(events, closed)
    }
  })
  /** Ends the wait (one poll per event with telemetry on), then the events and `next`. */
  const afterEvents = (events: ReadonlyArray<Sse.Event>, next: Processing<E>): Processing<E> =>
    afterWait(state, handleEvents(events, next), (report, waited) => reportEvents(report, events, waited))
  /** The events' `ResponseEvent`s, then `next`; a terminal event ends the stream instead. */
  const handleEvents = (events: ReadonlyArray<Sse.Event>, next: Processing<E>): Processing<E> => {
    const out: Array<ResponseEvent> = []
    for (let i = 0; i < events.length; i++) {
      const outcome = processor.processInto(events[i]!.data, out)
      if (outcome === Outcome.Continue) continue
      // Terminal: stop reading (the upstream, and with it the HTTP request, is released).
      const end =
        outcome === Outcome.Completed ? Channel.void : Channel.fail(processor.error ?? ApiError.stream("failed"))
      return out.length === 0 ? end : Channel.zipRight(Channel.write(Chunk.unsafeFromArray(out)), end)
    }
    return out.length === 0 ? next : Channel.zipRight(Channel.write(Chunk.unsafeFromArray(out)), next)
  }
  const loop: Processing<E> = Channel.suspend(() => {
    state.since = state.clock.unsafeCurrentTimeMillis()
    return read
  })
  return loop
}
