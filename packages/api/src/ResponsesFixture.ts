/**
 * Offline Responses streams: SSE text in, the same
 * decoder, event processing and termination rules as {@link ResponsesClient}, no network.
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import * as Stream from "effect/Stream"
import type * as ApiError from "./ApiError.js"
import { decodeBody } from "./internal/responsesSse.js"
import type { ResponseEvent } from "./ResponseEvent.js"

/**
 * Options for replaying a recorded SSE stream: the idle timeout between events (default 1 s),
 * chunking, keeping the stream open, and the largest event.
 *
 * @since 0.1.0
 * @category models
 */
export interface FixtureOptions {
  /** Idle timeout between dispatched SSE events. Default 1000 ms. */
  readonly idleTimeout?: Duration.DurationInput | undefined
  /** Feed the text in byte chunks of this size (default: one chunk), to exercise chunk boundaries. */
  readonly chunkSize?: number | undefined
  /** Keep the byte stream open after the text (a server that never closes the connection). */
  readonly keepOpen?: boolean | undefined
  /** Bound of one pending SSE event. */
  readonly maxEventSize?: number | undefined
}

const encoder = new TextEncoder()

/**
 * Decodes SSE text into `ResponseEvent`s (no header events: there is no HTTP response).
 *
 * @since 0.1.0
 * @category constructors
 */
export const streamFromFixture = (
  sseText: string,
  options: FixtureOptions = {}
): Stream.Stream<ResponseEvent, ApiError.ApiError> => {
  const bytes = encoder.encode(sseText)
  const size = options.chunkSize
  const chunks: Array<Uint8Array> = []
  if (size === undefined || size <= 0 || size >= bytes.length) chunks.push(bytes)
  else for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size))
  const body = Stream.fromIterable(chunks)
  return decodeBody(options.keepOpen === true ? Stream.concat(body, Stream.never) : body, {
    idleTimeout: options.idleTimeout ?? 1000,
    maxEventSize: options.maxEventSize
  })
}

/**
 * Builds fixture SSE text: `event: <type>\ndata: <json>\n\n` per event, and `event: <type>\n\n`
 * (no data line, so never dispatched) when the JSON has only a `type` key.
 *
 * @since 0.1.0
 * @category constructors
 */
export const sseFixture = (events: ReadonlyArray<unknown>): string => {
  let out = ""
  for (const event of events) {
    const type =
      typeof event === "object" && event !== null && typeof (event as { type?: unknown }).type === "string"
        ? (event as { type: string }).type
        : undefined
    if (type === undefined) {
      out += `data: ${JSON.stringify(event)}\n\n`
      continue
    }
    const keys = Object.keys(event as object)
    out += keys.length === 1 ? `event: ${type}\n\n` : `event: ${type}\ndata: ${JSON.stringify(event)}\n\n`
  }
  return out
}
