/**
 * @since 0.1.0
 */
export * as ResponseItem from "./ResponseItem.js"
/**
 * @since 0.1.0
 */
export * as TokenUsage from "./TokenUsage.js"
/**
 * @since 0.1.0
 */
export * as RateLimits from "./RateLimits.js"
/**
 * @since 0.1.0
 */
export * as ModelInfo from "./ModelInfo.js"
/**
 * @since 0.1.0
 */
export * as Reasoning from "./Reasoning.js"
/**
 * @since 0.1.0
 */
export * as ModelVerification from "./ModelVerification.js"
/**
 * @since 0.1.0
 */
export * as SessionSource from "./SessionSource.js"
