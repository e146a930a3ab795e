/**
 * The transport's request model: method, URL, headers, an optional body (JSON value, raw bytes or a
 * byte stream), request compression and an optional whole-request timeout.
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"
import * as zstd from "#zstd"
import * as internalUrl from "./internal/url.js"
import * as TransportError from "./TransportError.js"

/**
 * An HTTP method.
 *
 * @since 0.1.0
 * @category models
 */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS"

/**
 * A request body: JSON, raw bytes or a byte stream.
 *
 * @since 0.1.0
 * @category models
 */
export type RequestBody =
  | { readonly _tag: "Json"; readonly value: unknown }
  | { readonly _tag: "Raw"; readonly bytes: Uint8Array }
  | {
      readonly _tag: "Stream"
      readonly stream: Stream.Stream<Uint8Array, TransportError.TransportError>
      readonly contentLength?: number | undefined
    }

/**
 * Body compression: none or zstd.
 *
 * @since 0.1.0
 * @category models
 */
export type Compression = "none" | "zstd"

/**
 * An HTTP request as the transports send it: method, URL, headers, optional body, body compression
 * and optional timeouts.
 *
 * @since 0.1.0
 * @category models
 */
export interface Request {
  readonly method: Method
  readonly url: string
  readonly headers: Headers.Headers
  readonly body?: RequestBody | undefined
  readonly compression: Compression
  /** Whole-request timeout (time to the full unary body, or to the response headers of a stream). */
  readonly timeout?: Duration.DurationInput | undefined
  /**
   * Time allowed from sending the request to the response headers, which also bounds reading an
   * error body; exceeding it fails with `TransportError.Timeout` (retried like a network error).
   * Default: the transport's `HttpTransport.currentHeadersTimeout` (5 minutes), or none when
   * `timeout` is set (it bounds the headers already). Zero turns it off.
   */
  readonly headersTimeout?: Duration.DurationInput | undefined
  /**
   * Names of headers that carry credentials besides `TransportError.secretHeaderNames` (e.g. the
   * ones an auth provider added); like those, they are dropped when a redirect leaves the origin.
   */
  readonly credentialHeaders?: ReadonlyArray<string> | undefined
}

/**
 * The exact bytes and final headers that go on the wire (see {@link prepareBody}).
 *
 * @since 0.1.0
 * @category models
 */
export interface PreparedBody {
  readonly headers: Headers.Headers
  readonly body?:
    | { readonly _tag: "Bytes"; readonly bytes: Uint8Array }
    | {
        readonly _tag: "Stream"
        readonly stream: Stream.Stream<Uint8Array, TransportError.TransportError>
        readonly contentLength?: number | undefined
      }
    | undefined
}

/**
 * `make(method, url)`: empty headers, no body, no compression, no timeout.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (method: Method, url: string): Request => ({
  method,
  url,
  headers: Headers.empty,
  compression: "none"
})

/**
 * Sets a header, replacing one of the same name.
 *
 * @since 0.1.0
 * @category combinators
 */
export const setHeader = (self: Request, name: string, value: string): Request => ({
  ...self,
  headers: Headers.set(self.headers, name, value)
})

/**
 * Sets every header of `headers`, replacing same-named values.
 *
 * @since 0.1.0
 * @category combinators
 */
export const setHeaders = (self: Request, headers: Headers.Input): Request => ({
  ...self,
  headers: Headers.setAll(self.headers, headers)
})

/**
 * Sets a JSON body.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withJson = (self: Request, value: unknown): Request => ({ ...self, body: { _tag: "Json", value } })

/**
 * Sets a raw body.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withRawBody = (self: Request, bytes: Uint8Array): Request => ({ ...self, body: { _tag: "Raw", bytes } })

/**
 * Sets the body compression.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withCompression = (self: Request, compression: Compression): Request => ({ ...self, compression })

/**
 * Sets the whole-request timeout.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withTimeout = (self: Request, timeout: Duration.DurationInput | undefined): Request => ({
  ...self,
  timeout
})

/**
 * Sets {@link Request.headersTimeout}.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withHeadersTimeout = (self: Request, headersTimeout: Duration.DurationInput | undefined): Request => ({
  ...self,
  headersTimeout
})

/**
 * Body preparation, as in the Codex CLI: a JSON body becomes compact JSON bytes; with zstd
 * compression it is compressed at level 3 and `Content-Encoding: zstd` is set (failing when a
 * `Content-Encoding` is already present); `Content-Type: application/json` is added only when absent.
 * A raw or streamed body is sent as-is and cannot be compressed. Failures are `TransportError.Build`;
 * unlike the Codex CLI (which silently drops a body it cannot serialize) a value `JSON.stringify`
 * rejects is a `Build` error too. zstd uses `node:zlib` when it has it (Node >= 22.15), else a
 * WebAssembly build loaded on first use; where there is no `node:zlib` (browsers, edge runtimes)
 * zstd compression is a `Build` error.
 *
 * @since 0.1.0
 * @category body
 */
export const prepareBody = (self: Request): Effect.Effect<PreparedBody, TransportError.Build> => {
  const body = self.body
  if (body === undefined) {
    return Effect.succeed({ headers: self.headers })
  }
  switch (body._tag) {
    case "Raw":
    case "Stream": {
      if (self.compression !== "none") {
        return Effect.fail(new TransportError.Build({ reason: "request compression cannot be used with raw bodies" }))
      }
      return Effect.succeed({
        headers: self.headers,
        body:
          body._tag === "Raw"
            ? { _tag: "Bytes", bytes: body.bytes }
            : { _tag: "Stream", stream: body.stream, contentLength: body.contentLength }
      })
    }
    case "Json":
      return prepareJson(self, body.value)
  }
}

const textEncoder = new TextEncoder()

const prepareJson = (self: Request, value: unknown): Effect.Effect<PreparedBody, TransportError.Build> =>
  Effect.gen(function* () {
    const json = yield* Effect.try({
      try: () => JSON.stringify(value) as string | undefined,
      catch: (cause) => new TransportError.Build({ reason: `failed to serialize JSON body: ${String(cause)}`, cause })
    })
    if (json === undefined) {
      return yield* new TransportError.Build({ reason: "failed to serialize JSON body: value is not JSON" })
    }
    let headers = self.headers
    let bytes: Uint8Array = textEncoder.encode(json)
    if (self.compression === "zstd") {
      if (headers["content-encoding"] !== undefined) {
        return yield* new TransportError.Build({
          reason: "request compression was requested but content-encoding is already set"
        })
      }
      bytes = yield* Effect.mapError(
        zstd.compress(bytes),
        (cause) => new TransportError.Build({ reason: `failed to compress request body: ${String(cause)}`, cause })
      )
      headers = Headers.set(headers, "content-encoding", "zstd")
    }
    if (headers["content-type"] === undefined) {
      headers = Headers.set(headers, "content-type", "application/json")
    }
    return { headers, body: { _tag: "Bytes", bytes } } satisfies PreparedBody
  })

// ---------------------------------------------------------------------------------------------
// validation and redaction
// ---------------------------------------------------------------------------------------------

/**
 * Checks headers before they go on the wire (HTTP requests and WebSocket handshakes alike): every
 * name must be an RFC 9110 token and every value may hold only tab, space, visible ASCII and
 * Latin-1 characters (no CR, LF, NUL or other control characters). Fails with a
 * `TransportError.Build` that names the first bad header but never shows its value (it may be a
 * token); `Build` errors are never retried.
 *
 * @example
 * ```ts
 * import * as Request from "@codex/client/Request"
 *
 * // fails with `request build error: invalid value for header "authorization": it contains a line break (CR or LF)`
 * Request.validateHeaders({ authorization: "Bearer abc\r\nx-injected: 1" })
 * ```
 *
 * @since 0.1.0
 * @category validation
 */
export const validateHeaders = (headers: Headers.Input): Effect.Effect<void, TransportError.Build> =>
  Effect.suspend(() => {
    const entries: Iterable<readonly [string, string | ReadonlyArray<string> | undefined]> =
      Symbol.iterator in headers
        ? (headers as Iterable<readonly [string, string]>)
        : Object.entries(headers as Record<string, string | ReadonlyArray<string> | undefined>)
    for (const [name, value] of entries) {
      const values = value === undefined ? [] : typeof value === "string" ? [value] : value
      for (const one of values) {
        const problem = internalUrl.headerProblem(name, one)
        if (problem !== undefined) return Effect.fail(new TransportError.Build({ reason: problem }))
      }
      if (values.length === 0) {
        const problem = internalUrl.headerProblem(name, "")
        if (problem !== undefined) return Effect.fail(new TransportError.Build({ reason: problem }))
      }
    }
    return Effect.void
  })

/**
 * Checks that `url` can be requested over HTTP: an absolute `http:` / `https:` URL with a host
 * and without a `#fragment`. Anything else (`ftp:`, `file:`, `ws:`, `http://`, `http://h/v1#x`, a
 * string that does not parse) fails with a `TransportError.Build` (never retried) whose message
 * shows the URL with its credentials redacted. Pass `schemes` to accept others (e.g.
 * `["ws:", "wss:"]`).
 *
 * @since 0.1.0
 * @category validation
 */
export const validateUrl = (
  url: string,
  schemes: ReadonlyArray<string> = ["http:", "https:"]
): Effect.Effect<void, TransportError.Build> =>
  Effect.suspend(() => {
    const problem = internalUrl.httpUrlProblem(url, schemes)
    return problem === undefined ? Effect.void : Effect.fail(new TransportError.Build({ reason: problem }))
  })

/**
 * {@link validateUrl} and {@link validateHeaders} for a request; the HTTP transports run it before
 * anything is sent.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (self: Request): Effect.Effect<void, TransportError.Build> =>
  Effect.zipRight(validateUrl(self.url), validateHeaders(self.headers))

/**
 * `text` with the userinfo of every URL in it replaced by `<redacted>`
 * (`http://user:pw@host/v1` → `http://<redacted>@host/v1`), for anything that renders a URL:
 * errors, log lines, span names and attributes. Text without credentials is returned unchanged.
 *
 * @since 0.1.0
 * @category redaction
 */
export const redactUrl: (text: string) => string = internalUrl.redactUrl
