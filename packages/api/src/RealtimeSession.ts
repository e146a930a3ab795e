/**
 * The realtime session configuration and the `session` objects built from it: V1
 * (`quicksilver`) and V2 (`realtime` conversational / `transcription`). Pure functions, shared by the
 * realtime WebSocket (`session.update`) and WebRTC call creation (`sessionUpdateSessionJson`).
 *
 * @since 0.1.0
 */

/**
 * Which realtime protocol the session speaks.
 *
 * @since 0.1.0
 * @category models
 */
export type RealtimeEventParser = "V1" | "RealtimeV2"

/**
 * V1 ignores `Transcription` and always behaves as `Conversational`.
 *
 * @since 0.1.0
 * @category models
 */
export type RealtimeSessionMode = "Conversational" | "Transcription"

/**
 * What the realtime model answers with: `"text"` or `"audio"`.
 *
 * @since 0.1.0
 * @category models
 */
export type RealtimeOutputModality = "text" | "audio"

/**
 * Voice wire names.
 *
 * @since 0.1.0
 * @category constants
 */
export const realtimeVoices = [
  "alloy",
  "arbor",
  "ash",
  "ballad",
  "breeze",
  "cedar",
  "coral",
  "cove",
  "echo",
  "ember",
  "juniper",
  "maple",
  "marin",
  "sage",
  "shimmer",
  "sol",
  "spruce",
  "vale",
  "verse"
] as const

/**
 * A voice of the realtime model (see {@link realtimeVoices}).
 *
 * @since 0.1.0
 * @category models
 */
export type RealtimeVoice = (typeof realtimeVoices)[number]

/**
 * How to start a realtime session: instructions, model, session id, event parser version (V1 or
 * V2), session mode, output modality and voice.
 *
 * @since 0.1.0
 * @category models
 */
export interface RealtimeSessionConfig {
  readonly instructions: string
  /** Realtime model; callers default to `gpt-realtime-1.5`. */
  readonly model?: string | undefined
  readonly sessionId?: string | undefined
  readonly eventParser: RealtimeEventParser
  readonly sessionMode: RealtimeSessionMode
  readonly outputModality: RealtimeOutputModality
  readonly voice: RealtimeVoice
}

/**
 * A JSON object as built here (key order is the wire order).
 *
 * @since 0.1.0
 * @category models
 */
export type JsonObject = { [key: string]: unknown }

/**
 * Sample rate of every PCM format in the session.
 *
 * @since 0.1.0
 * @category constants
 */
export const audioSampleRate = 24_000

/**
 * Input transcription model of V2 sessions.
 *
 * @since 0.1.0
 * @category constants
 */
export const transcriptionModel = "gpt-4o-mini-transcribe"

/**
 * Description of the V2 `background_agent` tool, sent verbatim.
 *
 * @since 0.1.0
 * @category constants
 */
export const backgroundAgentToolDescription =
  "Send a user request to the background agent. Use this as the default action. Do not rephrase the user's ask or rewrite it in your own words; pass along the user's own words. If the background agent is idle, this starts a new task and returns the final result to the user. If the background agent is already working on a task, this sends the request as guidance to steer that previous task. If the user asks to do something next, later, after this, or once current work finishes, call this tool so the work is actually queued instead of merely promising to do it later."

/**
 * Description of the V2 `remain_silent` tool, sent verbatim.
 *
 * @since 0.1.0
 * @category constants
 */
export const remainSilentToolDescription =
  "Call this when the best response is to say nothing. Use it instead of speaking after hidden system/control messages, after background agent updates in silent modes, or whenever acknowledging aloud would be distracting. This tool has no user-visible effect."

const pcmFormat = (): JsonObject => ({ type: "audio/pcm", rate: audioSampleRate })

/**
 * The two function tools of a V2 conversational session.
 *
 * @since 0.1.0
 * @category constructors
 */
export const v2Tools = (): Array<JsonObject> => [
  {
    type: "function",
    name: "background_agent",
    description: backgroundAgentToolDescription,
    parameters: {
      type: "object",
      properties: {
        prompt: { type: "string", description: "The user request to delegate to the background agent." }
      },
      required: ["prompt"],
      additionalProperties: false
    }
  },
  {
    type: "function",
    name: "remain_silent",
    description: remainSilentToolDescription,
    parameters: { type: "object", properties: {}, additionalProperties: false }
  }
]

const v1Session = (config: RealtimeSessionConfig): JsonObject => ({
  type: "quicksilver",
  instructions: config.instructions,
  audio: { input: { format: pcmFormat() }, output: { voice: config.voice } }
})

const v2ConversationalSession = (config: RealtimeSessionConfig): JsonObject => ({
  type: "realtime",
  instructions: config.instructions,
  output_modalities: [config.outputModality],
  audio: {
    input: {
      format: pcmFormat(),
      noise_reduction: { type: "near_field" },
      transcription: { model: transcriptionModel },
      turn_detection: { type: "server_vad", interrupt_response: true, create_response: true, silence_duration_ms: 500 }
    },
    output: { format: pcmFormat(), voice: config.voice }
  },
  tools: v2Tools(),
  tool_choice: "auto"
})

const v2TranscriptionSession = (): JsonObject => ({
  type: "transcription",
  audio: { input: { format: pcmFormat(), transcription: { model: transcriptionModel } } }
})

/**
 * The `session` object of the WebSocket `session.update` message: no `id`, no `model`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const sessionJson = (config: RealtimeSessionConfig): JsonObject => {
  if (config.eventParser === "V1") return v1Session(config)
  return config.sessionMode === "Transcription" ? v2TranscriptionSession() : v2ConversationalSession(config)
}

/**
 * `session_update_session_json`: the session object with `id` (the session id) and `model` set when
 * known, in the Codex CLI's key order (`id`, `type`, `model`, then the rest). WebRTC call creation
 * sends it with `id` removed.
 *
 * @since 0.1.0
 * @category constructors
 */
export const sessionUpdateSessionJson = (config: RealtimeSessionConfig): JsonObject => {
  const { type, ...rest } = sessionJson(config)
  const out: JsonObject = {}
  if (config.sessionId !== undefined) out.id = config.sessionId
  out.type = type
  if (config.model !== undefined) out.model = config.model
  return Object.assign(out, rest)
}

/**
 * The full WebSocket message `{"type":"session.update","session":{...}}`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const sessionUpdateMessage = (config: RealtimeSessionConfig): JsonObject => ({
  type: "session.update",
  session: sessionJson(config)
})
