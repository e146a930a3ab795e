/**
 * A scoped WebSocket on top of `ws`.
 *
 * Why not `@effect/platform`'s `Socket.makeWebSocket`: it hides the HTTP upgrade. The Responses
 * client must read upgrade-response headers (`x-reasoning-included`, `x-models-etag`,
 * `openai-model`, `x-codex-turn-state`) and map a rejected handshake to `Http{status, headers, body}`,
 * and both readers must tell a Close frame (with code/reason) from a dropped connection. `ws` exposes
 * all of this through its `upgrade` / `unexpected-response` / `close` events, so the socket is wrapped
 * here as an Effect resource instead.
 *
 * Inbound frames are pushed by `ws` listeners into a plain buffer that readers drain synchronously
 * (`take`), waiting (`readable` / `onReadable`) only when it is empty, so the per-frame cost is an
 * array push and shift rather than an Effect queue operation. A pending read never blocks a `send`.
 * The buffer is bounded: while more than {@link maxBufferedBytes} wait unread, the socket is paused
 * (TCP back-pressure reaches the server) and it resumes once readers caught up. `ws` answers Ping frames itself and never surfaces them, so pings do not count as
 * activity for idle timeouts. The scope finalizer terminates the socket (no close handshake wait).
 * `wss` connections trust the custom CA bundle of the `WebsocketTls` reference (Node's roots + bundle).
 * @internal
 */
import * as CustomCa from "@codex/client/CustomCa"
import * as Request from "@codex/client/Request"
import * as TransportError from "@codex/client/TransportError"
import * as Headers from "@effect/platform/Headers"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { IncomingMessage } from "node:http"
import WebSocket from "ws"
import * as ApiError from "../ApiError.js"
import { WebsocketTls } from "../WebsocketTls.js"

/**
 * The value `build` returns as the text of a frame. A value `JSON.stringify` rejects (a BigInt, a
 * cycle) or cannot represent, or a throwing `build`, is a typed `Build` error, as an HTTP JSON body is.
 * @internal
 */
export const encodeJson = (build: () => unknown): Effect.Effect<string, ApiError.ApiError> =>
  Effect.suspend(() => {
    let text: string | undefined
    try {
      text = JSON.stringify(build()) as string | undefined
    } catch (cause) {
      return Effect.fail(
        ApiError.fromTransport(
          new TransportError.Build({ reason: `failed to serialize JSON body: ${String(cause)}`, cause })
        )
      )
    }
    return text === undefined
      ? Effect.fail(
          ApiError.fromTransport(
            new TransportError.Build({ reason: "failed to serialize JSON body: value is not JSON" })
          )
        )
      : Effect.succeed(text)
  })

/**
 * Checks a provider base URL a WebSocket URL is made from: `http(s)` or `ws(s)`, a host of its own
 * (`http://` would otherwise make the path the host) and no fragment. A typed `Build` error, shown
 * without credentials.
 * @internal
 */
export const validateBaseUrl = (baseUrl: string): Effect.Effect<void, ApiError.ApiError> =>
  Effect.mapError(Request.validateUrl(baseUrl, ["http:", "https:", "ws:", "wss:"]), ApiError.fromTransport)

/** @internal */
export type Frame =
  | { readonly _tag: "Text"; readonly text: string }
  | { readonly _tag: "Binary"; readonly data: Uint8Array }
  /** A Close frame was received (`code` 1005 when it carried no status). */
  | { readonly _tag: "Close"; readonly code: number; readonly reason: string }
  /** The connection ended without a Close frame. */
  | { readonly _tag: "End" }
  | { readonly _tag: "ReadError"; readonly message: string }

/** @internal */
export type HandshakeError =
  | {
      readonly _tag: "Rejected"
      readonly status: number
      readonly headers: Headers.Headers
      readonly body: string | undefined
    }
  | { readonly _tag: "Closed" }
  | { readonly _tag: "Network"; readonly message: string }
  /** The URL or a header cannot go on the wire; nothing was sent. */
  | { readonly _tag: "Invalid"; readonly error: TransportError.Build }
  /** The server did not complete the upgrade within `connectTimeout` (the socket was dropped). */
  | { readonly _tag: "Timeout"; readonly after: Duration.Duration }

/** @internal */
export class SendError {
  readonly _tag = "SendError"
  constructor(
    readonly message: string,
    readonly closed: boolean
  ) {}
}

/** @internal */
export interface Socket {
  /** The URL with its credentials (`user:password@`) redacted, for display. */
  readonly url: string
  readonly status: number
  readonly responseHeaders: Headers.Headers
  /** Next inbound frame; after `Close`/`End`/`ReadError` it keeps returning `End`. */
  readonly read: Effect.Effect<Frame>
  /** The next buffered frame, `undefined` when none is buffered (never waits); `End` after the end. */
  readonly take: () => Frame | undefined
  /**
   * Calls `callback` once as soon as `take` has a frame (at once when it already has); `undefined`
   * cancels a pending callback. One callback at a time.
   */
  readonly onReadable: (callback: (() => void) | undefined) => void
  /** Waits until `take` has a frame. */
  readonly readable: Effect.Effect<void>
  readonly send: (text: string) => Effect.Effect<void, SendError>
  /** Sends a Close frame (no-op when already closing/closed). */
  readonly close: Effect.Effect<void, SendError>
  /** Drops the connection at once. */
  readonly terminate: Effect.Effect<void>
  readonly isOpen: () => boolean
  /** Exposed for tests of the handshake configuration. */
  readonly raw: WebSocket
}

/** @internal */
export interface ConnectOptions {
  readonly headers: Headers.Headers
  readonly perMessageDeflate: boolean
  /** Bound of the whole handshake (TCP, TLS, upgrade response). */
  readonly connectTimeout: Duration.DurationInput
}

const utf8 = new TextDecoder("utf-8", { fatal: true })
const decodeUtf8 = (bytes: Buffer): string | undefined => {
  try {
    return utf8.decode(bytes)
  } catch {
    return undefined
  }
}

const toHeaders = (res: IncomingMessage): Headers.Headers => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue
    // Like the Codex CLI's `HeaderMap::get`, the first value of a repeated header wins.
    out[name] = Array.isArray(value) ? (value[0] ?? "") : value
  }
  return Headers.fromInput(out)
}

/**
 * Unread bytes (text and binary payloads, plus a small per-frame overhead) above which the socket is
 * paused; it resumes below half of it.
 * @internal
 */
export const maxBufferedBytes = 4 * 1024 * 1024

const frameOverhead = 64

/** The unread frames of one socket: an array with a moving head, bounded by pausing the socket. */
class Inbound {
  private frames: Array<Frame> = []
  private head = 0
  private bytes = 0
  /** A terminal frame (Close, End, ReadError) was pushed: later pushes are dropped. */
  private finished = false
  /** A terminal frame was taken: `take` returns `End` from now on. */
  private ended = false
  private paused = false
  private readableCallback: (() => void) | undefined = undefined
  socket: WebSocket | undefined = undefined

  push(frame: Frame, size: number): void {
    if (this.finished) return
    if (frame._tag !== "Text" && frame._tag !== "Binary") this.finished = true
    this.frames.push(frame)
    this.bytes += size + frameOverhead
    if (!this.paused && this.bytes > maxBufferedBytes && this.socket !== undefined) {
      this.paused = true
      this.socket.pause()
    }
    const callback = this.readableCallback
    if (callback !== undefined) {
      this.readableCallback = undefined
      callback()
    }
  }

  take(): Frame | undefined {
    if (this.ended) return endFrame
    if (this.head === this.frames.length) return undefined
    const frame = this.frames[this.head]!
    this.frames[this.head] = endFrame
    this.head++
    if (this.head === this.frames.length) {
      this.frames = []
      this.head = 0
    } else if (this.head >= 1024 && this.head * 2 >= this.frames.length) {
      this.frames = this.frames.slice(this.head)
      this.head = 0
    }
    switch (frame._tag) {
      case "Text":
        this.bytes -= frame.text.length + frameOverhead
        break
      case "Binary":
        this.bytes -= frame.data.byteLength + frameOverhead
        break
      default:
        this.bytes -= frameOverhead
        this.ended = true
    }
    if (this.paused && this.bytes <= maxBufferedBytes / 2 && this.socket !== undefined) {
      this.paused = false
      this.socket.resume()
    }
    return frame
  }

  onReadable(callback: (() => void) | undefined): void {
    if (callback !== undefined && (this.ended || this.head < this.frames.length)) {
      this.readableCallback = undefined
      callback()
    } else {
      this.readableCallback = callback
    }
  }
}

const endFrame: Frame = { _tag: "End" }

const rawToBuffer = (data: WebSocket.RawData): Buffer =>
  Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)

/**
 * Opens a WebSocket; the scope owns it. Fails with the mapped handshake error.
 * @internal
 */
export const connect = (url: string, options: ConnectOptions): Effect.Effect<Socket, HandshakeError, Scope.Scope> =>
  Effect.gen(function* () {
    const inbound = new Inbound()
    // A custom CA applies to `wss` only; `tlsOptions` reuses one secure context per bundle.
    const tls = url.startsWith("wss:") ? CustomCa.tlsOptions((yield* WebsocketTls).ca) : {}
    // Not `acquireRelease`: its acquire is uninterruptible, so a pending handshake (a server that
    // never answers the upgrade) could not be interrupted or timed out. The finalizer is registered
    // first and drops the socket once it opened; an interrupted handshake is aborted by the canceler.
    let openedSocket: WebSocket | undefined
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        if (openedSocket !== undefined && openedSocket.readyState !== WebSocket.CLOSED) openedSocket.terminate()
      })
    )
    // `ws` throws on what it cannot send (a fragment, another scheme, a bad header): checked first so
    // the caller gets a typed error naming the problem, never a defect or a header value.
    yield* Effect.mapError(
      Effect.zipRight(Request.validateUrl(url, ["ws:", "wss:"]), Request.validateHeaders(options.headers)),
      (error): HandshakeError => ({ _tag: "Invalid", error })
    )
    const connectTimeout = Duration.decode(options.connectTimeout)
    const handshake = Effect.async<Socket, HandshakeError>((resume) => {
      let ws: WebSocket
      try {
        ws = new WebSocket(url, {
          headers: { ...options.headers },
          perMessageDeflate: options.perMessageDeflate,
          ...tls
        })
      } catch (cause) {
        const reason = Request.redactUrl(cause instanceof Error ? cause.message : String(cause))
        resume(Effect.fail({ _tag: "Invalid", error: new TransportError.Build({ reason }) }))
        return
      }
      inbound.socket = ws
      let settled = false
      let opened = false
      let status = 101
      let responseHeaders = Headers.empty
      const settle = (effect: Effect.Effect<Socket, HandshakeError>) => {
        if (settled) return
        settled = true
        resume(effect)
      }
      ws.on("upgrade", (res) => {
        status = res.statusCode ?? 101
        responseHeaders = toHeaders(res)
      })
      ws.on("unexpected-response", (req, res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (chunk: Buffer) => chunks.push(chunk))
        const done = () => {
          settle(
            Effect.fail({
              _tag: "Rejected",
              status: res.statusCode ?? 0,
              headers: toHeaders(res),
              body: decodeUtf8(Buffer.concat(chunks))
            })
          )
          req.destroy()
          res.destroy()
        }
        res.on("end", done)
        res.on("error", done)
        res.on("close", done)
      })
      ws.on("open", () => {
        opened = true
        openedSocket = ws
        settle(Effect.succeed(makeSocket(Request.redactUrl(url), ws, status, responseHeaders, inbound)))
      })
      ws.on("message", (data, isBinary) => {
        const bytes = rawToBuffer(data)
        if (isBinary) inbound.push({ _tag: "Binary", data: new Uint8Array(bytes) }, bytes.length)
        else {
          const text = bytes.toString("utf8")
          inbound.push({ _tag: "Text", text }, text.length)
        }
      })
      ws.on("error", (error) => {
        if (!opened) settle(Effect.fail({ _tag: "Network", message: Request.redactUrl(error.message) }))
        else inbound.push({ _tag: "ReadError", message: error.message }, 0)
      })
      ws.on("close", (code, reason) => {
        if (!opened) settle(Effect.fail({ _tag: "Closed" }))
        // 1006 is set locally when the TCP connection ended without a Close frame.
        inbound.push(code === 1006 ? endFrame : { _tag: "Close", code, reason: reason.toString("utf8") }, 0)
      })
      return Effect.sync(() => ws.terminate())
    })
    // On timeout the pending handshake is interrupted, and its canceler drops the socket.
    return yield* Effect.timeoutFail(handshake, {
      duration: connectTimeout,
      onTimeout: (): HandshakeError => ({ _tag: "Timeout", after: connectTimeout })
    })
  })

const makeSocket = (
  url: string,
  ws: WebSocket,
  status: number,
  responseHeaders: Headers.Headers,
  inbound: Inbound
): Socket => {
  const take = () => inbound.take()
  const onReadable = (callback: (() => void) | undefined) => inbound.onReadable(callback)
  const readable = Effect.async<void>((resume) => {
    inbound.onReadable(() => resume(Effect.void))
    return Effect.sync(() => inbound.onReadable(undefined))
  })
  const read: Effect.Effect<Frame> = Effect.suspend(() => {
    const frame = inbound.take()
    return frame === undefined ? Effect.zipRight(readable, read) : Effect.succeed(frame)
  })
  const send = (text: string): Effect.Effect<void, SendError> =>
    Effect.async<void, SendError>((resume) => {
      if (ws.readyState !== WebSocket.OPEN) {
        resume(Effect.fail(new SendError("websocket is not open", true)))
        return
      }
      ws.send(text, (error) => {
        resume(error === undefined || error === null ? Effect.void : Effect.fail(new SendError(error.message, false)))
      })
    })
  const close: Effect.Effect<void, SendError> = Effect.try({
    try: () => {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close()
    },
    catch: (error) => new SendError(error instanceof Error ? error.message : String(error), false)
  })
  return {
    url,
    status,
    responseHeaders,
    read,
    take,
    onReadable,
    readable,
    send,
    close,
    terminate: Effect.sync(() => {
      if (ws.readyState !== WebSocket.CLOSED) ws.terminate()
    }),
    isOpen: () => ws.readyState === WebSocket.OPEN,
    raw: ws
  }
}
