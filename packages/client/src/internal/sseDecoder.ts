/**
 * Byte-level incremental SSE decoder (WHATWG "event stream interpretation").
 *
 * Why bytes and not text: line terminators are ASCII, so a chunk can be cut at its last terminator
 * and everything before it decoded in ONE `TextDecoder.decode` call (a valid multi-byte UTF-8
 * sequence never contains 0x0A / 0x0D, so no character straddles the cut). Only the unterminated tail
 * is kept as bytes; it is decoded once its line is complete. Invalid UTF-8 becomes U+FFFD, exactly like
 * a non-fatal `TextDecoder`.
 *
 * @internal
 */

/** @internal */
export interface SseEvent {
  readonly event: string
  readonly data: string
  readonly id: string | undefined
  readonly retry?: number
}

/** @internal */
export interface DecoderOptions {
  readonly maxEventSize?: number | undefined
  readonly dispatchIncompleteEventAtEof?: boolean | undefined
}

/** @internal */
export const defaultMaxEventSize = 16 * 1024 * 1024

/** @internal */
export interface Decoder<Err> {
  /** Decodes one chunk; returns the events it completed. After an overflow it returns `[]`. */
  push(chunk: Uint8Array): Array<SseEvent>
  /** Signals end of input; returns the events completed by it (see `dispatchIncompleteEventAtEof`). */
  end(): Array<SseEvent>
  /** The overflow error, once the pending event exceeded `maxEventSize`. */
  readonly error: Err | undefined
}

const LF = 10
const CR = 13
const COLON = 58
const SPACE = 32

const emptyBytes = new Uint8Array(0)
// A region always ends with a terminator, so the streaming decoder never holds bytes between calls; the
// streaming call is used because it is ~2-3x faster than a one-shot decode on Node 20 for KiB inputs.
const streamOption = { stream: true }
const scratchSize = 4096
const maxRetainedScratch = 64 * 1024

/** @internal */
export const make = <Err>(
  options: DecoderOptions | undefined,
  onOverflow: (maxEventSize: number, size: number) => Err
): Decoder<Err> => {
  const maxEventSize = options?.maxEventSize ?? defaultMaxEventSize
  const dispatchAtEof = options?.dispatchIncompleteEventAtEof ?? true
  // ignoreBOM: the BOM is stripped by hand, only at the very start of the stream.
  const textDecoder = new TextDecoder("utf-8", { ignoreBOM: true })

  // byte state
  let bomChecked = false
  let bomHeld: Uint8Array = emptyBytes
  // The unterminated line is copied (the producer may reuse its buffer) into one reusable scratch
  // buffer: no allocation per chunk, and the capacity is given back after a spike.
  let scratch = new Uint8Array(scratchSize)
  let partialLength = 0
  let skipLeadingLF = false
  let skippingComment = false
  let error: Err | undefined
  let ended = false

  // event state
  let data = ""
  let hasData = false
  let dataLength = 0
  let eventType = ""
  let lastEventType = ""
  let lastEventId: string | undefined
  let retry = -1

  let out: Array<SseEvent> = []

  const overflow = (size: number): void => {
    error = onOverflow(maxEventSize, size)
    scratch = emptyBytes
    partialLength = 0
    data = ""
    hasData = false
  }

  const dispatch = (): void => {
    if (hasData) {
      const event = eventType === "" ? "message" : eventType
      out.push(retry < 0 ? { event, data, id: lastEventId } : { event, data, id: lastEventId, retry })
      data = ""
      hasData = false
      dataLength = 0
    }
    eventType = ""
  }

  const appendData = (value: string): void => {
    if (hasData) {
      data = `${data}\n${value}`
      dataLength += value.length + 1
    } else {
      data = value
      hasData = true
      dataLength = value.length
    }
    if (dataLength > maxEventSize) overflow(dataLength)
  }

  const valueStart = (s: string, afterColon: number, end: number): number =>
    afterColon < end && s.charCodeAt(afterColon) === SPACE ? afterColon + 1 : afterColon

  /** Processes the line `s[start, end)` (terminator excluded). */
  const processLine = (s: string, start: number, end: number): void => {
    if (start === end) {
      dispatch()
      return
    }
    // Only the four known field names matter, so compare prefixes instead of searching for the colon:
    // anything else (comments, unknown or mis-cased fields) is ignored without further work.
    let nameEnd: number
    switch (s.charCodeAt(start)) {
      case 100: // d
        if (!s.startsWith("data", start)) return
        nameEnd = start + 4
        break
      case 101: // e
        if (!s.startsWith("event", start)) return
        nameEnd = start + 5
        break
      case 105: // i
        if (!s.startsWith("id", start)) return
        nameEnd = start + 2
        break
      case 114: // r
        if (!s.startsWith("retry", start)) return
        nameEnd = start + 5
        break
      default:
        return
    }
    if (nameEnd - start === 5 && s.charCodeAt(start) === 101 && nameEnd < end && s.charCodeAt(nameEnd) === COLON) {
      // Streams repeat the same event name: reuse the previous string instead of allocating one per event.
      const from = valueStart(s, nameEnd + 1, end)
      if (end - from === lastEventType.length && s.startsWith(lastEventType, from)) {
        eventType = lastEventType
        return
      }
    }
    let value: string
    if (nameEnd === end) {
      value = ""
    } else if (s.charCodeAt(nameEnd) === COLON) {
      value = s.slice(valueStart(s, nameEnd + 1, end), end)
    } else {
      return // e.g. `database: x` or `identity`
    }
    switch (nameEnd - start) {
      case 4: {
        appendData(value)
        return
      }
      case 5: {
        if (s.charCodeAt(start) === 101) {
          eventType = value
          lastEventType = value
        } else if (value.length > 0 && isAllDigits(value)) {
          retry = Number.parseInt(value, 10)
        }
        return
      }
      case 2: {
        if (value.indexOf("\u0000") === -1) lastEventId = value
        return
      }
    }
  }

  /** Processes every line of `s`, which ends with a line terminator. */
  const processLines = (s: string): void => {
    const n = s.length
    let pos = 0
    let nl = s.indexOf("\n")
    let cr = s.indexOf("\r")
    while (pos < n && error === undefined) {
      // Fast paths for the lines every event has (same effect as `processLine`). An LF-terminated blank
      // line and `event: <previous name>` have a known end, so no terminator search is needed: neither
      // `event: ` nor an event name (a line value) contains CR or LF.
      const first = s.charCodeAt(pos)
      if (first === LF) {
        dispatch()
        pos++
        continue
      }
      if (first === 101) {
        const eventEnd = pos + 7 + lastEventType.length
        if (s.charCodeAt(eventEnd) === LF && isEventSpace(s, pos) && s.startsWith(lastEventType, pos + 7)) {
          eventType = lastEventType
          pos = eventEnd + 1
          continue
        }
      }
      if (nl !== -1 && nl < pos) nl = s.indexOf("\n", pos)
      if (cr !== -1 && cr < pos) cr = s.indexOf("\r", pos)
      let end: number
      let next: number
      if (cr === -1 || (nl !== -1 && nl < cr)) {
        end = nl
        next = nl + 1
      } else {
        end = cr
        next = s.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1
      }
      if (end === pos) {
        dispatch()
      } else if (first === 100 && end - pos > 5 && isDataSpace(s, pos)) {
        appendData(s.slice(pos + 6, end))
      } else {
        processLine(s, pos, end)
      }
      pos = next
    }
  }

  /** Index just after the terminator at `t` in `c`; sets `skipLeadingLF` for a CR at the chunk end. */
  const afterTerminator = (c: Uint8Array, t: number): number => {
    if (c[t] === CR) {
      if (t + 1 === c.length) {
        skipLeadingLF = true
        return t + 1
      }
      return c[t + 1] === LF ? t + 2 : t + 1
    }
    return t + 1
  }

  const firstTerminator = (c: Uint8Array, from: number): number => {
    for (let i = from; i < c.length; i++) {
      const b = c[i]
      if (b === LF || b === CR) return i
    }
    return -1
  }

  const lastTerminator = (c: Uint8Array, from: number): number => {
    for (let i = c.length - 1; i >= from; i--) {
      const b = c[i]
      if (b === LF || b === CR) return i
    }
    return -1
  }

  const holdTail = (c: Uint8Array, from: number): void => {
    if (from >= c.length) return
    if (partialLength === 0 && c[from] === COLON) {
      // A comment is never buffered: keep-alive comments cost no memory however long they are.
      skippingComment = true
      return
    }
    const size = partialLength + c.length - from + dataLength
    if (size > maxEventSize) overflow(size)
    else append(c, from, c.length)
  }

  const append = (c: Uint8Array, from: number, until: number): void => {
    const length = partialLength + until - from
    if (length > scratch.length) {
      const grown = new Uint8Array(Math.max(length, scratch.length * 2))
      grown.set(scratch.subarray(0, partialLength))
      scratch = grown
    }
    scratch.set(c.subarray(from, until), partialLength)
    partialLength = length
  }

  /** The held partial line followed by `c[from, until)`; valid until the next `append`. */
  const joinPartial = (c: Uint8Array, from: number, until: number): Uint8Array => {
    append(c, from, until)
    const bytes = scratch.subarray(0, partialLength)
    partialLength = 0
    return bytes
  }

  const releaseScratch = (): void => {
    if (scratch.length > maxRetainedScratch) scratch = new Uint8Array(scratchSize)
  }

  const push = (input: Uint8Array): Array<SseEvent> => {
    if (error !== undefined || ended || input.length === 0) return []
    out = []
    let c = input
    if (!bomChecked) {
      if (bomHeld.length > 0) {
        const joined = new Uint8Array(bomHeld.length + c.length)
        joined.set(bomHeld, 0)
        joined.set(c, bomHeld.length)
        c = joined
        bomHeld = emptyBytes
      }
      if (c.length < 3 && c[0] === 0xef && (c.length < 2 || c[1] === 0xbb)) {
        bomHeld = c.slice()
        return out
      }
      bomChecked = true
      if (c[0] === 0xef && c[1] === 0xbb && c[2] === 0xbf) c = c.subarray(3)
    }
    let start = 0
    if (skipLeadingLF && c.length > 0) {
      skipLeadingLF = false
      if (c[0] === LF) start = 1
    }
    if (skippingComment) {
      const t = firstTerminator(c, start)
      if (t === -1) return out
      skippingComment = false
      start = afterTerminator(c, t)
    }
    if (start < c.length) {
      const last = lastTerminator(c, start)
      if (last === -1) {
        holdTail(c, start)
        return out
      }
      if (partialLength > 0) {
        // The held partial line is completed by the first line of this chunk: only that line is copied
        // behind it and decoded; the rest of the chunk is decoded in place.
        const first = firstTerminator(c, start)
        const firstEnd = c[first] === CR && c[first + 1] === LF ? first + 2 : first + 1
        processLines(textDecoder.decode(joinPartial(c, start, firstEnd), streamOption))
        releaseScratch()
        if (error === undefined && firstEnd <= last) {
          processLines(textDecoder.decode(c.subarray(firstEnd, last + 1), streamOption))
        }
      } else {
        processLines(textDecoder.decode(c.subarray(start, last + 1), streamOption))
      }
      if (error !== undefined) return out
      // A CR at the chunk end may be the first half of a CRLF.
      if (c[last] === CR && last + 1 === c.length) skipLeadingLF = true
      holdTail(c, last + 1)
    }
    return out
  }

  const end = (): Array<SseEvent> => {
    if (error !== undefined || ended) return []
    ended = true
    out = []
    if (!dispatchAtEof) return out
    if (!skippingComment) {
      if (bomHeld.length > 0) append(bomHeld, 0, bomHeld.length)
      if (partialLength > 0) {
        const line = textDecoder.decode(joinPartial(emptyBytes, 0, 0))
        processLine(line, 0, line.length)
      }
    }
    if (error === undefined) dispatch()
    return out
  }

  return {
    push,
    end,
    get error() {
      return error
    }
  }
}

// Character-wise prefix checks (inlined by the JIT, unlike a `startsWith` call); `s[pos]` was checked.
const isDataSpace = (s: string, pos: number): boolean =>
  s.charCodeAt(pos + 1) === 97 && // a
  s.charCodeAt(pos + 2) === 116 && // t
  s.charCodeAt(pos + 3) === 97 && // a
  s.charCodeAt(pos + 4) === COLON &&
  s.charCodeAt(pos + 5) === SPACE

const isEventSpace = (s: string, pos: number): boolean =>
  s.charCodeAt(pos + 1) === 118 && // v
  s.charCodeAt(pos + 2) === 101 && // e
  s.charCodeAt(pos + 3) === 110 && // n
  s.charCodeAt(pos + 4) === 116 && // t
  s.charCodeAt(pos + 5) === COLON &&
  s.charCodeAt(pos + 6) === SPACE

const isAllDigits = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}
