import * as RealtimeSession from "@codex/api/RealtimeSession"
import { describe, expect, it } from "@effect/vitest"

const base: RealtimeSession.RealtimeSessionConfig = {
  instructions: "be helpful",
  model: "gpt-realtime-1.5",
  sessionId: "sess_1",
  eventParser: "RealtimeV2",
  sessionMode: "Conversational",
  outputModality: "audio",
  voice: "cedar"
}

const pcm = { type: "audio/pcm", rate: 24000 }

describe("RealtimeSession", () => {
  it("V1 session: quicksilver with instructions, pcm input and voice; transcription mode ignored", () => {
    const expected = {
      type: "quicksilver",
      instructions: "be helpful",
      audio: { input: { format: pcm }, output: { voice: "cove" } }
    }
    for (const sessionMode of ["Conversational", "Transcription"] as const) {
      const config = { ...base, eventParser: "V1" as const, sessionMode, voice: "cove" as const }
      expect(JSON.stringify(RealtimeSession.sessionJson(config))).toBe(JSON.stringify(expected))
    }
  })

  it("V2 conversational session: exact JSON including both tools and their verbatim descriptions", () => {
    expect(JSON.stringify(RealtimeSession.sessionJson(base))).toBe(
      '{"type":"realtime","instructions":"be helpful","output_modalities":["audio"],' +
        '"audio":{"input":{"format":{"type":"audio/pcm","rate":24000},"noise_reduction":{"type":"near_field"},' +
        '"transcription":{"model":"gpt-4o-mini-transcribe"},"turn_detection":{"type":"server_vad","interrupt_response":true,"create_response":true,"silence_duration_ms":500}},' +
        '"output":{"format":{"type":"audio/pcm","rate":24000},"voice":"cedar"}},' +
        '"tools":[{"type":"function","name":"background_agent","description":"Send a user request to the background agent. Use this as the default action. Do not rephrase the user\'s ask or rewrite it in your own words; pass along the user\'s own words. If the background agent is idle, this starts a new task and returns the final result to the user. If the background agent is already working on a task, this sends the request as guidance to steer that previous task. If the user asks to do something next, later, after this, or once current work finishes, call this tool so the work is actually queued instead of merely promising to do it later.",' +
        '"parameters":{"type":"object","properties":{"prompt":{"type":"string","description":"The user request to delegate to the background agent."}},"required":["prompt"],"additionalProperties":false}},' +
        '{"type":"function","name":"remain_silent","description":"Call this when the best response is to say nothing. Use it instead of speaking after hidden system/control messages, after background agent updates in silent modes, or whenever acknowledging aloud would be distracting. This tool has no user-visible effect.",' +
        '"parameters":{"type":"object","properties":{},"additionalProperties":false}}],' +
        '"tool_choice":"auto"}'
    )
    const text = RealtimeSession.sessionJson({ ...base, outputModality: "text" })
    expect(text.output_modalities).toEqual(["text"])
  })

  it("V2 transcription session: no instructions, no output audio, no tools", () => {
    expect(RealtimeSession.sessionJson({ ...base, sessionMode: "Transcription" })).toEqual({
      type: "transcription",
      audio: { input: { format: pcm, transcription: { model: "gpt-4o-mini-transcribe" } } }
    })
  })

  it("sessionUpdateSessionJson sets id and model in the reference key order; absent ones are omitted", () => {
    const json = RealtimeSession.sessionUpdateSessionJson(base)
    expect(Object.keys(json).slice(0, 4)).toEqual(["id", "type", "model", "instructions"])
    expect(json.id).toBe("sess_1")
    expect(json.model).toBe("gpt-realtime-1.5")
    const bare = RealtimeSession.sessionUpdateSessionJson({
      ...base,
      eventParser: "V1",
      sessionId: undefined,
      model: undefined
    })
    expect(Object.keys(bare)).toEqual(["type", "instructions", "audio"])
  })

  it("sessionUpdateMessage wraps the WS session (no id/model)", () => {
    const message = RealtimeSession.sessionUpdateMessage(base)
    expect(message.type).toBe("session.update")
    expect(message.session).toEqual(RealtimeSession.sessionJson(base))
    expect(Object.keys(message.session as object)).not.toContain("id")
    expect(Object.keys(message.session as object)).not.toContain("model")
  })
})
