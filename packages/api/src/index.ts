/**
 * @since 0.1.0
 */
export * as ApiError from "./ApiError.js"
/**
 * @since 0.1.0
 */
export * as Auth from "./Auth.js"
/**
 * @since 0.1.0
 */
export * as Provider from "./Provider.js"
/**
 * @since 0.1.0
 */
export * as RateLimits from "./RateLimits.js"
/**
 * @since 0.1.0
 */
export * as CodexError from "./CodexError.js"
/**
 * @since 0.1.0
 */
export * as ResponseEvent from "./ResponseEvent.js"
/**
 * @since 0.1.0
 */
export * as Responses from "./Responses.js"
/**
 * @since 0.1.0
 */
export * as ResponsesFixture from "./ResponsesFixture.js"
/**
 * @since 0.1.0
 */
export * as ResponsesRequest from "./ResponsesRequest.js"
/**
 * @since 0.1.0
 */
export * as Compact from "./Compact.js"
/**
 * @since 0.1.0
 */
export * as Memories from "./Memories.js"
/**
 * @since 0.1.0
 */
export * as Models from "./Models.js"
/**
 * @since 0.1.0
 */
export * as Search from "./Search.js"
/**
 * @since 0.1.0
 */
export * as Images from "./Images.js"
/**
 * @since 0.1.0
 */
export * as RealtimeSession from "./RealtimeSession.js"
/**
 * @since 0.1.0
 */
export * as RealtimeCall from "./RealtimeCall.js"
/**
 * @since 0.1.0
 */
export * as Files from "./Files.js"
/**
 * @since 0.1.0
 */
export * as RealtimeEvent from "./RealtimeEvent.js"
/**
 * @since 0.1.0
 */
export * as RealtimeWebsocket from "./RealtimeWebsocket.js"
/**
 * @since 0.1.0
 */
export * as RealtimeOutputForwarder from "./RealtimeOutputForwarder.js"
/**
 * @since 0.1.0
 */
export * as ResponsesWebsocket from "./ResponsesWebsocket.js"
/**
 * @since 0.1.0
 */
export * as WebsocketTls from "./WebsocketTls.js"
/**
 * @since 0.1.0
 */
export * as SseTelemetry from "./SseTelemetry.js"
/**
 * @since 0.1.0
 */
export * as WebsocketTelemetry from "./WebsocketTelemetry.js"
