/**
 * Telemetry of Responses over WebSocket (`WebsocketTelemetry` of the reference): `onWsRequest` once
 * per request sent (how long the send took, its error, whether the connection was reused) and
 * `onWsEvent` once per inbound frame read while a response streams (what the read produced and how
 * long it waited; frames already buffered report zero). The default does nothing and costs nothing
 * per frame.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/**
 * @since 0.1.0
 * @category models
 */
export interface WsRequest {
  readonly duration: Duration.Duration
  /** Why the send failed (an `ApiError`), if it did. */
  readonly error?: unknown
  /** The `connectionReused` flag the caller passed to `streamRequest`. */
  readonly connectionReused: boolean
}

/**
 * An inbound WebSocket message.
 *
 * @since 0.1.0
 * @category models
 */
export type WsMessage =
  | { readonly _tag: "Text"; readonly text: string }
  | { readonly _tag: "Binary"; readonly data: Uint8Array }
  | { readonly _tag: "Close"; readonly code: number; readonly reason: string }

/**
 * What one read produced: a message, a read error, the end of the connection, or the idle timeout.
 *
 * @since 0.1.0
 * @category models
 */
export type WsEventResult = Data.TaggedEnum<{
  Message: { readonly message: WsMessage }
  Error: { readonly message: string }
  End: {}
  Timeout: {}
}>

/**
 * @since 0.1.0
 * @category constructors
 */
export const WsEventResult = Data.taggedEnum<WsEventResult>()

/**
 * @since 0.1.0
 * @category models
 */
export interface WsEvent {
  readonly result: WsEventResult
  readonly duration: Duration.Duration
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly onWsRequest: (request: WsRequest) => Effect.Effect<void>
  readonly onWsEvent: (event: WsEvent) => Effect.Effect<void>
}

/**
 * Ignores everything.
 *
 * @since 0.1.0
 * @category constructors
 */
export const noop: Service = { onWsRequest: () => Effect.void, onWsEvent: () => Effect.void }

/**
 * The telemetry sink. A `Context.Reference`: without a layer it is {@link noop}.
 *
 * @since 0.1.0
 * @category tags
 */
export class WebsocketTelemetry extends Context.Reference<WebsocketTelemetry>()("@codex/api/WebsocketTelemetry", {
  defaultValue: (): Service => noop
}) {}

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = (service: Partial<Service>): Service => ({ ...noop, ...service })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (service: Partial<Service>): Layer.Layer<WebsocketTelemetry> =>
  Layer.succeed(WebsocketTelemetry, make(service))
