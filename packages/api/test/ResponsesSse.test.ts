import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import type * as ApiError from "../src/ApiError.js"
import { makeProcessor, responseModel, tryParseRetryAfter } from "../src/internal/responsesEvents.js"
import type { ResponseEvent } from "../src/ResponseEvent.js"
import { sseFixture, streamFromFixture } from "../src/ResponsesFixture.js"

// Counterparts of codex-api/src/sse/responses.rs unit tests (spec 7.5, tests 15–41).

const message = (text: string, phase?: string) => ({
  type: "response.output_item.done",
  item: {
    type: "message",
    role: "assistant",
    content: [{ type: "output_text", text }],
    ...(phase === undefined ? {} : { phase })
  }
})
const completed = (id = "resp1", extra: Record<string, unknown> = {}) => ({
  type: "response.completed",
  response: { id, ...extra }
})
const zeroUsage = {
  input_tokens: 0,
  input_tokens_details: null,
  output_tokens: 0,
  output_tokens_details: null,
  total_tokens: 0
}

/** Collects events until the stream ends; the error (if any) is returned separately. */
const run = (events: ReadonlyArray<unknown>, options?: Parameters<typeof streamFromFixture>[1]) =>
  collect(streamFromFixture(sseFixture(events), options))

const collect = (stream: Stream.Stream<ResponseEvent, ApiError.ApiError>) =>
  Effect.gen(function* () {
    const out: Array<ResponseEvent> = []
    const result = yield* stream.pipe(
      Stream.runForEach((event) => Effect.sync(() => out.push(event))),
      Effect.either
    )
    return { events: out, error: Either.isLeft(result) ? result.left : undefined }
  })

const failure = (response: Record<string, unknown>) => ({ type: "response.failed", response })

describe("Responses SSE decoding", () => {
  it.effect("parses_items_and_completed", () =>
    Effect.gen(function* () {
      const { events, error } = yield* run([message("Hello", "commentary"), message("World"), completed()])
      expect(error).toBeUndefined()
      expect(events.map((e) => e._tag)).toEqual(["OutputItemDone", "OutputItemDone", "Completed"])
      const first = events[0]!
      expect(first._tag === "OutputItemDone" && first.item.type === "message" && first.item.phase).toBe("commentary")
      expect(events[2]).toMatchObject({ _tag: "Completed", responseId: "resp1" })
      expect((events[2] as { tokenUsage?: unknown }).tokenUsage).toBeUndefined()
      expect((events[2] as { endTurn?: unknown }).endTurn).toBeUndefined()
    })
  )

  it.effect("an output item the protocol rejects (web_search_call search with a numeric query) is skipped", () =>
    Effect.gen(function* () {
      const { events, error } = yield* run([
        {
          type: "response.output_item.done",
          item: { type: "web_search_call", id: "ws_1", action: { type: "search", query: 42 } }
        },
        {
          type: "response.output_item.done",
          item: { type: "web_search_call", id: "ws_2", action: { type: "scroll" } }
        },
        message("after"),
        completed()
      ])
      expect(error).toBeUndefined()
      expect(events.map((e) => e._tag)).toEqual(["OutputItemDone", "OutputItemDone", "Completed"])
      // the unknown action type is kept as `other`; the malformed known one is gone
      expect(events[0]).toMatchObject({ item: { type: "web_search_call", id: "ws_2", action: { type: "other" } } })
    })
  )

  it.effect("error_when_missing_completed", () =>
    Effect.gen(function* () {
      const { events, error } = yield* run([message("Hello")])
      expect(events.map((e) => e._tag)).toEqual(["OutputItemDone"])
      expect(error?._tag).toBe("Stream")
      expect(error?._tag === "Stream" && error.reason).toBe("stream closed before response.completed")
    })
  )

  it.effect("parses_tool_search_call_items", () =>
    Effect.gen(function* () {
      const { events } = yield* run([
        {
          type: "response.output_item.done",
          item: {
            type: "tool_search_call",
            call_id: "search-1",
            execution: "client",
            arguments: { query: "calendar create", limit: 1 }
          }
        },
        completed()
      ])
      const first = events[0]!
      expect(first._tag).toBe("OutputItemDone")
      expect(first._tag === "OutputItemDone" ? first.item : undefined).toMatchObject({
        type: "tool_search_call",
        call_id: "search-1",
        execution: "client",
        arguments: { query: "calendar create", limit: 1 }
      })
    })
  )

  it.effect("parses_tool_call_input_deltas", () =>
    Effect.gen(function* () {
      const { events } = yield* run([
        { type: "response.custom_tool_call_input.delta", item_id: "ctc_1", call_id: "call_1", delta: "*** Begin" },
        { type: "response.function_call_arguments.delta", item_id: "fc_1", delta: "{}" },
        completed()
      ])
      expect(events.map((e) => e._tag)).toEqual(["ToolCallInputDelta", "Completed"])
      expect(events[0]).toMatchObject({ itemId: "ctc_1", callId: "call_1", delta: "*** Begin" })
    })
  )

  it.effect("tool call input delta falls back to call_id", () =>
    Effect.gen(function* () {
      const { events } = yield* run([
        { type: "response.custom_tool_call_input.delta", call_id: "call_1", delta: "x" },
        { type: "response.custom_tool_call_input.delta", delta: "no ids" },
        completed()
      ])
      expect(events.map((e) => e._tag)).toEqual(["ToolCallInputDelta", "Completed"])
      expect(events[0]).toMatchObject({ itemId: "call_1", callId: "call_1" })
    })
  )

  it.effect("emits_completed_without_stream_end", () =>
    Effect.gen(function* () {
      // The byte stream never ends; Completed must end the event stream without a timeout.
      const fiber = yield* Effect.fork(run([completed()], { keepOpen: true }))
      const { events, error } = yield* Fiber.join(fiber)
      expect(events.map((e) => e._tag)).toEqual(["Completed"])
      expect(error).toBeUndefined()
    })
  )

  it.effect("error_when_error_event", () =>
    Effect.gen(function* () {
      const msg =
        "Rate limit reached for gpt-5.1 in organization org-AAA on tokens per min (TPM): Limit 30000, Used 22999, Requested 12528. Please try again in 11.054s. Visit https://platform.openai.com/account/rate-limits to learn more."
      const { events, error } = yield* run([
        failure({ id: "resp_1", error: { type: "tokens", code: "rate_limit_exceeded", message: msg } })
      ])
      expect(events).toEqual([])
      expect(error?._tag).toBe("Retryable")
      if (error?._tag !== "Retryable") return
      expect(error.reason).toBe(msg)
      expect(Duration.toMillis(error.delay!)).toBeCloseTo(11054, 3)
    })
  )

  it.effect("context_window_error_is_fatal", () =>
    Effect.gen(function* () {
      const { events, error } = yield* run([
        failure({
          error: { code: "context_length_exceeded", message: "Your input exceeds the context window of this model." }
        })
      ])
      expect(events).toEqual([])
      expect(error?._tag).toBe("ContextWindowExceeded")
      // the display string stays the reference's; the server's words are kept beside it
      expect(error?.message).toBe("context window exceeded")
      expect(error?._tag === "ContextWindowExceeded" && error.serverMessage).toBe(
        "Your input exceeds the context window of this model."
      )
    })
  )

  it.effect("context_window_error_with_newline_is_fatal", () =>
    Effect.gen(function* () {
      const { events, error } = yield* run([
        failure({ error: { code: "context_length_exceeded", message: "Your input exceeds\nthe context window." } })
      ])
      expect(events).toEqual([])
      expect(error?._tag).toBe("ContextWindowExceeded")
    })
  )

  it.effect("quota_exceeded_error_is_fatal", () =>
    Effect.gen(function* () {
      const { events, error } = yield* run([
        failure({ error: { code: "insufficient_quota", message: "You exceeded." } })
      ])
      expect(events).toEqual([])
      expect(error?._tag).toBe("QuotaExceeded")
      expect(error?._tag === "QuotaExceeded" && error.serverMessage).toBe("You exceeded.")
    })
  )

  it.effect("usage_not_included and overloaded codes", () =>
    Effect.gen(function* () {
      expect((yield* run([failure({ error: { code: "usage_not_included" } })])).error?._tag).toBe("UsageNotIncluded")
      expect((yield* run([failure({ error: { code: "server_is_overloaded" } })])).error?._tag).toBe("ServerOverloaded")
      expect((yield* run([failure({ error: { code: "slow_down" } })])).error?._tag).toBe("ServerOverloaded")
    })
  )

  it.effect("cyber_policy_error_is_fatal", () =>
    Effect.gen(function* () {
      const { events, error } = yield* run([
        failure({ error: { code: "cyber_policy", message: "This request was flagged for cyber policy." } })
      ])
      expect(events).toEqual([])
      expect(error?._tag).toBe("CyberPolicy")
      expect(error?._tag === "CyberPolicy" && error.reason).toBe("This request was flagged for cyber policy.")
    })
  )

  it.effect("cyber_policy_error_uses_fallback_for_empty_message", () =>
    Effect.gen(function* () {
      const { events, error } = yield* run([failure({ error: { code: "cyber_policy", message: "   " } })])
      expect(events).toEqual([])
      expect(error?._tag === "CyberPolicy" && error.reason).toBe(
        "This request has been flagged for possible cybersecurity risk."
      )
    })
  )

  it.effect("invalid_prompt_without_type_is_invalid_request", () =>
    Effect.gen(function* () {
      const { events, error } = yield* run([
        failure({ error: { code: "invalid_prompt", message: "Invalid prompt: bad." } })
      ])
      expect(events).toEqual([])
      expect(error?._tag).toBe("InvalidRequest")
      expect(error?._tag === "InvalidRequest" && error.reason).toBe("Invalid prompt: bad.")
      const fallback = (yield* run([failure({ error: { code: "invalid_prompt" } })])).error
      expect(fallback?._tag === "InvalidRequest" && fallback.reason).toBe("Invalid request.")
    })
  )

  it.effect("response.failed without response or error is a stream error", () =>
    Effect.gen(function* () {
      const none = (yield* run([{ type: "response.failed", sequence_number: 1 }])).error
      expect(none?._tag === "Stream" && none.reason).toBe("response.failed event received")
      const noError = (yield* run([failure({ id: "r" })])).error
      expect(noError?._tag === "Stream" && noError.reason).toBe("response.failed event received")
      const badError = (yield* run([failure({ error: { code: 5 } })])).error
      expect(badError?._tag === "Stream" && badError.reason).toBe("response.failed event received")
      const other = (yield* run([failure({ error: { code: "server_error", message: "boom" } })])).error
      expect(other?._tag === "Retryable" && other.reason).toBe("boom")
      expect(other?._tag === "Retryable" && other.delay).toBeUndefined()
    })
  )

  it.effect("response.incomplete reports the reason", () =>
    Effect.gen(function* () {
      const withReason = (yield* run([
        { type: "response.incomplete", response: { incomplete_details: { reason: "max_output_tokens" } } }
      ])).error
      expect(withReason?._tag === "Stream" && withReason.reason).toBe(
        "Incomplete response returned, reason: max_output_tokens"
      )
      const unknown = (yield* run([{ type: "response.incomplete", response: {} }])).error
      expect(unknown?._tag === "Stream" && unknown.reason).toBe("Incomplete response returned, reason: unknown")
    })
  )

  it.effect("bad response.completed is a parse error", () =>
    Effect.gen(function* () {
      const { error } = yield* run([{ type: "response.completed", response: { usage: zeroUsage } }])
      expect(error?._tag === "Stream" && error.reason).toBe("failed to parse ResponseCompleted: missing field `id`")
      const badUsage = (yield* run([completed("r", { usage: { input_tokens: 1 } })])).error
      expect(badUsage?._tag === "Stream" && badUsage.reason).toMatch(/^failed to parse ResponseCompleted: /)
    })
  )

  it.effect("completed maps usage and end_turn", () =>
    Effect.gen(function* () {
      const { events } = yield* run([
        completed("resp_1", {
          usage: {
            input_tokens: 10,
            input_tokens_details: { cached_tokens: 4 },
            output_tokens: 5,
            output_tokens_details: { reasoning_tokens: 2 },
            total_tokens: 15
          },
          end_turn: true
        })
      ])
      expect(events[0]).toMatchObject({
        _tag: "Completed",
        responseId: "resp_1",
        endTurn: true,
        tokenUsage: {
          input_tokens: 10,
          cached_input_tokens: 4,
          output_tokens: 5,
          reasoning_output_tokens: 2,
          total_tokens: 15
        }
      })
    })
  )

  it.effect("table_driven_event_kinds", () =>
    Effect.gen(function* () {
      const done = completed("resp1", { usage: zeroUsage })
      const cases: ReadonlyArray<[unknown, ReadonlyArray<string>]> = [
        [{ type: "response.created", response: {} }, ["Created", "Completed"]],
        [message("hi"), ["OutputItemDone", "Completed"]],
        [{ type: "response.new_tool_event" }, ["Completed"]]
      ]
      for (const [event, expected] of cases) {
        const { events, error } = yield* run([event, done])
        expect(error).toBeUndefined()
        expect(events.map((e) => e._tag)).toEqual(expected)
      }
      expect(sseFixture([{ type: "response.new_tool_event" }])).toBe("event: response.new_tool_event\n\n")
    })
  )

  it.effect("other event kinds: deltas, reasoning, item added", () =>
    Effect.gen(function* () {
      const { events } = yield* run([
        {
          type: "response.output_item.added",
          item: { type: "function_call", name: "f", arguments: "{}", call_id: "c" }
        },
        { type: "response.output_text.delta", delta: "Hel" },
        { type: "response.reasoning_summary_text.delta", delta: "s", summary_index: 1 },
        { type: "response.reasoning_text.delta", delta: "r", content_index: 2 },
        { type: "response.reasoning_summary_part.added", summary_index: 3 },
        { type: "response.output_text.delta", delta: 5 },
        { type: "response.reasoning_text.delta", delta: "no index" },
        { type: "error", error: { message: "ignored on HTTP" } },
        { type: "response.created", response: null },
        completed()
      ])
      expect(events.map((e) => e._tag)).toEqual([
        "OutputItemAdded",
        "OutputTextDelta",
        "ReasoningSummaryDelta",
        "ReasoningContentDelta",
        "ReasoningSummaryPartAdded",
        "Completed"
      ])
      expect(events[2]).toMatchObject({ delta: "s", summaryIndex: 1 })
      expect(events[3]).toMatchObject({ delta: "r", contentIndex: 2 })
      expect(events[4]).toMatchObject({ summaryIndex: 3 })
    })
  )

  it.effect("skips [DONE], non-JSON and untyped payloads", () =>
    Effect.gen(function* () {
      const text = `data: [DONE]\n\ndata: not json\n\ndata: {"delta":"x"}\n\n${sseFixture([completed()])}`
      const { events, error } = yield* collect(streamFromFixture(text))
      expect(error).toBeUndefined()
      expect(events.map((e) => e._tag)).toEqual(["Completed"])
    })
  )

  it.effect("process_sse_ignores_response_model_field_in_payload", () =>
    Effect.gen(function* () {
      const { events } = yield* run([
        { type: "response.created", response: { id: "r", model: "gpt-x" } },
        completed("r", { model: "gpt-x" })
      ])
      expect(events.map((e) => e._tag)).toEqual(["Created", "Completed"])
    })
  )

  it.effect("process_sse_emits_server_model_from_response_headers_payload", () =>
    Effect.gen(function* () {
      const { events } = yield* run([
        { type: "response.created", response: { id: "r", headers: { "OpenAI-Model": "gpt-5.3-codex" } } },
        { type: "response.in_progress", response: { id: "r", headers: { "OpenAI-Model": "gpt-5.3-codex" } } },
        completed("r")
      ])
      expect(events.map((e) => e._tag)).toEqual(["ServerModel", "Created", "Completed"])
      expect(events[0]).toMatchObject({ model: "gpt-5.3-codex" })
    })
  )

  it.effect("process_sse_emits_model_verification_field", () =>
    Effect.gen(function* () {
      const { events } = yield* run([
        {
          type: "response.metadata",
          metadata: { openai_verification_recommendation: ["trusted_access_for_cyber", "trusted_access_for_cyber"] }
        },
        completed()
      ])
      expect(events.map((e) => e._tag)).toEqual(["ModelVerifications", "Completed"])
      expect(events[0]).toMatchObject({ verifications: ["trusted_access_for_cyber"] })
    })
  )

  it.effect("process_sse_emits_turn_moderation_metadata_field", () =>
    Effect.gen(function* () {
      const { events } = yield* run([
        { type: "response.metadata", metadata: { openai_chatgpt_moderation_metadata: { presentation: "inline" } } },
        completed()
      ])
      expect(events.map((e) => e._tag)).toEqual(["TurnModerationMetadata", "Completed"])
      expect(events[0]).toMatchObject({ metadata: { presentation: "inline" } })
    })
  )

  it("responses_stream_event_response_model_reads_top_level_headers", () => {
    expect(responseModel({ type: "x", headers: { "openai-model": "gpt-top" } })).toBe("gpt-top")
    expect(responseModel({ type: "x", headers: { "X-OpenAI-Model": ["gpt-arr", "b"] } })).toBe("gpt-arr")
    expect(responseModel({ type: "x", headers: { other: "v" } })).toBeUndefined()
  })

  it("responses_stream_event_response_model_prefers_response_headers", () => {
    expect(
      responseModel({
        type: "x",
        headers: { "openai-model": "top" },
        response: { headers: { "openai-model": "nested" } }
      })
    ).toBe("nested")
  })

  it("responses_stream_event_model_verification_reads_metadata_field", () => {
    const result = makeProcessor().process({
      type: "response.metadata",
      metadata: { openai_verification_recommendation: ["trusted_access_for_cyber"] }
    })
    expect(result.events).toMatchObject([{ _tag: "ModelVerifications", verifications: ["trusted_access_for_cyber"] }])
  })

  it("responses_stream_event_model_verification_ignores_unknown_field", () => {
    const result = makeProcessor().process(
      JSON.stringify({ type: "response.metadata", metadata: { openai_verification_recommendation: ["unknown"] } })
    )
    expect(result.events).toEqual([])
  })

  it("responses_stream_event_model_verification_ignores_non_array_field", () => {
    const result = makeProcessor().process({
      type: "response.metadata",
      metadata: { openai_verification_recommendation: "trusted_access_for_cyber" }
    })
    expect(result.events).toEqual([])
  })

  it("server model side channel is de-duplicated and ordered before the typed event", () => {
    const processor = makeProcessor()
    const metadata = {
      type: "response.metadata",
      headers: { "openai-model": "m1" },
      metadata: {
        openai_verification_recommendation: ["trusted_access_for_cyber"],
        openai_chatgpt_moderation_metadata: 1
      }
    }
    expect(processor.process(metadata).events.map((e) => e._tag)).toEqual([
      "ServerModel",
      "ModelVerifications",
      "TurnModerationMetadata"
    ])
    expect(processor.process({ type: "keepalive", headers: { "openai-model": "m1" } }).events).toEqual([])
    expect(processor.process({ type: "keepalive", headers: { "openai-model": "m2" } }).events).toMatchObject([
      { _tag: "ServerModel", model: "m2" }
    ])
  })

  it("test_try_parse_retry_after", () => {
    const result = makeProcessor().process({
      type: "response.failed",
      response: {
        error: {
          code: "rate_limit_exceeded",
          message: "Rate limit reached for gpt-5.1 in organization <ORG> on tokens per min. Please try again in 28ms."
        }
      }
    })
    expect(result.error?._tag).toBe("Retryable")
    expect(result.error?._tag === "Retryable" && Duration.toMillis(result.error.delay!)).toBe(28)
  })

  it("test_try_parse_retry_after_no_delay", () => {
    const delay = tryParseRetryAfter("Rate limit reached. Please try again in 1.898s. Visit ...")
    expect(Duration.toMillis(delay!)).toBeCloseTo(1898, 3)
  })

  it("test_try_parse_retry_after_azure", () => {
    const delay = tryParseRetryAfter("Rate limit exceeded. Try again in 35 seconds.")
    expect(Duration.toMillis(delay!)).toBe(35_000)
    expect(tryParseRetryAfter("no hint here")).toBeUndefined()
  })

  it("delay is only parsed for rate_limit_exceeded", () => {
    const result = makeProcessor().process({
      type: "response.failed",
      response: { error: { code: "server_error", message: "try again in 5s" } }
    })
    expect(result.error?._tag === "Retryable" && result.error.delay).toBeUndefined()
  })

  // Improvements over the reference (decisions.md 1, 2).
  it.effect("improvement: a final completed without a trailing blank line is delivered", () =>
    Effect.gen(function* () {
      const text = `${sseFixture([message("a")])}data: ${JSON.stringify(completed())}`
      const { events, error } = yield* collect(streamFromFixture(text, { chunkSize: 7 }))
      expect(error).toBeUndefined()
      expect(events.map((e) => e._tag)).toEqual(["OutputItemDone", "Completed"])
    })
  )

  it.effect("improvement: response.failed fails at once while the connection stays open", () =>
    Effect.gen(function* () {
      // keepOpen: no EOF ever comes; the idle timeout would fire after 1 s of TestClock time.
      const fiber = yield* Effect.fork(
        run([message("a"), failure({ error: { code: "insufficient_quota" } })], { keepOpen: true })
      )
      const { events, error } = yield* Fiber.join(fiber)
      expect(events.map((e) => e._tag)).toEqual(["OutputItemDone"])
      expect(error?._tag).toBe("QuotaExceeded")
    })
  )

  it.effect("improvement: response.incomplete fails at once while the connection stays open", () =>
    Effect.gen(function* () {
      const fiber = yield* Effect.fork(
        run(
          [
            message("a"),
            { type: "response.incomplete", response: { incomplete_details: { reason: "content_filter" } } }
          ],
          { keepOpen: true }
        )
      )
      const { events, error } = yield* Fiber.join(fiber)
      expect(events.map((e) => e._tag)).toEqual(["OutputItemDone"])
      expect(error?._tag === "Stream" && error.reason).toBe("Incomplete response returned, reason: content_filter")
      // an unparsable response.completed also ends the stream at once
      const bad = yield* Fiber.join(
        yield* Effect.fork(run([message("a"), { type: "response.completed", response: {} }], { keepOpen: true }))
      )
      expect(bad.events.map((e) => e._tag)).toEqual(["OutputItemDone"])
      expect(bad.error?._tag === "Stream" && bad.error.reason).toBe(
        "failed to parse ResponseCompleted: missing field `id`"
      )
    })
  )

  it.effect("improvement: a pending SSE event beyond maxEventSize is a typed Stream error (SseError cause)", () =>
    Effect.gen(function* () {
      const big = message("x".repeat(2_000))
      const { events, error } = yield* run([message("a"), big, completed()], { maxEventSize: 1_000, chunkSize: 64 })
      expect(events.map((e) => e._tag)).toEqual(["OutputItemDone"])
      expect(error?._tag).toBe("Stream")
      if (error?._tag !== "Stream") return
      expect(error.reason).toMatch(/^pending SSE event of \d+ bytes exceeds the maximum size of 1000 bytes/)
      expect(error.cause).toMatchObject({ _tag: "SseError", reason: "EventTooLarge", maxEventSize: 1_000 })
      // the same event fits under the default bound
      expect((yield* run([big, completed()])).events.map((e) => e._tag)).toEqual(["OutputItemDone", "Completed"])
    })
  )

  it.effect("idle timeout waiting for SSE (comment keep-alives do not reset it)", () =>
    Effect.gen(function* () {
      const body = Stream.concat(
        Stream.make(new TextEncoder().encode(sseFixture([message("a")]))),
        Stream.repeatEffect(Effect.as(Effect.sleep("100 millis"), new TextEncoder().encode(": ping\n\n")))
      )
      const { decodeBody } = yield* Effect.promise(() => import("../src/internal/responsesSse.js"))
      const fiber = yield* Effect.fork(collect(decodeBody(body, { idleTimeout: "1 second" })))
      yield* TestClock.adjust("900 millis")
      yield* TestClock.adjust("200 millis")
      const { events, error } = yield* Fiber.join(fiber)
      expect(events.map((e) => e._tag)).toEqual(["OutputItemDone"])
      expect(error?._tag === "Stream" && error.reason).toBe("idle timeout waiting for SSE")
    })
  )

  it.effect("a slow consumer is not idleness: the timer only runs while waiting for the server", () =>
    Effect.gen(function* () {
      // Each event arrives in its own chunk, and the consumer spends 5 s (> the 1 s idle timeout) on each.
      const encoder = new TextEncoder()
      const body = Stream.fromIterable(
        [message("a"), message("b"), completed()].map((e) => encoder.encode(sseFixture([e])))
      )
      const { decodeBody } = yield* Effect.promise(() => import("../src/internal/responsesSse.js"))
      const seen: Array<string> = []
      const fiber = yield* decodeBody(body, { idleTimeout: "1 second" }).pipe(
        Stream.runForEach((event) =>
          Effect.zipRight(
            Effect.sleep("5 seconds"),
            Effect.sync(() => seen.push(event._tag))
          )
        ),
        Effect.either,
        Effect.fork
      )
      for (let i = 0; i < 3; i++) yield* TestClock.adjust("5 seconds")
      const result = yield* Fiber.join(fiber)
      expect(Either.isRight(result)).toBe(true)
      expect(seen).toEqual(["OutputItemDone", "OutputItemDone", "Completed"])
    })
  )

  it.effect("events of one chunk are emitted together", () =>
    Effect.gen(function* () {
      const chunks = yield* streamFromFixture(sseFixture([message("a"), message("b"), completed()])).pipe(
        Stream.chunks,
        Stream.runCollect
      )
      expect(Chunk.toReadonlyArray(chunks).map(Chunk.size)).toEqual([3])
    })
  )
})
