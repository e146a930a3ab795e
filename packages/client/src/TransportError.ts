/**
 * Errors of the generic transport. Display strings match the reference crate
 * (`http {status}: {body:?}`, `retry limit reached`, `timeout`, `network error: {msg}`,
 * `request build error: {msg}`).
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as Data from "effect/Data"
import * as Predicate from "effect/Predicate"
import { rustDebugOption } from "./internal/rustDebug.js"

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@codex/client/TransportError")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * A non-2xx response. `body` is the response body as text (absent when it was not valid UTF-8).
 * `headers` are redacted in every inspect / JSON / log output.
 *
 * @since 0.1.0
 * @category errors
 */
export class Http extends Data.TaggedError("Http")<{
  readonly status: number
  readonly url?: string | undefined
  readonly headers?: Headers.Headers | undefined
  readonly body?: string | undefined
}> {
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `http ${this.status}: ${rustDebugOption(this.body)}`
  }
  /** Header lookup by case-insensitive name. */
  header(name: string): string | undefined {
    return this.headers?.[name.toLowerCase()]
  }
  override toJSON(): unknown {
    return {
      _tag: this._tag,
      status: this.status,
      url: this.url,
      headers: this.headers === undefined ? undefined : Headers.redact(this.headers, redactedNames()),
      body: this.body
    }
  }
}

/**
 * @since 0.1.0
 * @category errors
 */
export class RetryLimit extends Data.TaggedError("RetryLimit")<{}> {
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
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return "timeout"
  }
}

/**
 * @since 0.1.0
 * @category errors
 */
export class Network extends Data.TaggedError("Network")<{
  readonly reason: string
  readonly cause?: unknown
}> {
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
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `request build error: ${this.reason}`
  }
}

/**
 * @since 0.1.0
 * @category models
 */
export type TransportError = Http | RetryLimit | Timeout | Network | Build

/**
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
