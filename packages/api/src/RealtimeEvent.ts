/**
 * Events read from a realtime WebSocket (V1 "quicksilver" and V2 "realtime" wire formats), already
 * decoded into one tagged union, and the configuration values they depend on.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"

/**
 * Which inbound wire format a connection decodes.
 *
 * @since 0.1.0
 * @category models
 */
export type EventParser = "V1" | "RealtimeV2"

/**
 * A decoded audio frame (base64 PCM `data`).
 *
 * @since 0.1.0
 * @category models
 */
export interface AudioFrame {
  readonly data: string
  readonly sampleRate: number
  readonly numChannels: number
  readonly samplesPerChannel?: number | undefined
  readonly itemId?: string | undefined
}

/**
 * One entry of the transcript collected since the previous handoff.
 *
 * @since 0.1.0
 * @category models
 */
export interface TranscriptEntry {
  readonly role: "user" | "assistant"
  readonly text: string
}

/**
 * One event of a realtime session, decoded from the server's JSON messages: session updates, audio
 * and transcript deltas, items, handoff requests, errors and unknown events.
 *
 * @since 0.1.0
 * @category models
 */
export type RealtimeEvent = Data.TaggedEnum<{
  SessionUpdated: { readonly realtimeSessionId: string; readonly instructions?: string | undefined }
  InputAudioSpeechStarted: { readonly itemId?: string | undefined }
  InputTranscriptDelta: { readonly delta: string }
  InputTranscriptDone: { readonly text: string }
  OutputTranscriptDelta: { readonly delta: string }
  OutputTranscriptDone: { readonly text: string }
  AudioOut: { readonly frame: AudioFrame }
  ResponseCreated: { readonly responseId?: string | undefined }
  ResponseCancelled: { readonly responseId?: string | undefined }
  ResponseDone: { readonly responseId?: string | undefined }
  ConversationItemAdded: { readonly item: unknown }
  ConversationItemDone: { readonly itemId: string }
  /** `activeTranscript` is filled by the connection: the transcript since the previous handoff. */
  HandoffRequested: {
    readonly handoffId: string
    readonly itemId: string
    readonly inputTranscript: string
    readonly activeTranscript: ReadonlyArray<TranscriptEntry>
  }
  NoopRequested: { readonly callId: string; readonly itemId: string }
  Error: { readonly message: string }
}>

/**
 * Constructors and `$is` / `$match` helpers for {@link RealtimeEvent}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const RealtimeEvent = Data.taggedEnum<RealtimeEvent>()
