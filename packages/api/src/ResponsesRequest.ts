/**
 * The Responses request body (`ResponsesApiRequest`), its wire form (the Codex CLI's key order and
 * key rules), the Azure item-id re-attachment and the per-call options that become headers.
 *
 * @since 0.1.0
 */
import type { Compression } from "@codex/client/Request"
import type { ReasoningContext, ReasoningEffort, ReasoningSummary, Verbosity } from "@codex/protocol/Reasoning"
import * as ResponseItem from "@codex/protocol/ResponseItem"
import * as SessionSource from "@codex/protocol/SessionSource"
import * as Headers from "@effect/platform/Headers"
import type * as Option from "effect/Option"
import type * as Ref from "effect/Ref"

/**
 * `reasoning` of the request body.
 *
 * @since 0.1.0
 * @category models
 */
export interface Reasoning {
  readonly effort?: ReasoningEffort | undefined
  readonly summary?: ReasoningSummary | undefined
  readonly context?: ReasoningContext | undefined
}

/**
 * `text.format` (always the `codex_output_schema` JSON schema format).
 *
 * @since 0.1.0
 * @category models
 */
export interface TextFormat {
  readonly type: "json_schema"
  readonly strict: boolean
  readonly schema: unknown
  readonly name: "codex_output_schema"
}

/**
 * `text` of the request body.
 *
 * @since 0.1.0
 * @category models
 */
export interface TextControls {
  readonly verbosity?: Verbosity | undefined
  readonly format?: TextFormat | undefined
}

/**
 * The body of a `POST /responses` request (model, instructions, input items, tools, reasoning and
 * text controls), in camelCase; it is encoded to the wire's snake_case JSON.
 *
 * @since 0.1.0
 * @category models
 */
export interface ResponsesApiRequest {
  readonly model: string
  /** Omitted from the body when empty. */
  readonly instructions: string
  readonly input: ReadonlyArray<ResponseItem.ResponseItem>
  readonly tools: ReadonlyArray<unknown>
  readonly toolChoice: string
  readonly parallelToolCalls: boolean
  /** Written as `null` when absent. */
  readonly reasoning?: Reasoning | undefined
  readonly store: boolean
  readonly stream: boolean
  readonly include: ReadonlyArray<string>
  readonly serviceTier?: string | undefined
  readonly promptCacheKey?: string | undefined
  readonly text?: TextControls | undefined
  readonly clientMetadata?: Readonly<Record<string, string>> | undefined
}

/**
 * Per-call options of a typed Responses request.
 *
 * @since 0.1.0
 * @category models
 */
export interface ResponsesOptions {
  /** Sent as `session-id`. */
  readonly sessionId?: string | undefined
  /** Sent as `thread-id` and `x-client-request-id`. */
  readonly threadId?: string | undefined
  /** A sub-agent source becomes `x-openai-subagent`. */
  readonly sessionSource?: SessionSource.SessionSource | undefined
  /** Caller headers; the identity headers above are set on top of them. */
  readonly extraHeaders?: Headers.Input | undefined
  readonly compression?: Compression | undefined
  /** Set from the `x-codex-turn-state` response header when still empty (first value wins). */
  readonly turnState?: Ref.Ref<Option.Option<string>> | undefined
}

/**
 * `create_text_param_for_request`: nothing when both are absent; a schema becomes the
 * `codex_output_schema` JSON-schema format.
 *
 * @since 0.1.0
 * @category constructors
 */
export const createTextParamForRequest = (
  verbosity: Verbosity | undefined,
  outputSchema: unknown,
  strict: boolean
): TextControls | undefined => {
  if (verbosity === undefined && outputSchema === undefined) return undefined
  const format: TextFormat | undefined =
    outputSchema === undefined
      ? undefined
      : { type: "json_schema", strict, schema: outputSchema, name: "codex_output_schema" }
  return { verbosity, format }
}

const reasoningToWire = (reasoning: Reasoning): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  if (reasoning.effort !== undefined) out.effort = reasoning.effort
  if (reasoning.summary !== undefined) out.summary = reasoning.summary
  if (reasoning.context !== undefined) out.context = reasoning.context
  return out
}

const textToWire = (text: TextControls): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  if (text.verbosity !== undefined) out.verbosity = text.verbosity
  if (text.format !== undefined) {
    out.format = {
      type: text.format.type,
      strict: text.format.strict,
      schema: text.format.schema,
      name: text.format.name
    }
  }
  return out
}

/**
 * The JSON body, keys in the Codex CLI's order. With `azure: true` and `store: true`, item ids are
 * re-attached.
 *
 * @since 0.1.0
 * @category encoding
 */
export const toWire = (
  request: ResponsesApiRequest,
  options: { readonly azure?: boolean | undefined } = {}
): Record<string, unknown> => {
  const attachIds = request.store && options.azure === true
  const out: Record<string, unknown> = { model: request.model }
  if (request.instructions !== "") out.instructions = request.instructions
  out.input = request.input.map(attachIds ? ResponseItem.toWireWithId : ResponseItem.toWire)
  out.tools = request.tools
  out.tool_choice = request.toolChoice
  out.parallel_tool_calls = request.parallelToolCalls
  out.reasoning = request.reasoning === undefined ? null : reasoningToWire(request.reasoning)
  out.store = request.store
  out.stream = request.stream
  out.include = request.include
  if (request.serviceTier !== undefined) out.service_tier = request.serviceTier
  if (request.promptCacheKey !== undefined) out.prompt_cache_key = request.promptCacheKey
  if (request.text !== undefined) out.text = textToWire(request.text)
  if (request.clientMetadata !== undefined) out.client_metadata = request.clientMetadata
  return out
}

/**
 * `build_session_headers`: `session-id` and `thread-id`, each only when given. Callers add them to
 * the extra headers of any endpoint (compact, realtime, ...).
 *
 * @since 0.1.0
 * @category headers
 */
export const buildSessionHeaders = (sessionId?: string | undefined, threadId?: string | undefined): Headers.Headers => {
  let out = Headers.empty
  if (sessionId !== undefined) out = Headers.set(out, "session-id", sessionId)
  if (threadId !== undefined) out = Headers.set(out, "thread-id", threadId)
  return out
}

/**
 * The request headers of a Responses call: the caller's extra headers, then `x-client-request-id`
 * (thread id), the {@link buildSessionHeaders} pair, and `x-openai-subagent` for sub-agent sessions on top.
 *
 * @since 0.1.0
 * @category headers
 */
export const buildHeaders = (options: ResponsesOptions): Headers.Headers => {
  let out = options.extraHeaders === undefined ? Headers.empty : Headers.fromInput(options.extraHeaders)
  if (options.threadId !== undefined) out = Headers.set(out, "x-client-request-id", options.threadId)
  out = Headers.merge(out, buildSessionHeaders(options.sessionId, options.threadId))
  const subagent = SessionSource.subagentHeader(options.sessionSource)
  if (subagent !== undefined) out = Headers.set(out, "x-openai-subagent", subagent)
  return out
}
