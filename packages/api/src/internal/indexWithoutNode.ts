/**
 * The package entry where the `node` condition is absent (browsers, edge runtimes): every module
 * of `index.ts` but the Node-only ones (`Files`: node:path and the file system; `WebsocketTls`,
 * `RealtimeWebsocket`, `ResponsesWebsocket`: ws and node:tls), so that a bundle of a program
 * importing the entry builds without Node built-ins.
 * @internal
 */
/**
 * @since 0.1.0
 */
export * as ApiError from "../ApiError.js"
/**
 * @since 0.1.0
 */
export * as Auth from "../Auth.js"
/**
 * @since 0.1.0
 */
export * as Provider from "../Provider.js"
/**
 * @since 0.1.0
 */
export * as RateLimits from "../RateLimits.js"
/**
 * @since 0.1.0
 */
export * as CodexError from "../CodexError.js"
/**
 * @since 0.1.0
 */
export * as ResponseEvent from "../ResponseEvent.js"
/**
 * @since 0.1.0
 */
export * as Responses from "../Responses.js"
/**
 * @since 0.1.0
 */
export * as ResponsesFixture from "../ResponsesFixture.js"
/**
 * @since 0.1.0
 */
export * as ResponsesRequest from "../ResponsesRequest.js"
/**
 * @since 0.1.0
 */
export * as Compact from "../Compact.js"
/**
 * @since 0.1.0
 */
export * as Memories from "../Memories.js"
/**
 * @since 0.1.0
 */
export * as Models from "../Models.js"
/**
 * @since 0.1.0
 */
export * as Search from "../Search.js"
/**
 * @since 0.1.0
 */
export * as Images from "../Images.js"
/**
 * @since 0.1.0
 */
export * as RealtimeSession from "../RealtimeSession.js"
/**
 * @since 0.1.0
 */
export * as RealtimeCall from "../RealtimeCall.js"
/**
 * @since 0.1.0
 */
export * as RealtimeEvent from "../RealtimeEvent.js"
/**
 * @since 0.1.0
 */
export * as RealtimeOutputForwarder from "../RealtimeOutputForwarder.js"
/**
 * @since 0.1.0
 */
export * as SseTelemetry from "../SseTelemetry.js"
/**
 * @since 0.1.0
 */
export * as WebsocketTelemetry from "../WebsocketTelemetry.js"
