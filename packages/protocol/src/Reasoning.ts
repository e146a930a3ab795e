/**
 * Reasoning and verbosity knobs of a Responses request.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The reasoning efforts the reference knows by name.
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
 * @since 0.1.0
 * @category schemas
 */
export const ReasoningEffort: Schema.Schema<ReasoningEffort, string> = Schema.String.annotations({
  identifier: "@codex/protocol/ReasoningEffort"
})

/**
 * @since 0.1.0
 * @category schemas
 */
export const ReasoningSummary = Schema.Literal("auto", "concise", "detailed", "none")

/**
 * @since 0.1.0
 * @category models
 */
export type ReasoningSummary = typeof ReasoningSummary.Type

/**
 * @since 0.1.0
 * @category schemas
 */
export const Verbosity = Schema.Literal("low", "medium", "high")

/**
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
 * @since 0.1.0
 * @category models
 */
export type ReasoningContext = typeof ReasoningContext.Type
