/**
 * `@codex/protocol`: `effect/Schema` models of the data the Codex/OpenAI APIs exchange:
 * conversation items, token usage, rate limits, reasoning settings and model information.
 *
 * @since 0.1.0
 */

/**
 * The items of a conversation: messages, reasoning, tool calls and their outputs.
 *
 * @since 0.1.0
 */
export * as ResponseItem from "./ResponseItem.js"
/**
 * Token counts of a completed response.
 *
 * @since 0.1.0
 */
export * as TokenUsage from "./TokenUsage.js"
/**
 * Rate-limit snapshots and the values that appear next to them.
 *
 * @since 0.1.0
 */
export * as RateLimits from "./RateLimits.js"
/**
 * The models list payload.
 *
 * @since 0.1.0
 */
export * as ModelInfo from "./ModelInfo.js"
/**
 * Reasoning and verbosity settings of a Responses request.
 *
 * @since 0.1.0
 */
export * as Reasoning from "./Reasoning.js"
/**
 * Model verification kinds reported by the server.
 *
 * @since 0.1.0
 */
export * as ModelVerification from "./ModelVerification.js"
/**
 * Where a session comes from (for the sub-agent header).
 *
 * @since 0.1.0
 */
export * as SessionSource from "./SessionSource.js"
