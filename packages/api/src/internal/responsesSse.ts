/**
 * The Responses SSE body pipeline shared by the HTTP client and the fixture helper:
 * bytes → `Sse.decode` → idle timeout on dispatched events → per-chunk event processing →
 * termination rules (spec 3.7 with our improvements: a terminal error fails the stream at once,
 * `Completed` ends it at once, EOF without `response.completed` is an error).
 * @internal
 */
import * as Sse from "@codex/client/Sse"
import * as Channel from "effect/Channel"
import * as Chunk from "effect/Chunk"
import type * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as ApiError from "../ApiError.js"
import type { ResponseEvent } from "../ResponseEvent.js"
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
 * @internal
 */
export const decodeBody = <E, R>(
  bytes: Stream.Stream<Uint8Array, E, R>,
  options: BodyOptions
): Stream.Stream<ResponseEvent, ApiError.ApiError, R> =>
  Stream.unwrap(
    Effect.clockWith((clock) => {
      const idleMillis = Duration.toMillis(Duration.decode(options.idleTimeout))
      const state: WaitState = { since: undefined, clock }
      const events = bytes.pipe(
        Sse.decode({ maxEventSize: options.maxEventSize }),
        Stream.mapError((error): ApiError.ApiError => ApiError.stream(errorText(error), error))
      )
      const processed = Stream.pipeThroughChannelOrFail(
        events,
        Channel.suspend(() => processChannel(makeProcessor(), state))
      )
      return Effect.succeed(Stream.interruptWhen(processed, watchdog(state, idleMillis)))
    })
  )

interface WaitState {
  /** When the pipeline started waiting for the next SSE event; `undefined` while not waiting. */
  since: number | undefined
  readonly clock: Clock.Clock
}

const idleError = ApiError.stream(idleTimeoutMessage)

const watchdog = (state: WaitState, idleMillis: number): Effect.Effect<never, ApiError.ApiError> => {
  const check: Effect.Effect<never, ApiError.ApiError> = Effect.suspend(() => {
    const since = state.since
    if (since === undefined) return Effect.zipRight(Effect.sleep(idleMillis), check)
    const elapsed = state.clock.unsafeCurrentTimeMillis() - since
    return elapsed >= idleMillis ? Effect.fail(idleError) : Effect.zipRight(Effect.sleep(idleMillis - elapsed), check)
  })
  return check
}

const closedBeforeCompleted = Channel.suspend(() => Channel.fail(ApiError.stream(closedBeforeCompletedMessage)))

const processChannel = (
  processor: Processor,
  state: WaitState
): Channel.Channel<
  Chunk.Chunk<ResponseEvent>,
  Chunk.Chunk<Sse.Event>,
  ApiError.ApiError,
  ApiError.ApiError,
  unknown,
  unknown
> => {
  const read: Channel.Channel<
    Chunk.Chunk<ResponseEvent>,
    Chunk.Chunk<Sse.Event>,
    ApiError.ApiError,
    ApiError.ApiError,
    unknown,
    unknown
  > = Channel.readWithCause({
    onInput: (input: Chunk.Chunk<Sse.Event>) => {
      state.since = undefined
      const out: Array<ResponseEvent> = []
      for (const event of input) {
        const outcome = processor.processInto(event.data, out)
        if (outcome === Outcome.Continue) continue
        // Terminal: stop reading (the upstream, and with it the HTTP request, is released).
        const end =
          outcome === Outcome.Completed ? Channel.void : Channel.fail(processor.error ?? ApiError.stream("failed"))
        return out.length === 0 ? end : Channel.zipRight(Channel.write(Chunk.unsafeFromArray(out)), end)
      }
      return out.length === 0 ? loop : Channel.zipRight(Channel.write(Chunk.unsafeFromArray(out)), loop)
    },
    onFailure: (cause) => {
      state.since = undefined
      return Channel.failCause(cause)
    },
    onDone: () => {
      state.since = undefined
      return closedBeforeCompleted
    }
  })
  const loop = Channel.suspend(() => {
    state.since = state.clock.unsafeCurrentTimeMillis()
    return read
  })
  return loop
}
