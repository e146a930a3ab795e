/**
 * Fixture helpers: build Responses SSE events, turn events into SSE text and back, and describe
 * scripted responses (status, headers, body, faults) for {@link ResponsesServer} and
 * {@link InMemoryTransport}.
 *
 * @since 0.1.0
 */
import type * as ApiError from "@codex/api/ApiError"
import type { ResponseEvent } from "@codex/api/ResponseEvent"
import * as ResponsesFixture from "@codex/api/ResponsesFixture"
import type * as Stream from "effect/Stream"
import { encodeSse } from "./internal/sse.js"

/**
 * A piece of SSE text written verbatim (for malformed events, comments, missing blank lines...).
 *
 * @since 0.1.0
 * @category models
 */
export interface Raw {
  readonly _tag: "Raw"
  readonly text: string
}

/**
 * An SSE event: a JSON payload (written as `event: <type>` + `data: <json>` + blank line) or raw text.
 *
 * @since 0.1.0
 * @category models
 */
export type SseEvent = Raw | { readonly type: string; readonly [key: string]: unknown }

/**
 * One scripted HTTP response with optional fault injection. Exactly one of `events`, `sse`, `json`
 * or `body` gives the body (none = empty body).
 *
 * @since 0.1.0
 * @category models
 */
export interface Scripted {
  /** Default 200. */
  readonly status?: number | undefined
  /** Extra response headers (an `x-request-id` is generated when absent). */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Sets the `retry-after` header (seconds, or an HTTP date). */
  readonly retryAfter?: string | number | undefined
  /** SSE events; the body is their SSE text with `content-type: text/event-stream`. */
  readonly events?: ReadonlyArray<SseEvent> | undefined
  /** Raw SSE text (`content-type: text/event-stream`). */
  readonly sse?: string | undefined
  /** A JSON body (`content-type: application/json`). */
  readonly json?: unknown
  /** A raw body (`content-type: text/plain` unless given in `headers`). */
  readonly body?: string | Uint8Array | undefined
  /** Wait before sending the status line and headers. */
  readonly headersDelayMs?: number | undefined
  /** Split the body into chunks of this many bytes (1 = byte by byte). Default: one chunk per SSE event. */
  readonly chunkSize?: number | undefined
  /** Wait between two body chunks. */
  readonly chunkDelayMs?: number | undefined
  /** Cut the connection after this many body bytes (a drop mid-stream). */
  readonly dropAfterBytes?: number | undefined
  /** After the body (or after `stallAfterBytes` bytes), keep the connection open and send nothing. */
  readonly stall?: boolean | undefined
  /** With `stall`: stop sending after this many body bytes. */
  readonly stallAfterBytes?: number | undefined
}

/**
 * Scripted responses by route (`/responses`, `/responses/compact`, `/models`, or any other path
 * relative to the base URL), consumed in order.
 *
 * @since 0.1.0
 * @category models
 */
export type Script = Readonly<Record<string, ReadonlyArray<Scripted>>>

/**
 * Responses used for a route once its script is exhausted (repeated for every request).
 *
 * @since 0.1.0
 * @category models
 */
export type Defaults = Readonly<Record<string, Scripted>>

/**
 * Raw SSE text sent as is, for malformed or hand-written streams.
 *
 * @since 0.1.0
 * @category constructors
 */
export const raw = (text: string): Raw => ({ _tag: "Raw", text })

/**
 * A `data:` payload that is not JSON (decoders skip it).
 *
 * @since 0.1.0
 * @category faults
 */
export const malformedEvent = (text = "{not json"): Raw => raw(`event: response.output_text.delta\ndata: ${text}\n\n`)

/**
 * SSE text of the events: `event: <type>\ndata: <compact JSON>\n\n` per JSON event, raw text verbatim.
 *
 * @since 0.1.0
 * @category sse
 */
export const toSse = (events: ReadonlyArray<SseEvent>): string => encodeSse(events)

/**
 * The JSON payloads of an SSE text, in order (events without `data` are skipped; a `data` that is not
 * JSON is returned as its string).
 *
 * @since 0.1.0
 * @category sse
 */
export const fromSse = (text: string): ReadonlyArray<unknown> => {
  const out: Array<unknown> = []
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  let data: Array<string> = []
  const dispatch = () => {
    if (data.length === 0) return
    const payload = data.join("\n")
    data = []
    try {
      out.push(JSON.parse(payload))
    } catch {
      out.push(payload)
    }
  }
  for (const line of body.split(/\r\n|\r|\n/)) {
    if (line === "") {
      dispatch()
      continue
    }
    if (line.startsWith(":")) continue
    const colon = line.indexOf(":")
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? "" : line.slice(colon + 1)
    if (value.startsWith(" ")) value = value.slice(1)
    if (field === "data") data.push(value)
  }
  dispatch()
  return out
}

/**
 * Decodes fixture events into `ResponseEvent`s offline, with the same decoder as the HTTP client
 * (`@codex/api`'s `streamFromFixture`; no header events since there is no HTTP response).
 *
 * @since 0.1.0
 * @category sse
 */
export const toResponseEvents = (
  events: ReadonlyArray<SseEvent>,
  options?: ResponsesFixture.FixtureOptions
): Stream.Stream<ResponseEvent, ApiError.ApiError> => ResponsesFixture.streamFromFixture(toSse(events), options)

// -----------------------------------------------------------------------------
// Event constructors (wire shapes of spec section 3)
// -----------------------------------------------------------------------------

/**
 * A `response.created` event with the given response id (default `resp_1`).
 *
 * @since 0.1.0
 * @category events
 */
export const created = (id = "resp_1"): SseEvent => ({ type: "response.created", response: { id } })

/**
 * A `response.output_text.delta` event carrying a piece of the answer text.
 *
 * @since 0.1.0
 * @category events
 */
export const outputTextDelta = (delta: string): SseEvent => ({ type: "response.output_text.delta", delta })

/**
 * A `response.reasoning_summary_part.added` event starting a reasoning summary part.
 *
 * @since 0.1.0
 * @category events
 */
export const reasoningSummaryPartAdded = (summaryIndex = 0): SseEvent => ({
  type: "response.reasoning_summary_part.added",
  summary_index: summaryIndex
})

/**
 * A `response.reasoning_summary_text.delta` event carrying a piece of a reasoning summary.
 *
 * @since 0.1.0
 * @category events
 */
export const reasoningSummaryDelta = (delta: string, summaryIndex = 0): SseEvent => ({
  type: "response.reasoning_summary_text.delta",
  delta,
  summary_index: summaryIndex
})

/**
 * An assistant `message` item with one `output_text` part.
 *
 * @since 0.1.0
 * @category items
 */
export const assistantMessage = (text: string, id = "msg_1") => ({
  type: "message",
  id,
  role: "assistant",
  content: [{ type: "output_text", text }],
  phase: "final_answer"
})

/**
 * A `function_call` item (`arguments` is JSON text).
 *
 * @since 0.1.0
 * @category items
 */
export const functionCall = (name: string, args: unknown, callId = "call_1") => ({
  type: "function_call",
  id: `fc_${callId}`,
  name,
  arguments: JSON.stringify(args),
  call_id: callId
})

/**
 * A `response.output_item.added` event for the given item.
 *
 * @since 0.1.0
 * @category events
 */
export const outputItemAdded = (item: unknown): SseEvent => ({ type: "response.output_item.added", item })

/**
 * A `response.output_item.done` event for the given (finished) item.
 *
 * @since 0.1.0
 * @category events
 */
export const outputItemDone = (item: unknown): SseEvent => ({ type: "response.output_item.done", item })

/**
 * Wire usage object (`input_tokens_details.cached_tokens`, `output_tokens_details.reasoning_tokens`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Usage {
  readonly input: number
  readonly cached?: number | undefined
  readonly output: number
  readonly reasoning?: number | undefined
}

/**
 * `response.completed` with an optional usage (total = input + output).
 *
 * @since 0.1.0
 * @category events
 */
export const completed = (id = "resp_1", usage?: Usage, endTurn?: boolean): SseEvent => {
  const response: Record<string, unknown> = { id }
  if (usage !== undefined) {
    response.usage = {
      input_tokens: usage.input,
      input_tokens_details: { cached_tokens: usage.cached ?? 0 },
      output_tokens: usage.output,
      output_tokens_details: { reasoning_tokens: usage.reasoning ?? 0 },
      total_tokens: usage.input + usage.output
    }
  }
  if (endTurn !== undefined) response.end_turn = endTurn
  return { type: "response.completed", response }
}

/**
 * `response.failed` with `response.error = {code, message}`.
 *
 * @since 0.1.0
 * @category events
 */
export const failed = (error: { readonly code?: string; readonly message?: string }, id = "resp_1"): SseEvent => ({
  type: "response.failed",
  response: { id, error }
})

/**
 * `response.incomplete` with `incomplete_details.reason`.
 *
 * @since 0.1.0
 * @category events
 */
export const incomplete = (reason: string, id = "resp_1"): SseEvent => ({
  type: "response.incomplete",
  response: { id, incomplete_details: { reason } }
})

/**
 * A complete text answer: created, the deltas, the message item, completed.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const textAnswer = (
  deltas: ReadonlyArray<string>,
  options: { readonly id?: string; readonly usage?: Usage } = {}
): ReadonlyArray<SseEvent> => {
  const id = options.id ?? "resp_1"
  return [
    created(id),
    ...deltas.map(outputTextDelta),
    outputItemDone(assistantMessage(deltas.join(""))),
    completed(id, options.usage ?? { input: 12, output: deltas.length })
  ]
}

/**
 * A turn that ends with one function call (the caller answers it with a `function_call_output`).
 *
 * @since 0.1.0
 * @category fixtures
 */
export const functionCallTurn = (
  name: string,
  args: unknown,
  options: { readonly id?: string; readonly callId?: string } = {}
): ReadonlyArray<SseEvent> => {
  const id = options.id ?? "resp_1"
  const item = functionCall(name, args, options.callId ?? "call_1")
  return [created(id), outputItemAdded(item), outputItemDone(item), completed(id, { input: 20, output: 8 })]
}
