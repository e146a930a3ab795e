/**
 * Reasoning and verbosity knobs of a Responses request.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The reasoning efforts known by name.
 *
 * @since 0.1.0
 * @category constants
 */
export const knownReasoningEfforts = ["none", "minimal", "low", "medium", "high", "xhigh"] as const

/**
 * Reasoning effort: a known level or any custom string (sent verbatim).
 *
 * @since 0.1.0
 * @category models
 */
export type ReasoningEffort = (typeof knownReasoningEfforts)[number] | (string & {})

/**
 * Schema of the reasoning effort setting.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReasoningEffort: Schema.Schema<ReasoningEffort, string> = Schema.String.annotations({
  identifier: "@codex/protocol/ReasoningEffort"
})

/**
 * Schema of the reasoning summary setting: `"auto"`, `"concise"`, `"detailed"` or `"none"`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReasoningSummary = Schema.Literal("auto", "concise", "detailed", "none")

/**
 * How the model summarizes its reasoning: `"auto"`, `"concise"`, `"detailed"` or `"none"`.
 *
 * @since 0.1.0
 * @category models
 */
export type ReasoningSummary = typeof ReasoningSummary.Type

/**
 * Schema of the text verbosity setting: `"low"`, `"medium"` or `"high"`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Verbosity = Schema.Literal("low", "medium", "high")

/**
 * How verbose the model's text answers are: `"low"`, `"medium"` or `"high"`.
 *
 * @since 0.1.0
 * @category models
 */
export type Verbosity = typeof Verbosity.Type

/**
 * Which turns' reasoning the server should keep in context.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReasoningContext = Schema.Literal("auto", "current_turn", "all_turns")

/**
 * Which turns' reasoning the server keeps in context: `"auto"`, `"current_turn"` or `"all_turns"`.
 *
 * @since 0.1.0
 * @category models
 */
export type ReasoningContext = typeof ReasoningContext.Type
