/**
 * Per-poll telemetry of a Responses SSE stream (as the Codex CLI reports it): one
 * call each time the stream reads its next SSE event, with what the read produced and how long it
 * waited. Events that arrived in the same network chunk are read at once (duration zero after the
 * first). The default does nothing and costs nothing per event.
 *
 * @since 0.1.0
 */
import type * as Sse from "@codex/client/Sse"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/**
 * What one read of the SSE stream produced: an event, a failure of the body or of SSE decoding,
 * the end of the body, or the idle timeout.
 *
 * @since 0.1.0
 * @category models
 */
export type SsePollResult = Data.TaggedEnum<{
  Event: { readonly event: Sse.Event }
  Error: { readonly error: unknown }
  End: {}
  Timeout: {}
}>

/**
 * Constructors of the poll results reported in {@link SsePoll}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const SsePollResult = Data.taggedEnum<SsePollResult>()

/**
 * What {@link Service.onSsePoll} receives for each read of the next SSE event: how long it waited
 * and what it got.
 *
 * @since 0.1.0
 * @category models
 */
export interface SsePoll {
  readonly result: SsePollResult
  /** How long the read waited (zero for an event already buffered). */
  readonly duration: Duration.Duration
}

/**
 * Hook called for each SSE poll of a streaming response. Provide your own implementation to record
 * metrics; the default does nothing.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly onSsePoll: (poll: SsePoll) => Effect.Effect<void>
}

/**
 * Ignores every poll.
 *
 * @since 0.1.0
 * @category constructors
 */
export const noop: Service = { onSsePoll: () => Effect.void }

/**
 * The telemetry sink. A `Context.Reference`: without a layer it is {@link noop}.
 *
 * @since 0.1.0
 * @category tags
 */
export class SseTelemetry extends Context.Reference<SseTelemetry>()("@codex/api/SseTelemetry", {
  defaultValue: (): Service => noop
}) {}

/**
 * Builds the telemetry service from your hook.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (onSsePoll: (poll: SsePoll) => Effect.Effect<void>): Service => ({ onSsePoll })

/**
 * A layer providing your telemetry hook.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (onSsePoll: (poll: SsePoll) => Effect.Effect<void>): Layer.Layer<SseTelemetry> =>
  Layer.succeed(SseTelemetry, make(onSsePoll))
