/**
 * Processing of one Responses stream event payload (the SSE `data` text, or a parsed WebSocket
 * message) into `ResponseEvent`s. Pure and synchronous: one `JSON.parse` per
 * payload, only the fields the event type needs are read, no Effect per event.
 *
 * Shared by the HTTP SSE client and the WebSocket client: create one {@link Processor} per stream
 * (it remembers the last in-body server model).
 * @internal
 */
import type { ModelVerification } from "@codex/protocol/ModelVerification"
import * as ResponseItem from "@codex/protocol/ResponseItem"
import type { TokenUsage } from "@codex/protocol/TokenUsage"
import * as Duration from "effect/Duration"
import * as ApiError from "../ApiError.js"
import { ResponseEvent } from "../ResponseEvent.js"

// Constructors are read once: `Data.taggedEnum` resolves them through a Proxy.
const Created = ResponseEvent.Created
const OutputItemAdded = ResponseEvent.OutputItemAdded
const OutputItemDone = ResponseEvent.OutputItemDone
// The hottest event gets a hand-rolled constructor building exactly what `Data.tagged` builds (same
// prototype, own keys `delta` then `_tag`) without the argument object and `Object.assign`.
const structuralPrototype: object = Object.getPrototypeOf(ResponseEvent.OutputTextDelta({ delta: "" }))
const OutputTextDelta = (args: { readonly delta: string }): ResponseEvent => {
  const event = Object.create(structuralPrototype)
  event.delta = args.delta
  event._tag = "OutputTextDelta"
  return event
}
const ToolCallInputDelta = ResponseEvent.ToolCallInputDelta
const ReasoningSummaryDelta = ResponseEvent.ReasoningSummaryDelta
const ReasoningContentDelta = ResponseEvent.ReasoningContentDelta
const ReasoningSummaryPartAdded = ResponseEvent.ReasoningSummaryPartAdded
const Completed = ResponseEvent.Completed
const ServerModel = ResponseEvent.ServerModel
const ModelVerifications = ResponseEvent.ModelVerifications
const TurnModerationMetadata = ResponseEvent.TurnModerationMetadata

/**
 * What one payload did to the stream.
 * @internal
 */
export const Outcome = {
  /** Keep reading. */
  Continue: 0,
  /** `Completed` was pushed: the stream is done. */
  Completed: 1,
  /** A terminal error was decoded (`response.failed`, `response.incomplete`, bad `response.completed`). */
  Failed: 2
} as const

/** @internal */
export type Outcome = (typeof Outcome)[keyof typeof Outcome]

/** @internal */
export interface ProcessResult {
  readonly events: Array<ResponseEvent>
  readonly error?: ApiError.ApiError | undefined
  readonly completed: boolean
}

/** @internal */
export interface Processor {
  /**
   * Processes one payload: a JSON text (SSE `data`) or an already parsed JSON value. Payloads that
   * are not a JSON object with a string `type`, or whose typed fields have the wrong JSON type, are
   * skipped (no events, no error).
   */
  process(payload: unknown): ProcessResult
  /**
   * Hot-path variant: pushes the events into `out` and returns the {@link Outcome}; on
   * `Outcome.Failed` the error is in {@link Processor.error}.
   */
  processInto(payload: unknown, out: Array<ResponseEvent>): Outcome
  /** The error of the last payload whose outcome was `Failed`. */
  readonly error: ApiError.ApiError | undefined
}

/**
 * A processor for one stream.
 * @internal
 */
export const makeProcessor = (): Processor => {
  // The last model announced from the body; starts empty, so a model already announced by the
  // response header is announced again the first time the body carries it (as the Codex CLI does).
  let lastModel: string | undefined
  let error: ApiError.ApiError | undefined

  const processInto = (payload: unknown, out: Array<ResponseEvent>): Outcome => {
    let event: unknown = payload
    if (typeof payload === "string") {
      try {
        event = JSON.parse(payload)
      } catch {
        return Outcome.Continue
      }
    }
    if (typeof event !== "object" || event === null || Array.isArray(event)) return Outcome.Continue
    const ev = event as Record<string, unknown>
    const type = ev.type
    if (typeof type !== "string") return Outcome.Continue
    // Typed fields: a wrong JSON type (null counts as absent) skips the whole event.
    const delta = ev.delta
    if (delta != null && typeof delta !== "string") return Outcome.Continue
    const itemId = ev.item_id
    if (itemId != null && typeof itemId !== "string") return Outcome.Continue
    const callId = ev.call_id
    if (callId != null && typeof callId !== "string") return Outcome.Continue
    const summaryIndex = ev.summary_index
    if (summaryIndex != null && !isInteger(summaryIndex)) return Outcome.Continue
    const contentIndex = ev.content_index
    if (contentIndex != null && !isInteger(contentIndex)) return Outcome.Continue
    const response = ev.response

    // Side channels, before the type dispatch.
    const model = responseModel(ev)
    if (model !== undefined && model !== lastModel) {
      lastModel = model
      out.push(ServerModel({ model }))
    }
    if (type === "response.metadata") {
      const metadata = ev.metadata
      if (isObject(metadata)) {
        const verifications = modelVerifications(metadata)
        if (verifications !== undefined) out.push(ModelVerifications({ verifications }))
        const moderation = metadata.openai_chatgpt_moderation_metadata
        if (moderation !== undefined) out.push(TurnModerationMetadata({ metadata: moderation }))
      }
      return Outcome.Continue
    }

    switch (type) {
      case "response.output_text.delta": {
        if (typeof delta === "string") out.push(OutputTextDelta({ delta }))
        return Outcome.Continue
      }
      case "response.created": {
        if (response != null) out.push(Created())
        return Outcome.Continue
      }
      case "response.output_item.added":
      case "response.output_item.done": {
        const item = ev.item
        if (item == null) return Outcome.Continue
        const decoded = ResponseItem.fromWire(item)
        if (decoded === undefined) return Outcome.Continue
        out.push(
          type === "response.output_item.done" ? OutputItemDone({ item: decoded }) : OutputItemAdded({ item: decoded })
        )
        return Outcome.Continue
      }
      case "response.custom_tool_call_input.delta": {
        if (typeof delta !== "string") return Outcome.Continue
        const id = typeof itemId === "string" ? itemId : typeof callId === "string" ? callId : undefined
        if (id === undefined) return Outcome.Continue
        out.push(
          typeof callId === "string"
            ? ToolCallInputDelta({ itemId: id, callId, delta })
            : ToolCallInputDelta({ itemId: id, delta })
        )
        return Outcome.Continue
      }
      case "response.reasoning_summary_text.delta": {
        if (typeof delta === "string" && typeof summaryIndex === "number") {
          out.push(ReasoningSummaryDelta({ delta, summaryIndex }))
        }
        return Outcome.Continue
      }
      case "response.reasoning_text.delta": {
        if (typeof delta === "string" && typeof contentIndex === "number") {
          out.push(ReasoningContentDelta({ delta, contentIndex }))
        }
        return Outcome.Continue
      }
      case "response.reasoning_summary_part.added": {
        if (typeof summaryIndex === "number") out.push(ReasoningSummaryPartAdded({ summaryIndex }))
        return Outcome.Continue
      }
      case "response.completed": {
        if (response == null) return Outcome.Continue
        const parsed = parseCompleted(response)
        if (typeof parsed === "string") {
          error = ApiError.stream(`failed to parse ResponseCompleted: ${parsed}`)
          return Outcome.Failed
        }
        out.push(parsed)
        return Outcome.Completed
      }
      case "response.failed": {
        error = classifyFailed(response)
        return Outcome.Failed
      }
      case "response.incomplete": {
        error = ApiError.stream(`Incomplete response returned, reason: ${incompleteReason(response)}`)
        return Outcome.Failed
      }
      default:
        return Outcome.Continue
    }
  }

  return {
    processInto,
    process(payload) {
      const events: Array<ResponseEvent> = []
      const outcome = processInto(payload, events)
      return outcome === Outcome.Failed
        ? { events, error, completed: false }
        : { events, completed: outcome === Outcome.Completed }
    },
    get error() {
      return error
    }
  }
}

const isInteger = (u: unknown): u is number => typeof u === "number" && Number.isInteger(u)

/** @internal */
export const isObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * The server model of an event: `response.headers` first, then top-level `headers`.
 * @internal
 */
export const responseModel = (event: Record<string, unknown>): string | undefined => {
  const response = event.response
  if (isObject(response)) {
    const fromResponse = modelFromHeaders(response.headers)
    if (fromResponse !== undefined) return fromResponse
  }
  return modelFromHeaders(event.headers)
}

const modelFromHeaders = (headers: unknown): string | undefined => {
  if (!isObject(headers)) return undefined
  for (const key in headers) {
    const lower = key.toLowerCase()
    if (lower !== "openai-model" && lower !== "x-openai-model") continue
    const value = headers[key]
    if (typeof value === "string") return value
    if (Array.isArray(value) && typeof value[0] === "string") return value[0]
  }
  return undefined
}

/**
 * `metadata.openai_verification_recommendation`: known values only, de-duplicated in order;
 * `undefined` when nothing is left.
 * @internal
 */
export const modelVerifications = (metadata: Record<string, unknown>): ReadonlyArray<ModelVerification> | undefined => {
  const raw = metadata.openai_verification_recommendation
  if (!Array.isArray(raw)) return undefined
  const out: Array<ModelVerification> = []
  for (const entry of raw) {
    if (entry === "trusted_access_for_cyber" && !out.includes(entry)) out.push(entry)
  }
  return out.length === 0 ? undefined : out
}

const describe = (u: unknown): string => {
  if (u === null) return "null"
  if (Array.isArray(u)) return "a sequence"
  switch (typeof u) {
    case "string":
      return `string ${JSON.stringify(u)}`
    case "number":
      return Number.isInteger(u) ? `integer \`${u}\`` : `floating point \`${u}\``
    case "boolean":
      return `boolean \`${u}\``
    case "object":
      return "a map"
    default:
      return typeof u
  }
}

const requireInt = (obj: Record<string, unknown>, key: string): number | string => {
  const value = obj[key]
  if (value === undefined) return `missing field \`${key}\``
  return isInteger(value) ? value : `invalid type: ${describe(value)}, expected i64`
}

/**
 * Parses the `response` of `response.completed`; a string is the parse error (serde-like text).
 * @internal
 */
export const parseCompleted = (response: unknown): ResponseEvent | string => {
  if (!isObject(response)) return `invalid type: ${describe(response)}, expected struct ResponseCompleted`
  const id = response.id
  if (id === undefined) return "missing field `id`"
  if (typeof id !== "string") return `invalid type: ${describe(id)}, expected a string`
  const endTurn = response.end_turn
  if (endTurn != null && typeof endTurn !== "boolean") return `invalid type: ${describe(endTurn)}, expected a boolean`
  const usage = response.usage
  let tokenUsage: TokenUsage | undefined
  if (usage != null) {
    const parsed = parseUsage(usage)
    if (typeof parsed === "string") return parsed
    tokenUsage = parsed
  }
  if (tokenUsage === undefined) {
    return typeof endTurn === "boolean" ? Completed({ responseId: id, endTurn }) : Completed({ responseId: id })
  }
  return typeof endTurn === "boolean"
    ? Completed({ responseId: id, tokenUsage, endTurn })
    : Completed({ responseId: id, tokenUsage })
}

const parseDetail = (details: unknown, key: string): number | string => {
  if (details == null) return 0
  if (!isObject(details)) return `invalid type: ${describe(details)}, expected struct`
  return requireInt(details, key)
}

const parseUsage = (usage: unknown): TokenUsage | string => {
  if (!isObject(usage)) return `invalid type: ${describe(usage)}, expected struct ResponseCompletedUsage`
  const input = requireInt(usage, "input_tokens")
  if (typeof input === "string") return input
  const cached = parseDetail(usage.input_tokens_details, "cached_tokens")
  if (typeof cached === "string") return cached
  const output = requireInt(usage, "output_tokens")
  if (typeof output === "string") return output
  const reasoning = parseDetail(usage.output_tokens_details, "reasoning_tokens")
  if (typeof reasoning === "string") return reasoning
  const total = requireInt(usage, "total_tokens")
  if (typeof total === "string") return total
  return {
    input_tokens: input,
    cached_input_tokens: cached,
    output_tokens: output,
    reasoning_output_tokens: reasoning,
    total_tokens: total
  }
}

const incompleteReason = (response: unknown): string => {
  if (!isObject(response)) return "unknown"
  const details = response.incomplete_details
  if (!isObject(details)) return "unknown"
  return typeof details.reason === "string" ? details.reason : "unknown"
}

const optionalString = (obj: Record<string, unknown>, key: string): string | undefined | false => {
  const value = obj[key]
  if (value == null) return undefined
  return typeof value === "string" ? value : false
}

const cyberPolicyFallback = "This request has been flagged for possible cybersecurity risk."

/**
 * Classifies `response.failed`.
 * @internal
 */
export const classifyFailed = (response: unknown): ApiError.ApiError => {
  const fallback = ApiError.stream("response.failed event received")
  if (!isObject(response)) return fallback
  const error = response.error
  if (!isObject(error)) return fallback
  // `{type?, code?, message?, plan_type?, resets_at?}`: a wrong type anywhere means "does not parse".
  const code = optionalString(error, "code")
  const message = optionalString(error, "message")
  if (code === false || message === false) return fallback
  if (optionalString(error, "type") === false || optionalString(error, "plan_type") === false) return fallback
  const resetsAt = error.resets_at
  if (resetsAt != null && !isInteger(resetsAt)) return fallback
  // The reference drops `error.message` for these; we keep it beside the fixed display string.
  const said: ApiError.ServerSaid = message === undefined || message.trim() === "" ? {} : { serverMessage: message }
  switch (code) {
    case "context_length_exceeded":
      return new ApiError.ContextWindowExceeded(said)
    case "insufficient_quota":
      return new ApiError.QuotaExceeded(said)
    case "usage_not_included":
      return new ApiError.UsageNotIncluded(said)
    case "cyber_policy": {
      const reason = message === undefined || message.trim() === "" ? cyberPolicyFallback : message
      return new ApiError.CyberPolicy({ reason })
    }
    case "invalid_prompt":
      return new ApiError.InvalidRequest({ reason: message ?? "Invalid request." })
    case "server_is_overloaded":
    case "slow_down":
      return new ApiError.ServerOverloaded(said)
    default: {
      const reason = message ?? ""
      const delay = code === "rate_limit_exceeded" ? tryParseRetryAfter(reason) : undefined
      return delay === undefined ? new ApiError.Retryable({ reason }) : new ApiError.Retryable({ reason, delay })
    }
  }
}

const retryAfterPattern = /try again in\s*(\d+(?:\.\d+)?)\s*(s|ms|seconds?)/i

/**
 * The delay in a rate-limit message (`try again in 11.054s`, `28ms`, `35 seconds`).
 * @internal
 */
export const tryParseRetryAfter = (message: string): Duration.Duration | undefined => {
  const match = retryAfterPattern.exec(message)
  if (match === null) return undefined
  const value = Number(match[1])
  if (!Number.isFinite(value)) return undefined
  return match[2]?.toLowerCase() === "ms" ? Duration.millis(Math.trunc(value)) : Duration.seconds(value)
}
