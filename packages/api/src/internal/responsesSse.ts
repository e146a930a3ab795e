/**
 * The Responses SSE body pipeline shared by the HTTP client and the fixture helper:
 * bytes → `Sse.decode` → idle timeout on dispatched events → per-chunk event processing →
 * termination rules (spec 3.7 with our improvements: a terminal error fails the stream at once,
 * `Completed` ends it at once, EOF without `response.completed` is an error).
 * @internal
 */
import * as IdleTimeout from "@codex/client/IdleTimeout"
import * as Sse from "@codex/client/Sse"
import * as Channel from "effect/Channel"
import * as Chunk from "effect/Chunk"
import type * as Duration from "effect/Duration"
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
 * @internal
 */
export const decodeBody = <E, R>(
  bytes: Stream.Stream<Uint8Array, E, R>,
  options: BodyOptions
): Stream.Stream<ResponseEvent, ApiError.ApiError, R> => {
  const events = bytes.pipe(
    Sse.decode({ maxEventSize: options.maxEventSize }),
    Stream.mapError((error): ApiError.ApiError => ApiError.stream(errorText(error), error)),
    IdleTimeout.idleTimeout(options.idleTimeout, (): ApiError.ApiError => ApiError.stream(idleTimeoutMessage))
  )
  return Stream.pipeThroughChannelOrFail(
    events,
    Channel.suspend(() => processChannel(makeProcessor()))
  )
}

const closedBeforeCompleted = Channel.suspend(() => Channel.fail(ApiError.stream(closedBeforeCompletedMessage)))

const processChannel = (
  processor: Processor
): Channel.Channel<
  Chunk.Chunk<ResponseEvent>,
  Chunk.Chunk<Sse.Event>,
  ApiError.ApiError,
  ApiError.ApiError,
  unknown,
  unknown
> => {
  const loop: Channel.Channel<
    Chunk.Chunk<ResponseEvent>,
    Chunk.Chunk<Sse.Event>,
    ApiError.ApiError,
    ApiError.ApiError,
    unknown,
    unknown
  > = Channel.readWithCause({
    onInput: (input: Chunk.Chunk<Sse.Event>) => {
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
    onFailure: Channel.failCause,
    onDone: () => closedBeforeCompleted
  })
  return loop
}
