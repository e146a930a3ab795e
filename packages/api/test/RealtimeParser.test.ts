import { RealtimeEvent } from "@codex/api/RealtimeEvent"
import { describe, expect, it } from "@effect/vitest"
import * as Equal from "effect/Equal"
import * as Hash from "effect/Hash"
import { handoffTranscriptFromArguments, parseRealtimeEvent } from "../src/internal/realtimeParser.js"

const v1 = (payload: unknown) => parseRealtimeEvent(JSON.stringify(payload), "V1")
const v2 = (payload: unknown) => parseRealtimeEvent(JSON.stringify(payload), "RealtimeV2")

describe("RealtimeParser V1", () => {
  it("parse_session_updated_event", () => {
    expect(v1({ type: "session.updated", session: { id: "sess_123", instructions: "backend prompt" } })).toEqual(
      RealtimeEvent.SessionUpdated({ realtimeSessionId: "sess_123", instructions: "backend prompt" })
    )
    expect(v1({ type: "session.updated", session: { instructions: "no id" } })).toBeUndefined()
  })

  it("parse_audio_delta_event", () => {
    expect(
      v1({
        type: "conversation.output_audio.delta",
        delta: "AAA=",
        sample_rate: 48000,
        channels: 1,
        samples_per_channel: 960
      })
    ).toEqual(
      RealtimeEvent.AudioOut({
        frame: { data: "AAA=", sampleRate: 48000, numChannels: 1, samplesPerChannel: 960 }
      })
    )
    // `data` / `num_channels` are accepted aliases; sample rate and channels are required in V1.
    expect(v1({ type: "conversation.output_audio.delta", data: "AQ==", sample_rate: 16000, num_channels: 2 })).toEqual(
      RealtimeEvent.AudioOut({
        frame: { data: "AQ==", sampleRate: 16000, numChannels: 2, samplesPerChannel: undefined }
      })
    )
    expect(v1({ type: "conversation.output_audio.delta", delta: "AQ==", channels: 1 })).toBeUndefined()
  })

  it("parse_conversation_item_added_event", () => {
    const item = { type: "message", role: "assistant", content: [] }
    expect(v1({ type: "conversation.item.added", item })).toEqual(RealtimeEvent.ConversationItemAdded({ item }))
  })

  it("parse_conversation_item_done_event", () => {
    expect(v1({ type: "conversation.item.done", item: { id: "item_123" } })).toEqual(
      RealtimeEvent.ConversationItemDone({ itemId: "item_123" })
    )
  })

  it("parse_handoff_requested_event", () => {
    expect(
      v1({ type: "conversation.handoff.requested", handoff_id: "h_1", item_id: "i_1", input_transcript: "delegate" })
    ).toEqual(
      RealtimeEvent.HandoffRequested({
        handoffId: "h_1",
        itemId: "i_1",
        inputTranscript: "delegate",
        activeTranscript: []
      })
    )
    expect(v1({ type: "conversation.handoff.requested", handoff_id: "h_1", item_id: "i_1" })).toBeUndefined()
  })

  it("parse_input_transcript_delta_event", () => {
    expect(v1({ type: "conversation.input_transcript.delta", delta: "hello " })).toEqual(
      RealtimeEvent.InputTranscriptDelta({ delta: "hello " })
    )
  })

  it("parse_v1_input_audio_transcription_delta_event", () => {
    expect(v1({ type: "conversation.item.input_audio_transcription.delta", delta: "hello" })).toEqual(
      RealtimeEvent.InputTranscriptDelta({ delta: "hello" })
    )
  })

  it("parse_v1_input_audio_transcription_completed_event", () => {
    expect(v1({ type: "conversation.item.input_audio_transcription.completed", transcript: "hello world" })).toEqual(
      RealtimeEvent.InputTranscriptDone({ text: "hello world" })
    )
  })

  it("parse_v1_input_transcript_turn_marked_event", () => {
    expect(v1({ type: "conversation.input_transcript.turn_marked", transcript: "hello world" })).toEqual(
      RealtimeEvent.InputTranscriptDone({ text: "hello world" })
    )
  })

  it("parse_output_transcript_delta_event", () => {
    expect(v1({ type: "conversation.output_transcript.delta", delta: "hi" })).toEqual(
      RealtimeEvent.OutputTranscriptDelta({ delta: "hi" })
    )
  })

  it("parse_v1_output_audio_transcript_delta_event", () => {
    expect(v1({ type: "response.output_audio_transcript.delta", delta: "hi" })).toEqual(
      RealtimeEvent.OutputTranscriptDelta({ delta: "hi" })
    )
    expect(v1({ type: "response.output_text.delta", delta: "t" })).toEqual(
      RealtimeEvent.OutputTranscriptDelta({ delta: "t" })
    )
  })

  it("parse_v1_output_audio_transcript_done_event", () => {
    expect(v1({ type: "response.output_audio_transcript.done", transcript: "hi there" })).toEqual(
      RealtimeEvent.OutputTranscriptDone({ text: "hi there" })
    )
  })

  it("parse_v1_item_done_output_text_event", () => {
    expect(
      v1({
        type: "conversation.item.done",
        item: {
          id: "item_output_1",
          type: "message",
          role: "assistant",
          content: [{ type: "output_text", text: "done" }]
        }
      })
    ).toEqual(RealtimeEvent.ConversationItemDone({ itemId: "item_output_1" }))
  })

  it("ignores V2-only events in V1", () => {
    expect(v1({ type: "response.created", response: { id: "r" } })).toBeUndefined()
    expect(v1({ type: "conversation.item.created", item: {} })).toBeUndefined()
    expect(v1({ type: "response.output_text.done", text: "x" })).toBeUndefined()
    expect(v1({ type: "input_audio_buffer.speech_started" })).toBeUndefined()
    expect(v1({ type: "response.output_audio.delta", delta: "AQ==" })).toBeUndefined()
  })
})

describe("RealtimeParser V2", () => {
  it("parse_realtime_v2_handoff_tool_call_event", () => {
    expect(
      v2({
        type: "conversation.item.done",
        item: {
          id: "item_123",
          type: "function_call",
          name: "background_agent",
          call_id: "call_123",
          arguments: '{"prompt":"delegate this"}'
        }
      })
    ).toEqual(
      RealtimeEvent.HandoffRequested({
        handoffId: "call_123",
        itemId: "item_123",
        inputTranscript: "delegate this",
        activeTranscript: []
      })
    )
  })

  it("parse_realtime_v2_noop_tool_call_event", () => {
    expect(
      v2({
        type: "conversation.item.done",
        item: {
          id: "item_silent",
          type: "function_call",
          name: "remain_silent",
          call_id: "call_silent",
          arguments: "{}"
        }
      })
    ).toEqual(RealtimeEvent.NoopRequested({ callId: "call_silent", itemId: "item_silent" }))
  })

  it("falls back between call_id and id, and other function calls are plain item.done", () => {
    expect(
      v2({ type: "conversation.item.done", item: { id: "only_id", type: "function_call", name: "background_agent" } })
    ).toEqual(
      RealtimeEvent.HandoffRequested({
        handoffId: "only_id",
        itemId: "only_id",
        inputTranscript: "",
        activeTranscript: []
      })
    )
    expect(
      v2({ type: "conversation.item.done", item: { id: "i", type: "function_call", name: "other", call_id: "c" } })
    ).toEqual(RealtimeEvent.ConversationItemDone({ itemId: "i" }))
  })

  it("extracts the handoff transcript from the arguments", () => {
    expect(handoffTranscriptFromArguments('{"input_transcript":"  a  ","prompt":"b"}')).toBe("a")
    expect(handoffTranscriptFromArguments('{"input":" ","text":"t"}')).toBe("t")
    expect(handoffTranscriptFromArguments('{"query":"q"}')).toBe("q")
    expect(handoffTranscriptFromArguments('{"other":"x"}')).toBe('{"other":"x"}')
    expect(handoffTranscriptFromArguments("not json")).toBe("not json")
    expect(handoffTranscriptFromArguments("")).toBe("")
  })

  it("parse_realtime_v2_input_audio_transcription_delta_event", () => {
    expect(v2({ type: "conversation.item.input_audio_transcription.delta", delta: "hello" })).toEqual(
      RealtimeEvent.InputTranscriptDelta({ delta: "hello" })
    )
  })

  it("parse_realtime_v2_output_audio_transcript_done_event", () => {
    expect(v2({ type: "response.output_audio_transcript.done", transcript: "hi" })).toEqual(
      RealtimeEvent.OutputTranscriptDone({ text: "hi" })
    )
  })

  it("parse_realtime_v2_output_text_done_event", () => {
    expect(v2({ type: "response.output_text.done", text: "text out" })).toEqual(
      RealtimeEvent.OutputTranscriptDone({ text: "text out" })
    )
  })

  it("parse_realtime_v2_conversation_item_created_event", () => {
    const item = { id: "item_1", type: "message", role: "user", content: [] }
    expect(v2({ type: "conversation.item.created", item })).toEqual(RealtimeEvent.ConversationItemAdded({ item }))
  })

  it("parse_realtime_v2_item_done_output_text_event", () => {
    expect(
      v2({
        type: "conversation.item.done",
        item: { id: "item_output_1", type: "message", role: "assistant", content: [{ type: "output_text", text: "x" }] }
      })
    ).toEqual(RealtimeEvent.ConversationItemDone({ itemId: "item_output_1" }))
  })

  it("parse_realtime_v2_output_audio_delta_defaults_audio_shape", () => {
    expect(v2({ type: "response.output_audio.delta", delta: "AQID" })).toEqual(
      RealtimeEvent.AudioOut({
        frame: { data: "AQID", sampleRate: 24000, numChannels: 1, samplesPerChannel: undefined, itemId: undefined }
      })
    )
  })

  it("parse_realtime_v2_response_audio_delta_with_item_id", () => {
    expect(v2({ type: "response.audio.delta", delta: "AQID", item_id: "item_audio" })).toEqual(
      RealtimeEvent.AudioOut({
        frame: { data: "AQID", sampleRate: 24000, numChannels: 1, samplesPerChannel: undefined, itemId: "item_audio" }
      })
    )
  })

  it("parse_realtime_v2_speech_started_event", () => {
    expect(v2({ type: "input_audio_buffer.speech_started", item_id: "item_in" })).toEqual(
      RealtimeEvent.InputAudioSpeechStarted({ itemId: "item_in" })
    )
  })

  it("parse_realtime_v2_response_cancelled_event", () => {
    expect(v2({ type: "response.cancelled", response: { id: "resp_cancelled" } })).toEqual(
      RealtimeEvent.ResponseCancelled({ responseId: "resp_cancelled" })
    )
  })

  it("parse_realtime_v2_response_done_event", () => {
    expect(
      v2({
        type: "response.done",
        response: { output: [{ type: "function_call", name: "background_agent", call_id: "c", arguments: "{}" }] }
      })
    ).toEqual(RealtimeEvent.ResponseDone({ responseId: undefined }))
    expect(v2({ type: "response.done", response_id: "resp_top" })).toEqual(
      RealtimeEvent.ResponseDone({ responseId: "resp_top" })
    )
  })

  it("parse_realtime_v2_response_created_event", () => {
    expect(v2({ type: "response.created", response: { id: "resp_created" } })).toEqual(
      RealtimeEvent.ResponseCreated({ responseId: "resp_created" })
    )
  })

  it("ignores V1-only events in V2", () => {
    expect(v2({ type: "conversation.output_audio.delta", delta: "AQ==", sample_rate: 1, channels: 1 })).toBeUndefined()
    expect(v2({ type: "conversation.input_transcript.delta", delta: "x" })).toBeUndefined()
    expect(v2({ type: "conversation.input_transcript.turn_marked", transcript: "x" })).toBeUndefined()
    expect(v2({ type: "conversation.output_transcript.delta", delta: "x" })).toBeUndefined()
    expect(
      v2({ type: "conversation.handoff.requested", handoff_id: "h", item_id: "i", input_transcript: "t" })
    ).toBeUndefined()
  })
})

describe("RealtimeParser common", () => {
  it("maps error events: top-level message, then error.message, then the error JSON", () => {
    for (const parse of [v1, v2]) {
      expect(parse({ type: "error", message: "top", error: { message: "nested" } })).toEqual(
        RealtimeEvent.Error({ message: "top" })
      )
      expect(parse({ type: "error", error: { message: "nested" } })).toEqual(RealtimeEvent.Error({ message: "nested" }))
      expect(parse({ type: "error", error: { code: "x" } })).toEqual(RealtimeEvent.Error({ message: '{"code":"x"}' }))
      expect(parse({ type: "error" })).toBeUndefined()
    }
  })

  it("ignores non-JSON, typeless and unknown payloads", () => {
    expect(parseRealtimeEvent("not json", "V1")).toBeUndefined()
    expect(parseRealtimeEvent("[1]", "RealtimeV2")).toBeUndefined()
    expect(v1({ type: 1 })).toBeUndefined()
    expect(v2({ type: "something.new" })).toBeUndefined()
  })
})

describe("RealtimeParser event values", () => {
  it("transcript deltas are the values the RealtimeEvent constructors make (prototype, keys, equality)", () => {
    const cases = [
      [v2({ type: "response.output_text.delta", delta: "hi" }), RealtimeEvent.OutputTranscriptDelta({ delta: "hi" })],
      [
        v1({ type: "conversation.input_transcript.delta", delta: "yo" }),
        RealtimeEvent.InputTranscriptDelta({ delta: "yo" })
      ]
    ] as const
    for (const [parsed, made] of cases) {
      expect(parsed).toBeDefined()
      expect(Object.getPrototypeOf(parsed)).toBe(Object.getPrototypeOf(made))
      expect(Object.keys(parsed!)).toStrictEqual(Object.keys(made))
      expect(Equal.equals(parsed, made)).toBe(true)
      expect(Hash.hash(parsed!)).toBe(Hash.hash(made))
      expect(Equal.equals(parsed, RealtimeEvent.OutputTranscriptDelta({ delta: "other" }))).toBe(false)
    }
  })
})
