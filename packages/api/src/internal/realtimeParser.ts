/**
 * Decoders of inbound realtime text frames. Payloads are parsed with `JSON.parse` and
 * only the fields an event needs are read, so unknown fields cost nothing.
 * @internal
 */
import type { EventParser } from "../RealtimeEvent.js"
import { RealtimeEvent } from "../RealtimeEvent.js"

type Json = Record<string, unknown>

// The `taggedEnum` constructors, looked up once: each lookup through `RealtimeEvent` goes through a
// proxy that creates a new constructor function, which is measurable per event.
const makeAudioOut = RealtimeEvent.AudioOut
const makeConversationItemAdded = RealtimeEvent.ConversationItemAdded
const makeConversationItemDone = RealtimeEvent.ConversationItemDone
const makeError = RealtimeEvent.Error
const makeHandoffRequested = RealtimeEvent.HandoffRequested
const makeInputAudioSpeechStarted = RealtimeEvent.InputAudioSpeechStarted
const makeInputTranscriptDone = RealtimeEvent.InputTranscriptDone
const makeNoopRequested = RealtimeEvent.NoopRequested
const makeOutputTranscriptDone = RealtimeEvent.OutputTranscriptDone
const makeResponseCancelled = RealtimeEvent.ResponseCancelled
const makeResponseCreated = RealtimeEvent.ResponseCreated
const makeResponseDone = RealtimeEvent.ResponseDone
const makeSessionUpdated = RealtimeEvent.SessionUpdated

const isObject = (u: unknown): u is Json => typeof u === "object" && u !== null && !Array.isArray(u)
const str = (o: Json | undefined, key: string): string | undefined => {
  const v = o?.[key]
  return typeof v === "string" ? v : undefined
}
const uint = (o: Json, key: string): number | undefined => {
  const v = o[key]
  return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined
}
const obj = (o: Json, key: string): Json | undefined => {
  const v = o[key]
  return isObject(v) ? v : undefined
}

const parseSessionUpdated = (o: Json): RealtimeEvent | undefined => {
  const session = obj(o, "session")
  const id = str(session, "id")
  if (id === undefined) return undefined
  return makeSessionUpdated({ realtimeSessionId: id, instructions: str(session, "instructions") })
}

const parseError = (o: Json): RealtimeEvent | undefined => {
  const top = str(o, "message")
  if (top !== undefined) return makeError({ message: top })
  if (!("error" in o) || o.error === undefined) return undefined
  const error = o.error
  const nested = isObject(error) ? str(error, "message") : undefined
  return makeError({ message: nested ?? JSON.stringify(error) })
}

/**
 * A maker of transcript delta events, the hottest events: the same values the `taggedEnum`
 * constructor makes (its prototype, own keys `delta` then `_tag`), without its generic
 * `Object.assign` on every event.
 */
const deltaMaker = <Tag extends "InputTranscriptDelta" | "OutputTranscriptDelta">(tag: Tag) => {
  const proto: object = Object.getPrototypeOf(RealtimeEvent[tag]({ delta: "" }))
  return (delta: string): RealtimeEvent => {
    const event = Object.create(proto)
    event.delta = delta
    event._tag = tag
    return event
  }
}
const inputDeltaOf = deltaMaker("InputTranscriptDelta")
const inputDoneOf = (text: string) => makeInputTranscriptDone({ text })
const outputDeltaOf = deltaMaker("OutputTranscriptDelta")
const outputDoneOf = (text: string) => makeOutputTranscriptDone({ text })
const textEvent = (o: Json, key: string, make: (text: string) => RealtimeEvent): RealtimeEvent | undefined => {
  const value = str(o, key)
  return value === undefined ? undefined : make(value)
}
const inputDelta = (o: Json) => textEvent(o, "delta", inputDeltaOf)
const inputDone = (o: Json) => textEvent(o, "transcript", inputDoneOf)
const outputDelta = (o: Json) => textEvent(o, "delta", outputDeltaOf)
const itemAdded = (o: Json): RealtimeEvent | undefined =>
  "item" in o && o.item !== undefined ? makeConversationItemAdded({ item: o.item }) : undefined
const itemDone = (item: Json | undefined): RealtimeEvent | undefined => {
  const itemId = str(item, "id")
  return itemId === undefined ? undefined : makeConversationItemDone({ itemId })
}

const parseV1 = (type: string, o: Json): RealtimeEvent | undefined => {
  switch (type) {
    case "conversation.output_audio.delta": {
      const data = str(o, "delta") ?? str(o, "data")
      const sampleRate = uint(o, "sample_rate")
      const numChannels = uint(o, "channels") ?? uint(o, "num_channels")
      if (data === undefined || sampleRate === undefined || numChannels === undefined) return undefined
      return makeAudioOut({
        frame: { data, sampleRate, numChannels, samplesPerChannel: uint(o, "samples_per_channel") }
      })
    }
    case "conversation.input_transcript.delta":
    case "conversation.item.input_audio_transcription.delta":
      return inputDelta(o)
    case "conversation.input_transcript.turn_marked":
    case "conversation.item.input_audio_transcription.completed":
      return inputDone(o)
    case "conversation.output_transcript.delta":
    case "response.output_text.delta":
    case "response.output_audio_transcript.delta":
      return outputDelta(o)
    case "response.output_audio_transcript.done":
      return textEvent(o, "transcript", outputDoneOf)
    case "conversation.item.added":
      return itemAdded(o)
    case "conversation.item.done":
      return itemDone(obj(o, "item"))
    case "conversation.handoff.requested": {
      const handoffId = str(o, "handoff_id")
      const itemId = str(o, "item_id")
      const inputTranscript = str(o, "input_transcript")
      if (handoffId === undefined || itemId === undefined || inputTranscript === undefined) return undefined
      return makeHandoffRequested({ handoffId, itemId, inputTranscript, activeTranscript: [] })
    }
    default:
      return undefined
  }
}

const transcriptKeys = ["input_transcript", "input", "text", "prompt", "query"] as const

/**
 * The handoff request text of a V2 `background_agent` call: the first non-blank string among the
 * known keys of the JSON arguments (trimmed), else the raw arguments string.
 * @internal
 */
export const handoffTranscriptFromArguments = (args: string): string => {
  let parsed: unknown
  try {
    parsed = JSON.parse(args)
  } catch {
    return args
  }
  if (!isObject(parsed)) return args
  for (const key of transcriptKeys) {
    const value = parsed[key]
    if (typeof value === "string" && value.trim().length > 0) return value.trim()
  }
  return args
}

const responseId = (o: Json): string | undefined => str(obj(o, "response"), "id") ?? str(o, "response_id")

const parseV2 = (type: string, o: Json): RealtimeEvent | undefined => {
  switch (type) {
    case "response.output_audio.delta":
    case "response.audio.delta": {
      const data = str(o, "delta")
      if (data === undefined) return undefined
      return makeAudioOut({
        frame: {
          data,
          sampleRate: uint(o, "sample_rate") ?? 24_000,
          numChannels: uint(o, "channels") ?? uint(o, "num_channels") ?? 1,
          samplesPerChannel: uint(o, "samples_per_channel"),
          itemId: str(o, "item_id")
        }
      })
    }
    case "conversation.item.input_audio_transcription.delta":
      return inputDelta(o)
    case "conversation.item.input_audio_transcription.completed":
      return inputDone(o)
    case "response.output_text.delta":
    case "response.output_audio_transcript.delta":
      return outputDelta(o)
    case "response.output_text.done":
      return textEvent(o, "text", outputDoneOf)
    case "response.output_audio_transcript.done":
      return textEvent(o, "transcript", outputDoneOf)
    case "input_audio_buffer.speech_started":
      return makeInputAudioSpeechStarted({ itemId: str(o, "item_id") })
    case "conversation.item.added":
    case "conversation.item.created":
      return itemAdded(o)
    case "conversation.item.done": {
      const item = obj(o, "item")
      if (item !== undefined && str(item, "type") === "function_call") {
        const name = str(item, "name")
        const callId = str(item, "call_id")
        const id = str(item, "id")
        const first = callId ?? id
        const second = id ?? callId
        if (name === "background_agent" && first !== undefined && second !== undefined) {
          return makeHandoffRequested({
            handoffId: first,
            itemId: second,
            inputTranscript: handoffTranscriptFromArguments(str(item, "arguments") ?? ""),
            activeTranscript: []
          })
        }
        if (name === "remain_silent" && first !== undefined && second !== undefined) {
          return makeNoopRequested({ callId: first, itemId: second })
        }
      }
      return itemDone(item)
    }
    case "response.created":
      return makeResponseCreated({ responseId: responseId(o) })
    case "response.cancelled":
      return makeResponseCancelled({ responseId: responseId(o) })
    case "response.done":
      return makeResponseDone({ responseId: responseId(o) })
    default:
      return undefined
  }
}

/**
 * Decodes one text frame; `undefined` when it is not JSON, has no string `type`, or is not an event
 * the chosen parser knows (such frames are skipped by the reader).
 * @internal
 */
export const parseRealtimeEvent = (payload: string, parser: EventParser): RealtimeEvent | undefined => {
  let parsed: unknown
  try {
    parsed = JSON.parse(payload)
  } catch {
    return undefined
  }
  if (!isObject(parsed)) return undefined
  const type = str(parsed, "type")
  if (type === undefined) return undefined
  if (type === "session.updated") return parseSessionUpdated(parsed)
  if (type === "error") return parseError(parsed)
  return parser === "V1" ? parseV1(type, parsed) : parseV2(type, parsed)
}
