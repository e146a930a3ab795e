/**
 * `@codex/client`: the generic HTTP/SSE layer under `@codex/api`: requests, transports for Node and
 * `fetch`, retries as `Schedule`s, SSE decoding, idle timeouts and telemetry hooks. Each module is
 * also importable on its own, e.g. `@codex/client/HttpTransport`.
 *
 * @since 0.1.0
 */

/**
 * The transport service that sends HTTP requests, with layers for Node and `fetch`.
 *
 * @since 0.1.0
 */
export * as HttpTransport from "./HttpTransport.js"
/**
 * The request model the transports send.
 *
 * @since 0.1.0
 */
export * as Request from "./Request.js"
/**
 * Errors of the transport: HTTP status, timeout, network, build and body errors.
 *
 * @since 0.1.0
 */
export * as TransportError from "./TransportError.js"
/**
 * Decode a byte stream of Server-Sent Events into events, with an idle timeout.
 *
 * @since 0.1.0
 */
export * as Sse from "./Sse.js"
/**
 * Fail a stream when no element arrives within a timeout.
 *
 * @since 0.1.0
 */
export * as IdleTimeout from "./IdleTimeout.js"
/**
 * Which failures are retried, how many times, and how long to wait.
 *
 * @since 0.1.0
 */
export * as RetryPolicy from "./RetryPolicy.js"
/**
 * The retry policy as an injectable service, so you can replace the `Schedule`.
 *
 * @since 0.1.0
 */
export * as RetrySchedule from "./RetrySchedule.js"
/**
 * Per-attempt request telemetry hooks.
 *
 * @since 0.1.0
 */
export * as RequestTelemetry from "./RequestTelemetry.js"
/**
 * Custom CA bundles for Node (`CODEX_CA_CERTIFICATE` or `SSL_CERT_FILE`).
 *
 * @since 0.1.0
 */
export * as CustomCa from "./CustomCa.js"
/**
 * Outbound proxies for Node from `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`.
 *
 * @since 0.1.0
 */
export * as Proxy from "./Proxy.js"
/**
 * The Node transport with custom CA bundles and proxies from the environment.
 *
 * @since 0.1.0
 */
export * as NodeTransport from "./NodeTransport.js"
/**
 * Which hosts count as ChatGPT hosts (for the Cloudflare cookie jar).
 *
 * @since 0.1.0
 */
export * as ChatgptHosts from "./ChatgptHosts.js"
/**
 * A cookie jar that keeps only ChatGPT's Cloudflare cookies.
 *
 * @since 0.1.0
 */
export * as CloudflareCookies from "./CloudflareCookies.js"
/**
 * W3C trace-context (`traceparent`) propagation.
 *
 * @since 0.1.0
 */
export * as TraceContext from "./TraceContext.js"
