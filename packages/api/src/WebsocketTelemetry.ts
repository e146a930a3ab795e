/**
 * Telemetry of Responses over WebSocket (as the Codex CLI reports it): `onWsRequest` once
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
 * What {@link Service.onWsRequest} receives for each request sent over a WebSocket: how long the
 * send took, why it failed if it did, and whether the connection was reused.
 *
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
 * Constructors of the event results reported in {@link WsEvent}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const WsEventResult = Data.taggedEnum<WsEventResult>()

/**
 * What {@link Service.onWsEvent} receives for each event received over a WebSocket: the outcome and
 * how long the wait took.
 *
 * @since 0.1.0
 * @category models
 */
export interface WsEvent {
  readonly result: WsEventResult
  readonly duration: Duration.Duration
}

/**
 * Hooks called for WebSocket requests and events. Provide your own implementation to record
 * metrics; the default does nothing.
 *
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
 * Builds the telemetry service from your hooks.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (service: Partial<Service>): Service => ({ ...noop, ...service })

/**
 * A layer providing your telemetry hooks.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (service: Partial<Service>): Layer.Layer<WebsocketTelemetry> =>
  Layer.succeed(WebsocketTelemetry, make(service))
