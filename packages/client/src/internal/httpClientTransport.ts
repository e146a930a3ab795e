/**
 * `HttpTransport` on top of `@effect/platform`'s `HttpClient`.
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
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
const describe = (cause: unknown): string => {
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
const findTransportError = (cause: unknown): TransportError.TransportError | undefined => {
  let current: unknown = cause
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    if (TransportError.isTransportError(current)) return current
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

const fromClientError = (error: HttpClientError.HttpClientError): TransportError.TransportError => {
  const passthrough = findTransportError(error.cause)
  if (passthrough !== undefined) return passthrough
  if (error._tag === "RequestError" && error.reason === "InvalidUrl") {
    return new TransportError.Build({
      reason: `invalid URL: ${redactUrl(describe(error.cause))}`,
      cause: scrubCause(error.cause)
    })
  }
  if (isTimeout(error.cause)) return new TransportError.Timeout()
  // Messages and causes can quote the request URL; its credentials never reach the error.
  return new TransportError.Network({
    reason: redactUrl(describe(error.cause ?? error.message)),
    cause: scrubCause(error.cause)
  })
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

const readBytes = (
  response: HttpClientResponse.HttpClientResponse
): Effect.Effect<Uint8Array, TransportError.TransportError> =>
  Effect.mapBoth(response.arrayBuffer, { onFailure: fromClientError, onSuccess: (buffer) => new Uint8Array(buffer) })

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
  response: HttpClientResponse.HttpClientResponse,
  limits: Limits
): Effect.Effect<{ readonly bytes: Uint8Array; readonly truncated: boolean }, TransportError.TransportError> =>
  Effect.suspend(() => {
    const max = limits.maxErrorBodySize
    const chunks: Array<Uint8Array> = []
    let size = 0
    let truncated = false
    const read = response.stream.pipe(
      Stream.mapError(fromClientError),
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
  response: HttpClientResponse.HttpClientResponse,
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
// request building
// ---------------------------------------------------------------------------------------------

const toClientRequest = (
  request: Request.Request,
  prepared: Request.PreparedBody
): Effect.Effect<HttpClientRequest.HttpClientRequest> =>
  Effect.gen(function* () {
    // W3C trace context of the current span (the platform's own span is disabled, see `make`).
    let headers = yield* injectTraceHeaders(prepared.headers)
    let out = HttpClientRequest.make(request.method)(request.url)
    const body = prepared.body
    if (body !== undefined) {
      out =
        body._tag === "Bytes"
          ? HttpClientRequest.setBody(out, HttpBody.raw(body.bytes, { contentLength: body.bytes.byteLength }))
          : HttpClientRequest.setBody(
              out,
              HttpBody.stream(body.stream, headers["content-type"] ?? "", body.contentLength)
            )
    }
    // The prepared headers are final: no content type is invented for raw or streamed bodies; only
    // the content length of a body with a known size is added.
    const contentLength = out.headers["content-length"]
    if (contentLength !== undefined && headers["content-length"] === undefined) {
      headers = Headers.set(headers, "content-length", contentLength)
    }
    // `setBody` added at most `content-length` (an empty content type is not set), so these are the final headers.
    return HttpClientRequest.setHeaders(out, headers)
  })

// ---------------------------------------------------------------------------------------------
// fetch
// ---------------------------------------------------------------------------------------------

/** A browser page or worker, where a redirect of a "manual" fetch cannot be read. */
const isBrowser: boolean =
  typeof (globalThis as { document?: unknown }).document !== "undefined" ||
  typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== "undefined"

/**
 * `fetch` whose responses carry repeated `Set-Cookie` headers as one value joined with `, `. A
 * fetch `Response` lists them one by one and the platform's `Headers.fromInput` keeps only the last,
 * while undici's values arrive joined (which `CloudflareCookies` splits). Only a response with two
 * or more cookies is rebuilt; the global `fetch` is looked up per call.
 * @internal
 */
export const fetchJoiningSetCookie: typeof globalThis.fetch = async (input, init) => {
  // The transport follows redirects itself (dropping every credential header across origins). A
  // browser hides the redirect of a "manual" fetch (an opaque response with status 0), so there
  // fetch keeps following them with its own rules.
  const response = await globalThis.fetch(input, isBrowser ? init : { ...init, redirect: "manual" })
  const cookies = response.headers.getSetCookie()
  if (cookies.length < 2) return response
  const headers = new globalThis.Headers(response.headers)
  headers.set("set-cookie", cookies.join(", "))
  return new globalThis.Response(response.body, { status: response.status, statusText: response.statusText, headers })
}

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
 * The platform request for `request` (URL and headers checked, body prepared once), logged at
 * TRACE level.
 */
const prepare = (
  request: Request.Request
): Effect.Effect<HttpClientRequest.HttpClientRequest, TransportError.TransportError> =>
  Effect.gen(function* () {
    yield* Request.validate(request)
    const clientRequest = yield* toClientRequest(request, yield* Request.prepareBody(request))
    yield* traceRequest(request)
    return clientRequest
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
  current: HttpClientRequest.HttpClientRequest,
  status: number,
  location: string | undefined,
  credentialHeaders: ReadonlyArray<string>
): HttpClientRequest.HttpClientRequest | undefined => {
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
    body = HttpBody.empty
    headers = removeHeaders(headers, bodyHeaders)
  } else if (body._tag === "Stream") {
    return undefined
  }
  if (to.origin !== from.origin) {
    headers = removeHeaders(headers, [...crossOriginDropped, ...credentialHeaders.map((name) => name.toLowerCase())])
  }
  const next = HttpClientRequest.setHeaders(HttpClientRequest.make(method)(to.toString()), headers)
  return body._tag === "Empty" ? next : HttpClientRequest.setBody(next, body)
}

/** @internal */
export const make = (httpClient: HttpClient.HttpClient): HttpTransport.Service => {
  // The transport opens its own span (and injects `traceparent`), so the platform's is turned off.
  const client = HttpClient.withTracerDisabledWhen(httpClient, () => true)
  const scopedClient = HttpClient.withScope(client)

  /**
   * Sends `first` and follows redirects (the underlying clients are set not to). Each hop's request
   * lives in a scope forked from `parent`; a redirect response is released at once.
   */
  const send = (
    request: Request.Request,
    first: HttpClientRequest.HttpClientRequest,
    parent: Scope.Scope
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, TransportError.TransportError> => {
    const credentialHeaders = request.credentialHeaders ?? []
    const hop = (
      current: HttpClientRequest.HttpClientRequest,
      hops: number
    ): Effect.Effect<HttpClientResponse.HttpClientResponse, TransportError.TransportError> =>
      Effect.gen(function* () {
        const scope = yield* Scope.fork(parent, ExecutionStrategy.sequential)
        const response = yield* Effect.mapError(Scope.extend(scopedClient.execute(current), scope), fromClientError)
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
        const clientRequest = yield* prepare(request)
        const limits = yield* limitsFor(request)
        // The request's scope closes once the body is read (or on failure / interruption).
        return yield* withTimeout(
          request,
          Effect.scoped(
            Effect.gen(function* () {
              const response = yield* untilHeaders(limits, send(request, clientRequest, yield* Effect.scope))
              yield* Effect.annotateCurrentSpan("http.response.status_code", response.status)
              if (!isSuccess(response.status)) return yield* httpError(request, response, limits)
              const body = yield* readBytes(response)
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
        const clientRequest = yield* prepare(request)
        const limits = yield* limitsFor(request)
        // A scope of its own, closed when the body stream ends in any way or when the caller's scope
        // closes; closing it aborts the request, which releases the socket.
        const requestScope = yield* Scope.fork(yield* Effect.scope, ExecutionStrategy.sequential)
        const release = Scope.close(requestScope, Exit.void)
        const response = yield* withTimeout(
          request,
          untilHeaders(limits, send(request, clientRequest, requestScope))
        ).pipe(Effect.onError(() => release))
        yield* Effect.annotateCurrentSpan("http.response.status_code", response.status)
        if (!isSuccess(response.status)) {
          return yield* httpError(request, response, limits).pipe(Effect.ensuring(release))
        }
        const body = response.stream.pipe(Stream.mapError(fromClientError), Stream.ensuring(release))
        return { status: response.status, headers: response.headers, body }
      })
    )

  return { execute, stream }
}
