/**
 * Token counts of a completed response.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * Schema of the token usage reported with a completed response (input, cached input, output,
 * reasoning output and total tokens).
 *
 * @since 0.1.0
 * @category schemas
 */
export const TokenUsage = Schema.Struct({
  input_tokens: Schema.Number,
  cached_input_tokens: Schema.Number,
  output_tokens: Schema.Number,
  reasoning_output_tokens: Schema.Number,
  total_tokens: Schema.Number
}).annotations({ identifier: "@codex/protocol/TokenUsage" })

/**
 * Token usage of a completed response: input, cached input, output, reasoning output and total
 * tokens.
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenUsage extends Schema.Schema.Type<typeof TokenUsage> {}

/**
 * All counters zero.
 *
 * @since 0.1.0
 * @category constructors
 */
export const empty: TokenUsage = {
  input_tokens: 0,
  cached_input_tokens: 0,
  output_tokens: 0,
  reasoning_output_tokens: 0,
  total_tokens: 0
}
