/**
 * The typed events of a Responses stream (HTTP SSE and WebSocket), one variant per
 * `ResponseEvent` of the Codex CLI. Field names are camelCase versions of the wire names
 * (`responseId`, `tokenUsage`, `summaryIndex`, ...).
 *
 * @since 0.1.0
 */
import type { ModelVerification } from "@codex/protocol/ModelVerification"
import type { RateLimitSnapshot } from "./RateLimits.js"
import type { ResponseItem } from "@codex/protocol/ResponseItem"
import type { TokenUsage } from "@codex/protocol/TokenUsage"
import * as Data from "effect/Data"

/**
 * One event of a streamed response, decoded from the server's SSE events: created, output items,
 * text and reasoning deltas, rate limits, model headers and the final completion.
 *
 * @since 0.1.0
 * @category models
 */
export type ResponseEvent = Data.TaggedEnum<{
  /** `response.created` with a non-null `response`. */
  Created: {}
  /** `response.output_item.added` whose `item` parses. */
  OutputItemAdded: { readonly item: ResponseItem }
  /** `response.output_item.done` whose `item` parses. */
  OutputItemDone: { readonly item: ResponseItem }
  /** `response.output_text.delta`. */
  OutputTextDelta: { readonly delta: string }
  /** `response.custom_tool_call_input.delta`; `itemId` falls back to `call_id`. */
  ToolCallInputDelta: { readonly itemId: string; readonly callId?: string | undefined; readonly delta: string }
  /** `response.reasoning_summary_text.delta`. */
  ReasoningSummaryDelta: { readonly delta: string; readonly summaryIndex: number }
  /** `response.reasoning_text.delta`. */
  ReasoningContentDelta: { readonly delta: string; readonly contentIndex: number }
  /** `response.reasoning_summary_part.added`. */
  ReasoningSummaryPartAdded: { readonly summaryIndex: number }
  /** `response.completed`: the terminal event of a successful response. */
  Completed: {
    readonly responseId: string
    readonly tokenUsage?: TokenUsage | undefined
    readonly endTurn?: boolean | undefined
  }
  /** The model that served the request (`openai-model` response header or in-stream `headers`). */
  ServerModel: { readonly model: string }
  /** `response.metadata` → `metadata.openai_verification_recommendation`. */
  ModelVerifications: { readonly verifications: ReadonlyArray<ModelVerification> }
  /** `response.metadata` → `metadata.openai_chatgpt_moderation_metadata` (any JSON). */
  TurnModerationMetadata: { readonly metadata: unknown }
  /** The `x-reasoning-included` response header was present. */
  ServerReasoningIncluded: { readonly included: boolean }
  /** A rate-limit snapshot (response headers, or WebSocket `codex.rate_limits`). */
  RateLimits: { readonly snapshot: RateLimitSnapshot }
  /** The `X-Models-Etag` response header. */
  ModelsEtag: { readonly etag: string }
}>

/**
 * Constructors (`ResponseEvent.Completed({...})`), `$is` and `$match`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ResponseEvent = Data.taggedEnum<ResponseEvent>()

/**
 * The `_tag` of a {@link ResponseEvent}, e.g. `"OutputTextDelta"` or `"Completed"`.
 *
 * @since 0.1.0
 * @category models
 */
export type Tag = ResponseEvent["_tag"]
