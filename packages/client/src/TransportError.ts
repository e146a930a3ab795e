/**
 * Errors of the generic transport. Display strings match the Codex CLI
 * (`http {status}: {body:?}`, `retry limit reached`, `timeout`, `network error: {msg}`,
 * `request build error: {msg}`).
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Predicate from "effect/Predicate"
import { rustDebugOption } from "./internal/rustDebug.js"
import { redactUrl } from "./internal/url.js"

/**
 * Marks {@link TransportError} values; used by {@link isTransportError}.
 *
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@codex/client/TransportError")

/**
 * The type of {@link TypeId}.
 *
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * A non-2xx response. `body` is the response body as text (absent when it was not valid UTF-8).
 * `headers` are redacted in every inspect / JSON / log output, and `url` is kept with its
 * credentials (`user:password@`) redacted.
 *
 * @since 0.1.0
 * @category errors
 */
export class Http extends Data.TaggedError("Http")<{
  readonly status: number
  readonly url?: string | undefined
  readonly headers?: Headers.Headers | undefined
  readonly body?: string | undefined
  /** Set when `body` is only the first part of the response body (see `HttpTransport.currentMaxErrorBodySize`). */
  readonly bodyTruncated?: boolean | undefined
}> {
  /**
   * Marks the value as a `TransportError` (see `isTransportError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  constructor(args: {
    readonly status: number
    readonly url?: string | undefined
    readonly headers?: Headers.Headers | undefined
    readonly body?: string | undefined
    readonly bodyTruncated?: boolean | undefined
  }) {
    // The headers keep their values for lookups but display redacted (inspect / JSON / Effect format).
    const redacted = args.url === undefined ? args : { ...args, url: redactUrl(args.url) }
    super(args.headers === undefined ? redacted : { ...redacted, headers: redactingHeaders(args.headers) })
  }
  override get message(): string {
    return `http ${this.status}: ${rustDebugOption(this.body)}`
  }
  /**
   * Header lookup by case-insensitive name.
   *
   * @since 0.1.0
   */
  header(name: string): string | undefined {
    return this.headers?.[name.toLowerCase()]
  }
  /**
   * The error as JSON, with secret header values redacted.
   *
   * @since 0.1.0
   */
  override toJSON(): unknown {
    return {
      _tag: this._tag,
      status: this.status,
      url: this.url,
      headers: this.headers === undefined ? undefined : Headers.redact(this.headers, redactedNames()),
      body: this.body,
      ...(this.bodyTruncated === true ? { bodyTruncated: true } : {})
    }
  }
  /**
   * `util.inspect` shows the stack and the fields with secret header values redacted.
   *
   * @since 0.1.0
   */
  override [Inspectable.NodeInspectSymbol](...args: ReadonlyArray<unknown>): unknown {
    const options = args[1]
    const inspect = args[2] as ((value: unknown, options?: unknown) => string) | undefined
    const fields = {
      status: this.status,
      url: this.url,
      headers: this.headers === undefined ? undefined : redactedRecord(this.headers),
      body: this.body,
      ...(this.bodyTruncated === true ? { bodyTruncated: true } : {})
    }
    const rendered = inspect === undefined ? JSON.stringify(fields) : inspect(fields, options)
    return `${this.stack ?? `${this.name}: ${this.message}`} ${rendered}`
  }
}

/**
 * Every retry failed: the retry limit was reached.
 *
 * @since 0.1.0
 * @category errors
 */
export class RetryLimit extends Data.TaggedError("RetryLimit")<{}> {
  /**
   * Marks the value as a `TransportError` (see `isTransportError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return "retry limit reached"
  }
}

/**
 * The request (or the whole-request `timeout` of a {@link Request}) timed out.
 *
 * @since 0.1.0
 * @category errors
 */
export class Timeout extends Data.TaggedError("Timeout")<{}> {
  /**
   * Marks the value as a `TransportError` (see `isTransportError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return "timeout"
  }
}

/**
 * The connection failed (DNS, refused, reset, TLS, ...); `reason` says why.
 *
 * @since 0.1.0
 * @category errors
 */
export class Network extends Data.TaggedError("Network")<{
  readonly reason: string
  readonly cause?: unknown
}> {
  /**
   * Marks the value as a `TransportError` (see `isTransportError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `network error: ${this.reason}`
  }
}

/**
 * The request could not be built (body encoding, compression, auth configuration). Never retried.
 *
 * @since 0.1.0
 * @category errors
 */
export class Build extends Data.TaggedError("Build")<{
  readonly reason: string
  readonly cause?: unknown
}> {
  /**
   * Marks the value as a `TransportError` (see `isTransportError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `request build error: ${this.reason}`
  }
}

/**
 * Every error a transport fails with. Match on `_tag`.
 *
 * @since 0.1.0
 * @category models
 */
export type TransportError = Http | RetryLimit | Timeout | Network | Build

/**
 * `true` if the value is a {@link TransportError}.
 *
 * @since 0.1.0
 * @category refinements
 */
export const isTransportError = (u: unknown): u is TransportError => Predicate.hasProperty(u, TypeId)

/**
 * Header names whose values are secrets; they are redacted wherever headers are displayed.
 *
 * @since 0.1.0
 * @category redaction
 */
export const secretHeaderNames: ReadonlyArray<string> = [
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "api-key",
  "x-api-key",
  "openai-api-key",
  "x-amz-security-token",
  "chatgpt-account-id",
  "x-oai-attestation"
]

const redactedNames = (): ReadonlyArray<string> => secretHeaderNames

const secretNameSet = new Set(secretHeaderNames)

/** The headers as a plain record with secret values replaced by `<redacted>`. */
const redactedRecord = (headers: Headers.Headers): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const name of Object.keys(headers)) {
    out[name] = secretNameSet.has(name.toLowerCase()) ? "<redacted>" : (headers[name] ?? "")
  }
  return out
}

// Headers whose `util.inspect` / `toJSON` output is redacted, independent of the current fiber.
const RedactingHeadersProto: object = Object.create(Object.getPrototypeOf(Headers.empty), {
  [Inspectable.NodeInspectSymbol]: {
    value(this: Headers.Headers, _depth: number, options: unknown, inspect?: (v: unknown, o?: unknown) => string) {
      const record = redactedRecord(this)
      return inspect === undefined ? JSON.stringify(record) : inspect(record, options)
    }
  },
  toJSON: {
    value(this: Headers.Headers) {
      return redactedRecord(this)
    }
  }
})

const redactingHeaders = (headers: Headers.Headers): Headers.Headers =>
  Object.assign(Object.create(RedactingHeadersProto), headers) as Headers.Headers

/**
 * Adds {@link secretHeaderNames} to `@effect/platform`'s `Headers.currentRedactedNames`, which
 * `HttpClient` spans, `Inspectable.format` and Effect's loggers use when they print headers. The
 * `HttpTransport` layers already do this around each request; provide this layer to cover headers
 * logged elsewhere in the program.
 *
 * @since 0.1.0
 * @category redaction
 */
export const layerRedactSecretHeaders: Layer.Layer<never> = Layer.fiberRefLocallyScopedWith(
  Headers.currentRedactedNames,
  (names) => [...names, ...secretHeaderNames.filter((name) => !names.includes(name))]
)

/**
 * Runs `effect` with {@link secretHeaderNames} added to `Headers.currentRedactedNames`.
 *
 * @since 0.1.0
 * @category redaction
 */
export const withSecretHeadersRedacted = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.locallyWith(effect, Headers.currentRedactedNames, (names) => [
    ...names,
    ...secretHeaderNames.filter((name) => !names.includes(name))
  ])
