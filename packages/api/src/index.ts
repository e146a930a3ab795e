/**
 * `@codex/api`: Effect clients for the Codex/OpenAI APIs: Responses over SSE and WebSocket,
 * compaction, memories, models, realtime, search, images and files. Each module is also importable
 * on its own, e.g. `@codex/api/Responses`.
 *
 * @since 0.1.0
 */

/**
 * Errors of the API clients: transport failures, stream failures and API-specific errors.
 *
 * @since 0.1.0
 */
export * as ApiError from "./ApiError.js"
/**
 * Authentication: an API key from the environment, a bearer token, or no auth at all.
 *
 * @since 0.1.0
 */
export * as Auth from "./Auth.js"
/**
 * Where requests go and how: base URL, headers, retries and the stream idle timeout.
 *
 * @since 0.1.0
 */
export * as Provider from "./Provider.js"
/**
 * Rate-limit snapshots read from HTTP response headers.
 *
 * @since 0.1.0
 */
export * as RateLimits from "./RateLimits.js"
/**
 * The typed errors a Codex client reports (context window exceeded, quota, usage limits, ...) and
 * `mapApiError` to get them from an `ApiError`.
 *
 * @since 0.1.0
 */
export * as CodexError from "./CodexError.js"
/**
 * The events of a streamed response, as one tagged union.
 *
 * @since 0.1.0
 */
export * as ResponseEvent from "./ResponseEvent.js"
/**
 * The Responses client over HTTP/SSE: `ResponsesClient`, its layer and the request builders.
 *
 * @since 0.1.0
 */
export * as Responses from "./Responses.js"
/**
 * Replay a recorded SSE stream through the Responses decoder, without a network.
 *
 * @since 0.1.0
 */
export * as ResponsesFixture from "./ResponsesFixture.js"
/**
 * The body of a Responses request and how it is encoded to JSON.
 *
 * @since 0.1.0
 */
export * as ResponsesRequest from "./ResponsesRequest.js"
/**
 * Conversation compaction: replace a long history with fewer items.
 *
 * @since 0.1.0
 */
export * as Compact from "./Compact.js"
/**
 * Memory summarization.
 *
 * @since 0.1.0
 */
export * as Memories from "./Memories.js"
/**
 * The list of models available to the account.
 *
 * @since 0.1.0
 */
export * as Models from "./Models.js"
/**
 * Search.
 *
 * @since 0.1.0
 */
export * as Search from "./Search.js"
/**
 * Image generation and editing.
 *
 * @since 0.1.0
 */
export * as Images from "./Images.js"
/**
 * The realtime session configuration and the `session` objects built from it.
 *
 * @since 0.1.0
 */
export * as RealtimeSession from "./RealtimeSession.js"
/**
 * Start a WebRTC realtime call from an SDP offer.
 *
 * @since 0.1.0
 */
export * as RealtimeCall from "./RealtimeCall.js"
/**
 * Upload local files to the ChatGPT backend.
 *
 * @since 0.1.0
 */
export * as Files from "./Files.js"
/**
 * The events of a realtime session, as one tagged union.
 *
 * @since 0.1.0
 */
export * as RealtimeEvent from "./RealtimeEvent.js"
/**
 * Realtime conversations over WebSocket (V1 and V2 protocols).
 *
 * @since 0.1.0
 */
export * as RealtimeWebsocket from "./RealtimeWebsocket.js"
/**
 * Forward the background agent's finished messages into a running realtime conversation.
 *
 * @since 0.1.0
 */
export * as RealtimeOutputForwarder from "./RealtimeOutputForwarder.js"
/**
 * The Responses API over WebSocket: several turns on one connection.
 *
 * @since 0.1.0
 */
export * as ResponsesWebsocket from "./ResponsesWebsocket.js"
/**
 * TLS trust (custom CA bundles) for the WebSocket connections.
 *
 * @since 0.1.0
 */
export * as WebsocketTls from "./WebsocketTls.js"
/**
 * Per-poll telemetry hooks of a Responses SSE stream.
 *
 * @since 0.1.0
 */
export * as SseTelemetry from "./SseTelemetry.js"
/**
 * Telemetry hooks of Responses over WebSocket.
 *
 * @since 0.1.0
 */
export * as WebsocketTelemetry from "./WebsocketTelemetry.js"
