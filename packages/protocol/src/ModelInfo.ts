/**
 * `GET /models` payload. The API layer treats the list as opaque (parse only), so decoding checks
 * the required keys, keeps the defaulted ones optional and tolerates (and preserves) unknown keys:
 * a server adding a field must not break model listing.
 *
 * @since 0.1.0
 */
import type * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { ReasoningEffort, ReasoningSummary, Verbosity } from "./Reasoning.js"

const optional = <S extends Schema.Schema.Any>(schema: S) => Schema.optionalWith(schema, { nullable: true })

/**
 * Schema of a reasoning effort a model supports, with its description.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReasoningEffortPreset = Schema.Struct({
  effort: ReasoningEffort,
  description: Schema.String
})

/**
 * Schema of a model's truncation policy for tool output.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TruncationPolicy = Schema.Struct({
  mode: Schema.String,
  limit: Schema.Number
})

/**
 * One model entry.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ModelInfo = Schema.Struct({
  // required keys
  slug: Schema.String,
  display_name: Schema.String,
  description: Schema.NullOr(Schema.String),
  supported_reasoning_levels: Schema.Array(ReasoningEffortPreset),
  shell_type: Schema.String,
  visibility: Schema.String,
  supported_in_api: Schema.Boolean,
  priority: Schema.Number,
  availability_nux: Schema.NullOr(Schema.Unknown),
  upgrade: Schema.NullOr(Schema.Unknown),
  base_instructions: Schema.String,
  supports_reasoning_summaries: Schema.Boolean,
  support_verbosity: Schema.Boolean,
  default_verbosity: Schema.NullOr(Verbosity),
  apply_patch_tool_type: Schema.NullOr(Schema.String),
  truncation_policy: TruncationPolicy,
  supports_parallel_tool_calls: Schema.Boolean,
  experimental_supported_tools: Schema.Array(Schema.String),
  // defaulted keys
  default_reasoning_level: optional(ReasoningEffort),
  additional_speed_tiers: optional(Schema.Array(Schema.Unknown)),
  service_tiers: optional(Schema.Array(Schema.Unknown)),
  default_service_tier: optional(Schema.String),
  model_messages: optional(Schema.Unknown),
  default_reasoning_summary: optional(ReasoningSummary),
  web_search_tool_type: optional(Schema.String),
  supports_image_detail_original: optional(Schema.Boolean),
  context_window: optional(Schema.Number),
  max_context_window: optional(Schema.Number),
  auto_compact_token_limit: optional(Schema.Number),
  effective_context_window_percent: Schema.optionalWith(Schema.Number, { default: () => 95, nullable: true }),
  input_modalities: optional(Schema.Array(Schema.String)),
  supports_search_tool: optional(Schema.Boolean),
  use_responses_lite: optional(Schema.Boolean),
  auto_review_model_override: optional(Schema.Unknown),
  tool_mode: optional(Schema.Unknown),
  multi_agent_version: optional(Schema.Unknown)
}).annotations({ identifier: "@codex/protocol/ModelInfo" })

/**
 * One model entry of the models list: its slug, display name, capabilities and defaults.
 *
 * @since 0.1.0
 * @category models
 */
export interface ModelInfo extends Schema.Schema.Type<typeof ModelInfo> {}

/**
 * Schema of the models list response: `{ models: [...] }`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ModelsResponse = Schema.Struct({
  models: Schema.Array(ModelInfo)
}).annotations({ identifier: "@codex/protocol/ModelsResponse" })

/**
 * The models list response: the available models.
 *
 * @since 0.1.0
 * @category models
 */
export interface ModelsResponse extends Schema.Schema.Type<typeof ModelsResponse> {}

/**
 * Decodes a `/models` body, keeping unknown keys of each model.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeModelsResponse: (u: unknown) => Either.Either<ModelsResponse, ParseResult.ParseError> =
  Schema.decodeUnknownEither(ModelsResponse, { onExcessProperty: "preserve" })
