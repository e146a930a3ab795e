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
