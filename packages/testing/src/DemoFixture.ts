/**
 * The demo conversation played by the CLI's demo mode (no API key, no base URL) and the examples:
 * a short streamed answer with reasoning summary deltas, the final message item, `response.completed`
 * with usage, and response headers carrying rate-limit windows and a request id.
 *
 * @since 0.1.0
 */
import * as Fixture from "./Fixture.js"
import type { Defaults, Scripted, SseEvent } from "./Fixture.js"

/**
 * The response id of the demo conversation.
 *
 * @since 0.1.0
 * @category constants
 */
export const responseId = "resp_demo_0001"

/**
 * The model name the demo conversation reports.
 *
 * @since 0.1.0
 * @category constants
 */
export const model = "gpt-5-codex-demo"

const textDeltas: ReadonlyArray<string> = [
  "Hello! ",
  "This answer was streamed ",
  "by the local @codex/testing server, ",
  "one `response.output_text.delta` event at a time. ",
  "Set OPENAI_API_KEY to talk to the real API."
]

/**
 * The full answer text (the concatenated deltas).
 *
 * @since 0.1.0
 * @category constants
 */
export const answer: string = textDeltas.join("")

/**
 * The token usage the demo conversation reports.
 *
 * @since 0.1.0
 * @category constants
 */
export const usage: Fixture.Usage = { input: 42, cached: 8, output: 37, reasoning: 12 }

/**
 * The SSE events of the demo conversation, in order.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const events: ReadonlyArray<SseEvent> = [
  Fixture.created(responseId),
  Fixture.reasoningSummaryPartAdded(0),
  Fixture.reasoningSummaryDelta("Greeting the user ", 0),
  Fixture.reasoningSummaryDelta("and explaining demo mode.", 0),
  { type: "response.in_progress", response: { id: responseId } },
  ...textDeltas.map(Fixture.outputTextDelta),
  Fixture.outputItemDone(Fixture.assistantMessage(answer, "msg_demo_0001")),
  Fixture.completed(responseId, usage, true)
]

/**
 * Rate-limit headers of the demo (primary 5-hour window at 23.5 %, secondary weekly window at 61 %),
 * with resets one hour / three days from `now` (unix seconds).
 *
 * @since 0.1.0
 * @category fixtures
 */
export const headers = (now: number = Math.floor(Date.now() / 1000)): Record<string, string> => ({
  "openai-model": model,
  "x-codex-primary-used-percent": "23.5",
  "x-codex-primary-window-minutes": "300",
  "x-codex-primary-reset-at": String(now + 3600),
  "x-codex-secondary-used-percent": "61",
  "x-codex-secondary-window-minutes": "10080",
  "x-codex-secondary-reset-at": String(now + 3 * 86400)
})

/**
 * The same windows as a WebSocket `codex.rate_limits` event (the HTTP decoder ignores it).
 *
 * @since 0.1.0
 * @category fixtures
 */
export const rateLimitsEvent = (now: number = Math.floor(Date.now() / 1000)): SseEvent => ({
  type: "codex.rate_limits",
  plan_type: "pro",
  rate_limits: {
    primary: { used_percent: 23.5, window_minutes: 300, reset_at: now + 3600 },
    secondary: { used_percent: 61, window_minutes: 10080, reset_at: now + 3 * 86400 }
  }
})

/**
 * Headers of the demo WebSocket upgrade response.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const websocketHeaders: Readonly<Record<string, string>> = { "openai-model": model }

/**
 * The demo streamed response (one chunk per event; `chunkDelayMs` makes the streaming visible).
 * Over HTTP the rate limits come from the headers, over WebSocket from a `codex.rate_limits` event.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const responses = (options: { readonly chunkDelayMs?: number } = {}): Scripted => {
  const now = Math.floor(Date.now() / 1000)
  return {
    headers: { ...headers(now), "x-request-id": "req_demo_0001" },
    events: [rateLimitsEvent(now), ...events],
    chunkDelayMs: options.chunkDelayMs ?? 0
  }
}

/**
 * The demo `/responses/compact` reply: one compaction item.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const compact: Scripted = {
  headers: { "x-request-id": "req_demo_compact" },
  json: { output: [{ type: "compaction", encrypted_content: "ZGVtbyBjb21wYWN0aW9uIHN1bW1hcnk=" }] }
}

/**
 * The demo `/models` reply.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const models: Scripted = {
  headers: { etag: '"demo-models-1"', "x-request-id": "req_demo_models" },
  json: {
    models: [
      {
        slug: model,
        display_name: "GPT-5 Codex (demo)",
        description: "Served by the local @codex/testing server",
        supported_reasoning_levels: [{ effort: "medium", description: "Balanced" }],
        shell_type: "default",
        visibility: "list",
        supported_in_api: true,
        priority: 1,
        availability_nux: null,
        upgrade: null,
        base_instructions: "",
        supports_reasoning_summaries: true,
        support_verbosity: false,
        default_verbosity: null,
        apply_patch_tool_type: null,
        truncation_policy: { mode: "tokens", limit: 10000 },
        supports_parallel_tool_calls: true,
        experimental_supported_tools: []
      }
    ]
  }
}

/**
 * Defaults for every demo route, for `ResponsesServer.make({ defaults: DemoFixture.defaults() })`.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const defaults = (options: { readonly chunkDelayMs?: number } = {}): Defaults => ({
  "/responses": responses(options),
  "/responses/compact": compact,
  "/models": models
})
