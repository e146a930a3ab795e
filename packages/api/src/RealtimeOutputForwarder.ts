/**
 * Standalone assistant output forwarding (spec 5.3, upstream #27319): while a realtime conversation
 * runs and no handoff is active, each completed assistant message of the background agent is sent
 * to the realtime model so it can speak about it.
 *
 * - empty / whitespace-only messages are skipped;
 * - V1: `conversation.handoff.append` with the synthetic handoff id `codex`, no prefix, no
 *   `response.create`;
 * - V2: `"[BACKEND] "` prefix, a user `input_text` `conversation.item.create`, then
 *   `response.create` — held back while a response is active and sent once it is done (several
 *   held-back requests collapse into one, since one response covers every item added before it);
 * - the whole injection, prefix included, is capped at 1,000 tokens (≈ 4 bytes per token) by
 *   cutting the middle and leaving a `…N tokens truncated…` marker.
 *
 * Feed the connection's events to {@link RealtimeOutputForwarder.observe} so the forwarder knows
 * when responses start and end and when a handoff begins.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as ApiError from "./ApiError.js"
import type { RealtimeEvent } from "./RealtimeEvent.js"
import type { RealtimeWebsocketConnection } from "./RealtimeWebsocket.js"

/**
 * Handoff id of standalone output on V1.
 *
 * @since 0.1.0
 * @category constants
 */
export const standaloneHandoffId = "codex"

/**
 * Prefix of backend text injected into V2 sessions.
 *
 * @since 0.1.0
 * @category constants
 */
export const backendPrefix = "[BACKEND] "

/**
 * Token cap of one injection (prefix included).
 *
 * @since 0.1.0
 * @category constants
 */
export const maxInjectionTokens = 1_000

const bytesPerToken = 4
const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * Approximate token count: `ceil(utf8 bytes / 4)`.
 *
 * @since 0.1.0
 * @category truncation
 */
export const approxTokens = (text: string): number => Math.ceil(encoder.encode(text).length / bytesPerToken)

const isContinuation = (byte: number | undefined) => byte !== undefined && (byte & 0xc0) === 0x80

/**
 * `prefix + text`, with the middle of `text` replaced by `…N tokens truncated…` so that the whole
 * result is at most `maxTokens` approximate tokens (`maxTokens × 4` bytes). Cuts fall on UTF-8
 * character boundaries; the budget is tightened until the rendered text fits.
 *
 * @since 0.1.0
 * @category truncation
 */
export const truncateMiddle = (text: string, maxTokens: number, prefix = ""): string => {
  const maxBytes = maxTokens * bytesPerToken
  const full = prefix + text
  const bytes = encoder.encode(text)
  const prefixBytes = encoder.encode(prefix).length
  if (prefixBytes + bytes.length <= maxBytes) return full
  let budget = maxBytes - prefixBytes
  for (;;) {
    const keep = Math.max(0, budget)
    let headEnd = Math.floor(keep / 2)
    while (headEnd > 0 && isContinuation(bytes[headEnd])) headEnd--
    let tailStart = bytes.length - (keep - Math.floor(keep / 2))
    while (tailStart < bytes.length && isContinuation(bytes[tailStart])) tailStart++
    const removed = tailStart - headEnd
    const rendered = `${prefix}${decoder.decode(bytes.subarray(0, headEnd))}…${Math.ceil(
      removed / bytesPerToken
    )} tokens truncated…${decoder.decode(bytes.subarray(tailStart))}`
    const size = encoder.encode(rendered).length
    if (size <= maxBytes || keep === 0) return rendered
    budget = keep - (size - maxBytes)
  }
}

/**
 * @since 0.1.0
 * @category models
 */
export interface RealtimeOutputForwarder {
  /**
   * Forwards one completed assistant message (commentary or final answer). Does nothing while a
   * handoff is active or when the text is blank.
   */
  readonly forwardAssistantMessage: (text: string) => Effect.Effect<void, ApiError.ApiError>
  /** Tracks response and handoff activity from an inbound event; may send a held-back `response.create`. */
  readonly observe: (event: RealtimeEvent) => Effect.Effect<void, ApiError.ApiError>
  /** Marks the frontend handoff as active (set by `HandoffRequested`) or finished. */
  readonly setHandoffActive: (active: boolean) => Effect.Effect<void>
  /** Whether a `response.create` is waiting for the active response to finish. */
  readonly hasPendingResponseCreate: Effect.Effect<boolean>
}

/**
 * A forwarder writing to `connection`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  connection: RealtimeWebsocketConnection,
  options: { readonly maxTokens?: number | undefined } = {}
): Effect.Effect<RealtimeOutputForwarder> =>
  Effect.gen(function* () {
    const maxTokens = options.maxTokens ?? maxInjectionTokens
    const lock = yield* Effect.makeSemaphore(1)
    let handoffActive = false
    let responseActive = false
    let pendingResponseCreate = false

    const requestResponse = Effect.suspend(() => {
      if (responseActive) {
        pendingResponseCreate = true
        return Effect.void
      }
      return connection.sendResponseCreate
    })

    const forward = (text: string): Effect.Effect<void, ApiError.ApiError> =>
      Effect.suspend(() => {
        if (handoffActive || text.trim().length === 0) return Effect.void
        if (connection.parser === "V1") {
          return connection.sendConversationHandoffAppend(standaloneHandoffId, truncateMiddle(text, maxTokens))
        }
        const body = text.startsWith(backendPrefix) ? text.slice(backendPrefix.length) : text
        return Effect.zipRight(
          connection.sendConversationItemCreate(truncateMiddle(body, maxTokens, backendPrefix)),
          requestResponse
        )
      })

    const observe = (event: RealtimeEvent): Effect.Effect<void, ApiError.ApiError> =>
      Effect.suspend(() => {
        switch (event._tag) {
          case "ResponseCreated":
            responseActive = true
            return Effect.void
          case "ResponseDone":
          case "ResponseCancelled": {
            responseActive = false
            if (!pendingResponseCreate) return Effect.void
            pendingResponseCreate = false
            return connection.sendResponseCreate
          }
          case "HandoffRequested":
            handoffActive = true
            return Effect.void
          default:
            return Effect.void
        }
      })

    return {
      forwardAssistantMessage: (text) => lock.withPermits(1)(forward(text)),
      observe: (event) => lock.withPermits(1)(observe(event)),
      setHandoffActive: (active) =>
        lock.withPermits(1)(
          Effect.sync(() => {
            handoffActive = active
          })
        ),
      hasPendingResponseCreate: Effect.sync(() => pendingResponseCreate)
    }
  })
