/**
 * Server-sent events decoding from bytes (WHATWG semantics), as an Effect `Stream` combinator and as a
 * low-level incremental decoder.
 *
 * - CR, LF and CRLF line ends, split anywhere across chunks (a CR ending one chunk and an LF starting
 *   the next are one terminator); multi-byte UTF-8 split anywhere.
 * - Invalid UTF-8 is replaced by U+FFFD (like a non-fatal `TextDecoder`); it never fails the stream.
 * - A UTF-8 BOM is stripped only at the very start of the stream.
 * - Comments (`:`) and unknown or mis-cased fields are ignored; a field without a colon has an empty
 *   value; exactly one space after the colon is stripped; `data` lines are joined with `\n`; an event
 *   without a `data` line is not dispatched.
 * - Differences from the Codex CLI: at end of input the unterminated last line is processed and
 *   a pending event with data is dispatched (`dispatchIncompleteEventAtEof`, default `true`), and the
 *   pending event is bounded by `maxEventSize`, whose overflow is a typed {@link SseError}.
 *
 * @since 0.1.0
 */
import * as Channel from "effect/Channel"
import * as Chunk from "effect/Chunk"
import * as Data from "effect/Data"
import * as Stream from "effect/Stream"
import * as internal from "./internal/sseDecoder.js"

/**
 * One dispatched event.
 *
 * @since 0.1.0
 * @category models
 */
export interface Event {
  /** The `event` field of the event, `"message"` when absent or empty. */
  readonly event: string
  /** The `data` lines of the event joined with `\n`. */
  readonly data: string
  /**
   * The last event id of the stream: set by an `id` field and kept for later events until another
   * `id` field changes it (`id:` with no value sets `""`; an id containing U+0000 is ignored).
   * `undefined` until the first `id` field.
   */
  readonly id: string | undefined
  /** The last valid `retry` value (milliseconds, all digits) seen so far on the stream, if any. */
  readonly retry?: number
}

/**
 * The pending event (the unterminated line plus the buffered `data`) exceeded `maxEventSize`.
 *
 * @since 0.1.0
 * @category errors
 */
export class SseError extends Data.TaggedError("SseError")<{
  readonly reason: "EventTooLarge"
  /** The configured `maxEventSize`. */
  readonly maxEventSize: number
  /** The size of the pending event when the limit was exceeded. */
  readonly size: number
}> {
  override get message(): string {
    return `pending SSE event of ${this.size} bytes exceeds the maximum size of ${this.maxEventSize} bytes (raise maxEventSize to accept larger events)`
  }
}

/**
 * Options for {@link decode}: the largest event accepted, and whether an unterminated event at the
 * end of the input is still dispatched.
 *
 * @since 0.1.0
 * @category models
 */
export interface DecodeOptions {
  /**
   * Upper bound of the pending event: bytes of the unterminated line plus UTF-16 code units of the
   * buffered `data`. Comment lines are never buffered. Default: 16 MiB.
   */
  readonly maxEventSize?: number | undefined
  /**
   * At end of input, process the unterminated last line and dispatch a pending event that has data
   * (proxies strip the final blank line; the lost event would be `response.completed`). `false`
   * drops both, as the WHATWG spec and the Codex CLI do. Default: `true`.
   */
  readonly dispatchIncompleteEventAtEof?: boolean | undefined
}

/**
 * The default `maxEventSize`: 16 MiB.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMaxEventSize: number = internal.defaultMaxEventSize

/**
 * An incremental decoder, for callers outside of `Stream`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Decoder {
  /** Decodes one chunk and returns the events it completed. Returns `[]` once {@link Decoder.error} is set. */
  push(chunk: Uint8Array): Array<Event>
  /** Ends the input and returns the events completed by it. */
  end(): Array<Event>
  /** Set when the pending event exceeded `maxEventSize`; the decoder then ignores further input. */
  readonly error: SseError | undefined
}

const overflow = (maxEventSize: number, size: number): SseError =>
  new SseError({ reason: "EventTooLarge", maxEventSize, size })

/**
 * Creates an incremental decoder.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeDecoder = (options?: DecodeOptions): Decoder => internal.make(options, overflow)

/**
 * Pushes every byte chunk of `input` through `decoder`, in order, and returns the events they
 * completed (`undefined` when none). Stops after the chunk that sets {@link Decoder.error}: the
 * events completed before it are returned, the caller then fails with the error.
 *
 * @example
 * ```ts
 * import * as Sse from "@codex/client/Sse"
 *
 * const decoder = Sse.makeDecoder()
 * const bytes = new TextEncoder().encode("data: one\n\ndata: tw")
 * // one event now; "tw" waits for the rest of its line
 * export const events = Sse.pushAll(decoder, [bytes, new TextEncoder().encode("o\n\n")])
 * ```
 *
 * @since 0.1.0
 * @category decoding
 */
export const pushAll = (decoder: Decoder, input: Iterable<Uint8Array>): Array<Event> | undefined => {
  let events: Array<Event> | undefined
  for (const bytes of input) {
    const decoded = decoder.push(bytes)
    if (decoded.length > 0) {
      if (events === undefined) events = decoded
      else for (const event of decoded) events.push(event)
    }
    if (decoder.error !== undefined) break
  }
  return events
}

/**
 * Decodes a byte stream into SSE events. Reads one upstream chunk at a time (never ahead of the
 * consumer), emits the events of each chunk as one chunk, and fails with {@link SseError} (after the
 * events that precede the overflow) when the pending event grows beyond `maxEventSize`.
 *
 * @example
 * ```ts
 * import * as Sse from "@codex/client/Sse"
 * import { Effect, Stream } from "effect"
 *
 * const bytes = Stream.make(new TextEncoder().encode('event: greeting\ndata: {"text":"hi"}\n\n'))
 *
 * // One event: { event: "greeting", data: '{"text":"hi"}', ... }
 * export const events = bytes.pipe(Sse.decode(), Stream.runCollect, Effect.map((chunk) => [...chunk]))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const decode =
  (options?: DecodeOptions) =>
  <E, R>(bytes: Stream.Stream<Uint8Array, E, R>): Stream.Stream<Event, E | SseError, R> =>
    // `Channel.pipeTo`, not `Stream.pipeThroughChannelOrFail`: the latter wraps the channel in two
    // pass-through stages (every chunk crosses three channels); `decodeChannel` forwards upstream
    // failures itself, so the result is the same.
    Stream.fromChannel(
      Channel.pipeTo(
        Stream.toChannel(bytes),
        Channel.suspend(() => decodeChannel<E>(makeDecoder(options)))
      )
    )

const decodeChannel = <E>(
  decoder: Decoder
): Channel.Channel<Chunk.Chunk<Event>, Chunk.Chunk<Uint8Array>, E | SseError, E, unknown, unknown> => {
  const loop: Channel.Channel<
    Chunk.Chunk<Event>,
    Chunk.Chunk<Uint8Array>,
    E | SseError,
    E,
    unknown,
    unknown
  > = Channel.readWithCause({
    onInput: (input: Chunk.Chunk<Uint8Array>) => {
      const events = pushAll(decoder, input)
      const next = decoder.error === undefined ? loop : Channel.fail(decoder.error)
      return events === undefined ? next : Channel.zipRight(Channel.write(Chunk.unsafeFromArray(events)), next)
    },
    onFailure: Channel.failCause,
    onDone: () => {
      const events = decoder.end()
      return events.length === 0 ? Channel.void : Channel.write(Chunk.unsafeFromArray(events))
    }
  })
  return loop
}
