/**
 * Standalone assistant output forwarding: while a realtime conversation
 * runs and no handoff is active, each completed assistant message of the background agent is sent
 * to the realtime model so it can speak about it.
 *
 * - empty / whitespace-only messages are skipped;
 * - V1: `conversation.handoff.append` with the synthetic handoff id `codex`, no prefix, no
 *   `response.create`;
 * - V2: `"[BACKEND] "` prefix, a user `input_text` `conversation.item.create`, then
 *   `response.create`. A response counts as active from the moment its `response.create` is sent
 *   (or `response.created` arrives) until `response.done` / `response.cancelled`; a
 *   `response.create` asked for meanwhile is held back and sent then (several collapse into one,
 *   since one response covers every item added before it). A server error starting with
 *   `Conversation already has an active response in progress:` holds it back the same way;
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

const tokensForBytes = (bytes: number): number => Math.ceil(bytes / bytesPerToken)

/**
 * Approximate token count: `ceil(utf8 bytes / 4)`.
 *
 * @since 0.1.0
 * @category truncation
 */
export const approxTokens = (text: string): number => tokensForBytes(encoder.encode(text).length)

const isContinuation = (byte: number | undefined) => byte !== undefined && (byte & 0xc0) === 0x80

const marker = (removedTokens: number) => `…${removedTokens} tokens truncated…`

// One pass with a byte budget of `maxTokens × 4`: half of it (rounded down) for the head, the rest
// for the tail, each shrunk to whole characters. The marker counts `ceil((total − budget) / 4)`
// tokens, measured against the budget rather than the bytes actually dropped.
const truncateOnce = (bytes: Uint8Array, maxTokens: number): string => {
  const maxBytes = maxTokens * bytesPerToken
  if (maxBytes === 0) return marker(tokensForBytes(bytes.length))
  const headBudget = Math.floor(maxBytes / 2)
  let headEnd = Math.min(headBudget, bytes.length)
  while (headEnd > 0 && isContinuation(bytes[headEnd])) headEnd--
  let tailStart = Math.max(0, bytes.length - (maxBytes - headBudget))
  while (tailStart < bytes.length && isContinuation(bytes[tailStart])) tailStart++
  if (tailStart < headEnd) tailStart = headEnd
  return `${decoder.decode(bytes.subarray(0, headEnd))}${marker(
    tokensForBytes(bytes.length - maxBytes)
  )}${decoder.decode(bytes.subarray(tailStart))}`
}

/**
 * `prefix + text`, at most `maxTokens` approximate tokens: when it is longer, the middle of the
 * whole string (prefix included) is replaced by `…N tokens truncated…`. The content budget starts
 * at `maxTokens` and is lowered by the overshoot until the rendered text, marker included, fits;
 * cuts fall on UTF-8 character boundaries. With `"long output " × 1000` this keeps 1986 bytes,
 * `…2007 tokens truncated…` and 1986 bytes.
 *
 * @since 0.1.0
 * @category truncation
 */
export const truncateMiddle = (text: string, maxTokens: number, prefix = ""): string => {
  const full = prefix + text
  const bytes = encoder.encode(full)
  if (bytes.length === 0 || (maxTokens > 0 && bytes.length <= maxTokens * bytesPerToken)) return full
  let budget = maxTokens
  for (;;) {
    const candidate = truncateOnce(bytes, budget)
    const tokens = approxTokens(candidate)
    if (tokens <= maxTokens) return candidate
    const next = budget - Math.max(1, tokens - maxTokens)
    if (next <= 0) {
      const markerOnly = truncateOnce(bytes, 0)
      return approxTokens(markerOnly) <= maxTokens ? markerOnly : ""
    }
    budget = next
  }
}

/**
 * Start of the server's error message when a `response.create` arrives while a response is still
 * running; the forwarder then waits for that response to end and sends it again.
 *
 * @since 0.1.0
 * @category constants
 */
export const activeResponseErrorPrefix = "Conversation already has an active response in progress:"

/**
 * Forwards the background agent's finished assistant messages into a running realtime conversation,
 * so the realtime model can speak about them.
 *
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
    // Set as soon as a `response.create` is sent (not when `response.created` arrives), so a second
    // message right behind the first holds its `response.create` back instead of racing it.
    let responseActive = false
    let pendingResponseCreate = false

    const defer = () => {
      responseActive = true
      pendingResponseCreate = true
    }

    const sendResponseCreateNow = Effect.catchIf(
      Effect.zipRight(
        connection.sendResponseCreate,
        Effect.sync(() => {
          responseActive = true
        })
      ),
      (error) => error._tag === "Stream" && error.reason.startsWith(activeResponseErrorPrefix),
      () => Effect.sync(defer)
    )

    const requestResponse = Effect.suspend(() => {
      if (responseActive) {
        pendingResponseCreate = true
        return Effect.void
      }
      return sendResponseCreateNow
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
            return sendResponseCreateNow
          }
          case "Error":
            // The server refused a `response.create` because another response is running: send it
            // again once that response is done or cancelled.
            if (event.message.startsWith(activeResponseErrorPrefix)) defer()
            return Effect.void
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
