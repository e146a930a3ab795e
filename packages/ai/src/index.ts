/**
 * `@codex/ai`: an `@effect/ai` `LanguageModel` that runs on the Codex/OpenAI Responses API through
 * `@codex/api`, with its retries, idle timeouts and rate-limit snapshots.
 *
 * @since 0.1.0
 */

/**
 * The `@effect/ai` `LanguageModel` backed by the Responses client of `@codex/api`.
 *
 * @since 0.1.0
 */
export * as CodexLanguageModel from "./CodexLanguageModel.js"
