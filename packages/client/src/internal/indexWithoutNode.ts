/**
 * The package entry where the `node` condition is absent (browsers, edge runtimes): every module
 * of `index.ts` but the Node-only ones (`CustomCa`, `Proxy`, `NodeTransport`: node:tls, node:fs,
 * undici), so that a bundle of a program importing the entry builds without Node built-ins.
 * @internal
 */
/**
 * @since 0.1.0
 */
export * as HttpTransport from "../HttpTransport.js"
/**
 * @since 0.1.0
 */
export * as Request from "../Request.js"
/**
 * @since 0.1.0
 */
export * as TransportError from "../TransportError.js"
/**
 * @since 0.1.0
 */
export * as Sse from "../Sse.js"
/**
 * @since 0.1.0
 */
export * as IdleTimeout from "../IdleTimeout.js"
/**
 * @since 0.1.0
 */
export * as RetryPolicy from "../RetryPolicy.js"
/**
 * @since 0.1.0
 */
export * as RetrySchedule from "../RetrySchedule.js"
/**
 * @since 0.1.0
 */
export * as RequestTelemetry from "../RequestTelemetry.js"
/**
 * @since 0.1.0
 */
export * as ChatgptHosts from "../ChatgptHosts.js"
/**
 * @since 0.1.0
 */
export * as CloudflareCookies from "../CloudflareCookies.js"
/**
 * @since 0.1.0
 */
export * as TraceContext from "../TraceContext.js"
