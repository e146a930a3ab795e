/**
 * `ResponseEvent`s → `@effect/ai` stream parts, and stream parts → the parts of a whole response.
 *
 * Text and reasoning arrive as deltas and become `*-start` / `*-delta` / `*-end` blocks (a message
 * or reasoning item that arrives whole, without deltas, becomes one block); `function_call` items
 * become `tool-call` parts; `response.completed` becomes a `response-metadata` part (response id,
 * server model, request id, rate-limit snapshots) followed by the `finish` part (reason and usage).
 * @internal
 */
import type * as ApiError from "@codex/api/ApiError"
import type { RateLimitSnapshot } from "@codex/api/RateLimits"
import type { ResponseEvent } from "@codex/api/ResponseEvent"
import type * as ResponseItem from "@codex/protocol/ResponseItem"
import type { TokenUsage } from "@codex/protocol/TokenUsage"
import * as AiError from "@effect/ai/AiError"
import type * as Response from "@effect/ai/Response"
import * as Tool from "@effect/ai/Tool"
import { moduleName } from "./errors.js"

/** What the mapper knows about the request before the first event. */
export interface MapperOptions {
  /** The requested model (reported when the server does not name the model it used). */
  readonly model: string
  /** `x-request-id` of the response. */
  readonly requestId: string | undefined
  readonly method: string
}

/** @internal */
export interface Mapper {
  /** Appends the parts of one event to `out`; returns an error when the event cannot be mapped. */
  readonly push: (event: ResponseEvent, out: Array<Response.StreamPartEncoded>) => AiError.AiError | undefined
  /**
   * Ends a response the server cut short (`response.incomplete`): closes the open blocks and
   * appends the finish part. Returns false when `error` is not an incomplete response.
   */
  readonly pushIncomplete: (error: ApiError.ApiError, out: Array<Response.StreamPartEncoded>) => boolean
}

// The Responses client reports `response.incomplete` as a `Stream` error with this prefix.
const incompletePrefix = "Incomplete response returned, reason: "

const incompleteFinishReason = (reason: string): Response.FinishReason => {
  switch (reason) {
    case "max_output_tokens":
      return "length"
    case "content_filter":
      return "content-filter"
    default:
      return "other"
  }
}

const usageOf = (usage: TokenUsage | undefined): typeof Response.Usage.Encoded =>
  usage === undefined
    ? { inputTokens: undefined, outputTokens: undefined, totalTokens: undefined }
    : {
        inputTokens: usage.input_tokens,
        outputTokens: usage.output_tokens,
        totalTokens: usage.total_tokens,
        reasoningTokens: usage.reasoning_output_tokens,
        cachedInputTokens: usage.cached_input_tokens
      }

const messageText = (item: ResponseItem.Message): string => {
  let text = ""
  for (const content of item.content) if (content.type === "output_text") text += content.text
  return text
}

const reasoningText = (item: ResponseItem.Reasoning): string => {
  const summary = item.summary.map((part) => part.text)
  const texts = summary.length > 0 ? summary : (item.content ?? []).map((part) => part.text)
  return texts.join("\n\n")
}

/**
 * One mapper per response stream (it tracks the open text and reasoning blocks).
 * @internal
 */
export const makeMapper = (options: MapperOptions): Mapper => {
  let counter = 0
  const nextId = (prefix: string) => `${prefix}_${++counter}`

  // Text: the block being streamed, the id announced by `output_item.added`, and whether the
  // current message streamed any delta (else its `output_item.done` carries the whole text).
  let textId: string | undefined
  let messageId: string | undefined
  let messageStreamed = false
  // Reasoning: the open block, its summary/content index, the item's id base.
  let reasoningId: string | undefined
  let reasoningIndex: string | undefined
  let reasoningBase: string | undefined
  let reasoningStreamed = false

  let hasToolCalls = false
  let serverModel: string | undefined
  const rateLimits: Array<RateLimitSnapshot> = []

  const closeText = (out: Array<Response.StreamPartEncoded>) => {
    if (textId === undefined) return
    out.push({ type: "text-end", id: textId })
    textId = undefined
  }
  const closeReasoning = (out: Array<Response.StreamPartEncoded>) => {
    if (reasoningId === undefined) return
    out.push({ type: "reasoning-end", id: reasoningId })
    reasoningId = undefined
    reasoningIndex = undefined
  }
  const wholeBlock = (kind: "text" | "reasoning", id: string, text: string, out: Array<Response.StreamPartEncoded>) => {
    out.push({ type: `${kind}-start`, id }, { type: `${kind}-delta`, id, delta: text }, { type: `${kind}-end`, id })
  }
  const reasoningDelta = (index: string, delta: string, out: Array<Response.StreamPartEncoded>) => {
    if (reasoningId !== undefined && reasoningIndex !== index) closeReasoning(out)
    if (reasoningId === undefined) {
      reasoningBase ??= nextId("reasoning")
      reasoningId = `${reasoningBase}:${index}`
      reasoningIndex = index
      out.push({ type: "reasoning-start", id: reasoningId })
    }
    reasoningStreamed = true
    out.push({ type: "reasoning-delta", id: reasoningId, delta })
  }
  const finish = (
    reason: Response.FinishReason,
    usage: TokenUsage | undefined,
    responseId: string | undefined,
    endTurn: boolean | undefined,
    out: Array<Response.StreamPartEncoded>
  ) => {
    closeText(out)
    closeReasoning(out)
    const codex = {
      rateLimits,
      ...(serverModel === undefined ? {} : { serverModel }),
      ...(options.requestId === undefined ? {} : { requestId: options.requestId })
    }
    out.push({
      type: "response-metadata",
      ...(responseId === undefined ? {} : { id: responseId }),
      modelId: serverModel ?? options.model,
      metadata: { codex }
    })
    out.push({
      type: "finish",
      reason,
      usage: usageOf(usage),
      ...(endTurn === undefined ? {} : { metadata: { codex: { endTurn } } })
    })
  }

  const itemDone = (
    item: ResponseItem.ResponseItem,
    out: Array<Response.StreamPartEncoded>
  ): AiError.AiError | undefined => {
    switch (item.type) {
      case "message": {
        if (textId !== undefined) closeText(out)
        else if (!messageStreamed && item.role === "assistant") {
          const text = messageText(item)
          if (text !== "") wholeBlock("text", item.id ?? messageId ?? nextId("text"), text, out)
        }
        messageId = undefined
        messageStreamed = false
        return undefined
      }
      case "reasoning": {
        if (reasoningId !== undefined) closeReasoning(out)
        else if (!reasoningStreamed) {
          const text = reasoningText(item)
          if (text !== "") wholeBlock("reasoning", item.id ?? reasoningBase ?? nextId("reasoning"), text, out)
        }
        reasoningBase = undefined
        reasoningStreamed = false
        return undefined
      }
      case "function_call": {
        let params: unknown
        try {
          params = Tool.unsafeSecureJsonParse(item.arguments === "" ? "{}" : item.arguments)
        } catch (cause) {
          return new AiError.MalformedOutput({
            module: moduleName,
            method: options.method,
            description: `the arguments of the call to tool '${item.name}' are not valid JSON: ${item.arguments}`,
            cause
          })
        }
        hasToolCalls = true
        out.push({
          type: "tool-call",
          id: item.call_id,
          name: item.name,
          params,
          ...(item.id === undefined ? {} : { metadata: { codex: { itemId: item.id } } })
        })
        return undefined
      }
      default:
        return undefined
    }
  }

  return {
    push(event, out) {
      switch (event._tag) {
        case "OutputTextDelta": {
          if (textId === undefined) {
            textId = messageId ?? nextId("text")
            messageId = undefined
            out.push({ type: "text-start", id: textId })
          }
          messageStreamed = true
          out.push({ type: "text-delta", id: textId, delta: event.delta })
          return undefined
        }
        case "ReasoningSummaryDelta":
          reasoningDelta(`${event.summaryIndex}`, event.delta, out)
          return undefined
        case "ReasoningContentDelta":
          reasoningDelta(`content-${event.contentIndex}`, event.delta, out)
          return undefined
        case "ReasoningSummaryPartAdded":
          if (reasoningId !== undefined && reasoningIndex !== `${event.summaryIndex}`) closeReasoning(out)
          return undefined
        case "OutputItemAdded": {
          const item = event.item
          if (item.type === "message") {
            closeText(out)
            messageId = item.id
            messageStreamed = false
          } else if (item.type === "reasoning") {
            closeReasoning(out)
            reasoningBase = item.id
            reasoningStreamed = false
          }
          return undefined
        }
        case "OutputItemDone":
          return itemDone(event.item, out)
        case "Completed":
          finish(hasToolCalls ? "tool-calls" : "stop", event.tokenUsage, event.responseId, event.endTurn, out)
          return undefined
        case "ServerModel":
          serverModel = event.model
          return undefined
        case "RateLimits":
          rateLimits.push(event.snapshot)
          return undefined
        default:
          return undefined
      }
    },
    pushIncomplete(error, out) {
      if (error._tag !== "Stream" || !error.reason.startsWith(incompletePrefix)) return false
      const reason = incompleteFinishReason(error.reason.slice(incompletePrefix.length))
      finish(reason, undefined, undefined, undefined, out)
      return true
    }
  }
}

const blockKind = (type: string): "text" | "reasoning" => (type.startsWith("text") ? "text" : "reasoning")

/**
 * The parts of a whole response from its stream parts: each text / reasoning block becomes one
 * part at the position of its end.
 * @internal
 */
export const collectParts = (parts: Iterable<Response.StreamPartEncoded>): Array<Response.PartEncoded> => {
  const out: Array<Response.PartEncoded> = []
  // Open blocks by kind and id ("text:msg_1", "reasoning:rs_1:0").
  const blocks = new Map<string, string>()
  for (const part of parts) {
    switch (part.type) {
      case "text-start":
      case "reasoning-start":
        blocks.set(`${blockKind(part.type)}:${part.id}`, "")
        break
      case "text-delta":
      case "reasoning-delta": {
        const key = `${blockKind(part.type)}:${part.id}`
        blocks.set(key, (blocks.get(key) ?? "") + part.delta)
        break
      }
      case "text-end":
      case "reasoning-end": {
        const kind = blockKind(part.type)
        const key = `${kind}:${part.id}`
        out.push({ type: kind, text: blocks.get(key) ?? "" })
        blocks.delete(key)
        break
      }
      case "tool-call":
      case "response-metadata":
      case "finish":
        out.push(part)
        break
      default:
        break
    }
  }
  return out
}
