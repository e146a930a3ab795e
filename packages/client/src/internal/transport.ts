/**
 * The HTTP transport on any client that can send one request: request preparation and validation,
 * limits, error bodies, redirects, spans and trace context. `httpClientTransport` runs it on an
 * `@effect/platform` `HttpClient`, `fetchTransport` directly on `fetch`.
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as LogLevel from "effect/LogLevel"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as HttpTransport from "../HttpTransport.js"
import * as Request from "../Request.js"
import * as TransportError from "../TransportError.js"
import { injectTraceHeaders } from "./traceContext.js"
import { redactUrl, scrubCause } from "./url.js"

/**
 * One hop of a request as it goes on the wire: final headers (with `traceparent` and
 * `content-length`) and the prepared body.
 * @internal
 */
export interface Outgoing {
  readonly method: string
  readonly url: string
  readonly headers: Headers.Headers
  readonly body: Request.PreparedBody["body"]
}

/**
 * The response of one hop. `stream` and `bytes` fail with `TransportError`s.
 * @internal
 */
export interface Incoming {
  readonly status: number
  readonly headers: Headers.Headers
  readonly stream: Stream.Stream<Uint8Array, TransportError.TransportError>
  readonly bytes: Effect.Effect<Uint8Array, TransportError.TransportError>
}

/**
 * Sends one hop and returns once its headers arrived, without following redirects. The request
 * belongs to the `Scope`: closing it aborts the request and releases the connection.
 * @internal
 */
export type Send = (outgoing: Outgoing) => Effect.Effect<Incoming, TransportError.TransportError, Scope.Scope>

// ---------------------------------------------------------------------------------------------
// error mapping
// ---------------------------------------------------------------------------------------------

const timeoutCodes = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ETIMEDOUT",
  "TimeoutError"
])

/** Error text with its causes (fetch reports "fetch failed" and puts the reason in `cause`). */
/** @internal */
export const describe = (cause: unknown): string => {
  const parts: Array<string> = []
  let current: unknown = cause
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    const message = current instanceof Error ? current.message : typeof current === "string" ? current : String(current)
    if (message !== "" && !parts.includes(message)) parts.push(message)
    current = current instanceof Error ? current.cause : undefined
  }
  return parts.length === 0 ? "unknown error" : parts.join(": ")
}

const isTimeout = (cause: unknown): boolean => {
  let current: unknown = cause
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code
    if ((typeof code === "string" && timeoutCodes.has(code)) || timeoutCodes.has(current.name)) return true
    current = current.cause
  }
  return false
}

/** A `TransportError` raised by the caller's request body stream, wherever the client wrapped it. */
/** @internal */
export const findTransportError = (cause: unknown): TransportError.TransportError | undefined => {
  let current: unknown = cause
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    if (TransportError.isTransportError(current)) return current
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * The error for a failure of the underlying client (`cause` is what it threw, `message` describes
 * the failure when there is no cause): a `TransportError`
 * raised by the caller's request body stream as is, `Timeout` for timeouts, else `Network`.
 * @internal
 */
export const fromCause = (cause: unknown, message?: string): TransportError.TransportError => {
  const passthrough = findTransportError(cause)
  if (passthrough !== undefined) return passthrough
  if (isTimeout(cause)) return new TransportError.Timeout()
  // Messages and causes can quote the request URL; its credentials never reach the error.
  return new TransportError.Network({ reason: redactUrl(describe(cause ?? message)), cause: scrubCause(cause) })
}

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })

/** The body as text, `undefined` when it is not valid UTF-8 (as the Codex CLI's `String::from_utf8`). */
const decodeUtf8 = (bytes: Uint8Array): string | undefined => {
  try {
    return decoder.decode(bytes)
  } catch {
    return undefined
  }
}

/** A prefix cut mid-character decodes without its incomplete last character. */
const decodeUtf8Prefix = (bytes: Uint8Array): string | undefined => {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes, { stream: true })
  } catch {
    return undefined
  }
}

/**
 * The first `maxErrorBodySize` bytes of an error body, read for at most `timeout` in total (a body
 * that drips defeats any per-chunk timer). Reading stops at either bound, which aborts the rest of
 * the response; a connection failure before that fails as usual.
 */
const readErrorBody = (
  response: Incoming,
  limits: Limits
): Effect.Effect<{ readonly bytes: Uint8Array; readonly truncated: boolean }, TransportError.TransportError> =>
  Effect.suspend(() => {
    const max = limits.maxErrorBodySize
    const chunks: Array<Uint8Array> = []
    let size = 0
    let truncated = false
    const read = response.stream.pipe(
      Stream.runForEachWhile((chunk) =>
        Effect.sync(() => {
          const room = max - size
          if (chunk.byteLength > room) truncated = true
          const kept = chunk.byteLength > room ? chunk.subarray(0, room) : chunk
          chunks.push(kept)
          size += kept.byteLength
          return !truncated
        })
      )
    )
    const bounded =
      limits.headersTimeout === undefined
        ? read
        : Effect.map(Effect.timeoutOption(read, limits.headersTimeout), (done) => {
            if (done._tag === "None") truncated = true
          })
    return Effect.map(bounded, () => {
      const bytes = new Uint8Array(size)
      let offset = 0
      for (const chunk of chunks) {
        bytes.set(chunk, offset)
        offset += chunk.byteLength
      }
      return { bytes, truncated }
    })
  })

const httpError = (
  request: Request.Request,
  response: Incoming,
  limits: Limits
): Effect.Effect<never, TransportError.TransportError> =>
  Effect.flatMap(readErrorBody(response, limits), ({ bytes, truncated }) =>
    Effect.fail(
      new TransportError.Http({
        status: response.status,
        url: request.url,
        headers: response.headers,
        body: truncated ? decodeUtf8Prefix(bytes) : decodeUtf8(bytes),
        ...(truncated ? { bodyTruncated: true } : {})
      })
    )
  )

const isSuccess = (status: number): boolean => status >= 200 && status <= 299

// ---------------------------------------------------------------------------------------------
// transport
// ---------------------------------------------------------------------------------------------

const redactSecrets = (names: ReadonlyArray<string | RegExp>): ReadonlyArray<string | RegExp> => {
  const extra = TransportError.secretHeaderNames.filter((name) => !names.includes(name))
  return extra.length === 0 ? names : [...names, ...extra]
}

/** Runs `effect` in a client span for `request`, with secret header names redacted in logs and spans. */
const instrument = <A, E, R>(request: Request.Request, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  effect.pipe(
    Effect.withSpan(`http.client ${request.method}`, {
      kind: "client",
      captureStackTrace: false,
      attributes: { "http.request.method": request.method, "url.full": redactUrl(request.url) }
    }),
    Effect.locallyWith(Headers.currentRedactedNames, redactSecrets)
  )

const describeBody = (request: Request.Request): string => {
  const body = request.body
  if (body === undefined) return "<no body>"
  switch (body._tag) {
    case "Json":
      try {
        return JSON.stringify(body.value) ?? "<invalid json body>"
      } catch {
        return "<invalid json body>"
      }
    case "Raw":
      return `<raw body: ${body.bytes.byteLength} bytes>`
    case "Stream":
      return body.contentLength === undefined ? "<stream body>" : `<stream body: ${body.contentLength} bytes>`
  }
}

/** `{method} to {url}: {body}` at TRACE level, as the reference transport logs (computed only when enabled). */
const traceRequest = (request: Request.Request): Effect.Effect<void> =>
  Effect.flatMap(FiberRef.get(FiberRef.currentMinimumLogLevel), (minimum) =>
    minimum.ordinal <= LogLevel.Trace.ordinal
      ? Effect.logTrace(`${request.method} to ${redactUrl(request.url)}: ${describeBody(request)}`)
      : Effect.void
  )

/**
 * The first hop of `request` (URL and headers checked, body prepared once, `traceparent` of the
 * current span added), logged at TRACE level. The prepared headers are final: no content type is
 * invented for raw or streamed bodies; only the content length of a non-empty body of known size
 * is added.
 */
const prepare = (request: Request.Request): Effect.Effect<Outgoing, TransportError.TransportError> =>
  Effect.gen(function* () {
    yield* Request.validate(request)
    const prepared = yield* Request.prepareBody(request)
    let headers = yield* injectTraceHeaders(prepared.headers)
    const body = prepared.body
    const contentLength =
      body === undefined ? undefined : body._tag === "Bytes" ? body.bytes.byteLength : body.contentLength
    if (contentLength && headers["content-length"] === undefined) {
      headers = Headers.set(headers, "content-length", String(contentLength))
    }
    yield* traceRequest(request)
    return { method: request.method, url: request.url, headers, body }
  })

const withTimeout = <A, R>(
  request: Request.Request,
  effect: Effect.Effect<A, TransportError.TransportError, R>
): Effect.Effect<A, TransportError.TransportError, R> =>
  request.timeout === undefined
    ? effect
    : Effect.timeoutFail(effect, { duration: request.timeout, onTimeout: () => new TransportError.Timeout() })

/** The bounds in effect for one request. */
interface Limits {
  /** Time to response headers, and total time to read an error body; `undefined` = unbounded. */
  readonly headersTimeout: Duration.Duration | undefined
  readonly maxErrorBodySize: number
}

/** @internal */
export const currentHeadersTimeout: FiberRef.FiberRef<Duration.Duration> = FiberRef.unsafeMake(Duration.minutes(5))

/** @internal */
export const currentMaxErrorBodySize: FiberRef.FiberRef<number> = FiberRef.unsafeMake(64 * 1024)

const limitsFor = (request: Request.Request): Effect.Effect<Limits> =>
  Effect.map(
    Effect.all([FiberRef.get(currentHeadersTimeout), FiberRef.get(currentMaxErrorBodySize)]),
    ([fallback, maxErrorBodySize]) => {
      // A request with its own whole-request timeout is bounded by it, unless it also sets its own
      // time to headers; zero or infinite turns the bound off.
      if (request.headersTimeout === undefined && request.timeout !== undefined) {
        return { headersTimeout: undefined, maxErrorBodySize: Math.max(0, maxErrorBodySize) }
      }
      const timeout = request.headersTimeout === undefined ? fallback : Duration.decode(request.headersTimeout)
      const bounded = Duration.isFinite(timeout) && !Duration.isZero(timeout)
      return { headersTimeout: bounded ? timeout : undefined, maxErrorBodySize: Math.max(0, maxErrorBodySize) }
    }
  )

/** Fails with `Timeout` when the response headers take longer than the limit. */
const untilHeaders = <A, R>(
  limits: Limits,
  effect: Effect.Effect<A, TransportError.TransportError, R>
): Effect.Effect<A, TransportError.TransportError, R> =>
  limits.headersTimeout === undefined
    ? effect
    : Effect.timeoutFail(effect, { duration: limits.headersTimeout, onTimeout: () => new TransportError.Timeout() })

// ---------------------------------------------------------------------------------------------
// redirects
// ---------------------------------------------------------------------------------------------

/** Redirects are followed like reqwest's default policy: up to 10 hops. */
const maxRedirects = 10

const isRedirect = (status: number): boolean =>
  status === 301 || status === 302 || status === 303 || status === 307 || status === 308

/** Headers that describe a body, dropped with it when a redirect turns the request into a GET. */
const bodyHeaders: ReadonlyArray<string> = ["content-type", "content-length", "content-encoding", "transfer-encoding"]

/** Credentials that never follow a redirect to another origin (with the request's own ones). */
const crossOriginDropped: ReadonlyArray<string> = [...TransportError.secretHeaderNames, "cookie2", "www-authenticate"]

const removeHeaders = (headers: Headers.Headers, names: ReadonlyArray<string>): Headers.Headers =>
  names.reduce((out, name) => Headers.remove(out, name), headers)

/**
 * The request a redirect response leads to, or `undefined` when the response is returned as is
 * (no usable `Location`, a non-http(s) target, or a 307 / 308 of a streamed body that cannot be
 * sent twice). As reqwest: 301 / 302 / 303 turn into a `GET` without a body, 307 / 308 repeat the
 * request. Unlike reqwest (and fetch / undici, which drop only `authorization`, `cookie` and
 * `proxy-authorization`), a redirect to another origin drops every credential header: all of
 * `TransportError.secretHeaderNames` and the request's `credentialHeaders`.
 */
const redirectRequest = (
  current: Outgoing,
  status: number,
  location: string | undefined,
  credentialHeaders: ReadonlyArray<string>
): Outgoing | undefined => {
  if (location === undefined || !URL.canParse(current.url)) return undefined
  const from = new URL(current.url)
  if (!URL.canParse(location, from)) return undefined
  const to = new URL(location, from)
  if (to.protocol !== "http:" && to.protocol !== "https:") return undefined
  to.hash = ""
  let method = current.method
  let body = current.body
  let headers = current.headers
  if (status === 301 || status === 302 || status === 303) {
    if (method !== "GET" && method !== "HEAD") method = "GET"
    body = undefined
    headers = removeHeaders(headers, bodyHeaders)
  } else if (body?._tag === "Stream") {
    return undefined
  }
  if (to.origin !== from.origin) {
    headers = removeHeaders(headers, [...crossOriginDropped, ...credentialHeaders.map((name) => name.toLowerCase())])
  }
  return { method, url: to.toString(), headers, body }
}

/**
 * The transport on `send`, which sends one hop (it never follows redirects itself).
 * @internal
 */
export const makeWith = (send: Send): HttpTransport.Service => {
  /**
   * Sends `first` and follows redirects. Each hop's request lives in a scope forked from `parent`;
   * a redirect response is released at once.
   */
  const sendFollowing = (
    request: Request.Request,
    first: Outgoing,
    parent: Scope.Scope
  ): Effect.Effect<Incoming, TransportError.TransportError> => {
    const credentialHeaders = request.credentialHeaders ?? []
    const hop = (current: Outgoing, hops: number): Effect.Effect<Incoming, TransportError.TransportError> =>
      Effect.gen(function* () {
        const scope = yield* Scope.fork(parent, ExecutionStrategy.sequential)
        const response = yield* Scope.extend(send(current), scope)
        const next =
          hops < maxRedirects && isRedirect(response.status)
            ? redirectRequest(current, response.status, response.headers.location, credentialHeaders)
            : undefined
        if (next === undefined) return response
        yield* Scope.close(scope, Exit.void)
        return yield* hop(next, hops + 1)
      })
    return hop(first, 0)
  }

  const execute = (request: Request.Request): Effect.Effect<HttpTransport.Response, TransportError.TransportError> =>
    instrument(
      request,
      Effect.gen(function* () {
        const outgoing = yield* prepare(request)
        const limits = yield* limitsFor(request)
        // The request's scope closes once the body is read (or on failure / interruption).
        return yield* withTimeout(
          request,
          Effect.scoped(
            Effect.gen(function* () {
              const response = yield* untilHeaders(limits, sendFollowing(request, outgoing, yield* Effect.scope))
              yield* Effect.annotateCurrentSpan("http.response.status_code", response.status)
              if (!isSuccess(response.status)) return yield* httpError(request, response, limits)
              const body = yield* response.bytes
              return { status: response.status, headers: response.headers, body }
            })
          )
        )
      })
    )

  const stream = (
    request: Request.Request
  ): Effect.Effect<HttpTransport.StreamResponse, TransportError.TransportError, Scope.Scope> =>
    instrument(
      request,
      Effect.gen(function* () {
        const outgoing = yield* prepare(request)
        const limits = yield* limitsFor(request)
        // A scope of its own, closed when the body stream ends in any way or when the caller's scope
        // closes; closing it aborts the request, which releases the socket.
        const requestScope = yield* Scope.fork(yield* Effect.scope, ExecutionStrategy.sequential)
        const release = Scope.close(requestScope, Exit.void)
        const response = yield* withTimeout(
          request,
          untilHeaders(limits, sendFollowing(request, outgoing, requestScope))
        ).pipe(Effect.onError(() => release))
        yield* Effect.annotateCurrentSpan("http.response.status_code", response.status)
        if (!isSuccess(response.status)) {
          return yield* httpError(request, response, limits).pipe(Effect.ensuring(release))
        }
        const body = Stream.ensuring(response.stream, release)
        return { status: response.status, headers: response.headers, body }
      })
    )

  return { execute, stream }
}
