/**
 * Errors of the API layer, with the display strings of the reference crate:
 *
 * | `_tag` | message |
 * | --- | --- |
 * | `Transport` | the wrapped `TransportError`'s message |
 * | `Api` | `api error {status}: {message}` |
 * | `Stream` | `stream error: {message}` |
 * | `ContextWindowExceeded` | `context window exceeded` |
 * | `QuotaExceeded` | `quota exceeded` |
 * | `UsageNotIncluded` | `usage not included` |
 * | `Retryable` | `retryable error: {message}` |
 * | `RateLimit` | `rate limit: {message}` |
 * | `InvalidRequest` | `invalid request: {message}` |
 * | `CyberPolicy` | `cyber policy: {message}` |
 * | `ServerOverloaded` | `server overloaded` |
 *
 * @since 0.1.0
 */
import type { TransportError } from "@codex/client/TransportError"
import * as Data from "effect/Data"
import type * as Duration from "effect/Duration"
import * as Predicate from "effect/Predicate"

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@codex/api/ApiError")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * @since 0.1.0
 * @category errors
 */
export class Transport extends Data.TaggedError("Transport")<{ readonly error: TransportError }> {
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return this.error.message
  }
}

/**
 * Kept for API compatibility with the reference (never produced by the clients here).
 *
 * @since 0.1.0
 * @category errors
 */
export class Api extends Data.TaggedError("Api")<{ readonly status: number; readonly reason: string }> {
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `api error ${this.status}: ${this.reason}`
  }
}

/**
 * @since 0.1.0
 * @category errors
 */
export class Stream extends Data.TaggedError("Stream")<{ readonly reason: string; readonly cause?: unknown }> {
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `stream error: ${this.reason}`
  }
}

/**
 * What the server said in a `response.failed` event, kept next to the fixed display string.
 *
 * @since 0.1.0
 * @category models
 */
export interface ServerSaid {
  /** `error.message` of the event, when it had one. */
  readonly serverMessage?: string | undefined
}

/**
 * @since 0.1.0
 * @category errors
 */
export class ContextWindowExceeded extends Data.TaggedError("ContextWindowExceeded")<ServerSaid> {
  readonly [TypeId]: TypeId = TypeId
  constructor(args: ServerSaid = {}) {
    super(args)
  }
  override get message(): string {
    return "context window exceeded"
  }
}

/**
 * @since 0.1.0
 * @category errors
 */
export class QuotaExceeded extends Data.TaggedError("QuotaExceeded")<ServerSaid> {
  readonly [TypeId]: TypeId = TypeId
  constructor(args: ServerSaid = {}) {
    super(args)
  }
  override get message(): string {
    return "quota exceeded"
  }
}

/**
 * @since 0.1.0
 * @category errors
 */
export class UsageNotIncluded extends Data.TaggedError("UsageNotIncluded")<ServerSaid> {
  readonly [TypeId]: TypeId = TypeId
  constructor(args: ServerSaid = {}) {
    super(args)
  }
  override get message(): string {
    return "usage not included"
  }
}

/**
 * A failure the caller may retry; `delay` is the server's suggested wait when it gave one.
 *
 * @since 0.1.0
 * @category errors
 */
export class Retryable extends Data.TaggedError("Retryable")<{
  readonly reason: string
  readonly delay?: Duration.Duration | undefined
}> {
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `retryable error: ${this.reason}`
  }
}

/**
 * @since 0.1.0
 * @category errors
 */
export class RateLimit extends Data.TaggedError("RateLimit")<{ readonly reason: string }> {
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `rate limit: ${this.reason}`
  }
}

/**
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequest extends Data.TaggedError("InvalidRequest")<{ readonly reason: string }> {
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `invalid request: ${this.reason}`
  }
}

/**
 * @since 0.1.0
 * @category errors
 */
export class CyberPolicy extends Data.TaggedError("CyberPolicy")<{ readonly reason: string }> {
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `cyber policy: ${this.reason}`
  }
}

/**
 * @since 0.1.0
 * @category errors
 */
export class ServerOverloaded extends Data.TaggedError("ServerOverloaded")<ServerSaid> {
  readonly [TypeId]: TypeId = TypeId
  constructor(args: ServerSaid = {}) {
    super(args)
  }
  override get message(): string {
    return "server overloaded"
  }
}

/**
 * @since 0.1.0
 * @category models
 */
export type ApiError =
  | Transport
  | Api
  | Stream
  | ContextWindowExceeded
  | QuotaExceeded
  | UsageNotIncluded
  | Retryable
  | RateLimit
  | InvalidRequest
  | CyberPolicy
  | ServerOverloaded

/**
 * @since 0.1.0
 * @category refinements
 */
export const isApiError = (u: unknown): u is ApiError => Predicate.hasProperty(u, TypeId)

/**
 * @since 0.1.0
 * @category constructors
 */
export const fromTransport = (error: TransportError): ApiError => new Transport({ error })

/**
 * @since 0.1.0
 * @category constructors
 */
export const stream = (reason: string, cause?: unknown): Stream => new Stream({ reason, cause })
