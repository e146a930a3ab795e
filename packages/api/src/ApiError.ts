/**
 * Errors of the API layer, with the same display strings as the Codex CLI:
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
 * Marks {@link ApiError} values; used by {@link isApiError}.
 *
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@codex/api/ApiError")

/**
 * The type of {@link TypeId}.
 *
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * The request failed in the transport: HTTP status, timeout, network or build error (see
 * `TransportError`).
 *
 * @since 0.1.0
 * @category errors
 */
export class Transport extends Data.TaggedError("Transport")<{ readonly error: TransportError }> {
  /**
   * Marks the value as an `ApiError` (see `isApiError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return this.error.message
  }
}

/**
 * Kept for API compatibility with the Codex CLI (never produced by the clients here).
 *
 * @since 0.1.0
 * @category errors
 */
export class Api extends Data.TaggedError("Api")<{ readonly status: number; readonly reason: string }> {
  /**
   * Marks the value as an `ApiError` (see `isApiError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `api error ${this.status}: ${this.reason}`
  }
}

/**
 * The response stream failed: it closed early, timed out while idle, or carried an event that could
 * not be read.
 *
 * @since 0.1.0
 * @category errors
 */
export class Stream extends Data.TaggedError("Stream")<{ readonly reason: string; readonly cause?: unknown }> {
  /**
   * Marks the value as an `ApiError` (see `isApiError`).
   *
   * @since 0.1.0
   */
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
 * The conversation no longer fits the model's context window; compact it or start a new one.
 *
 * @since 0.1.0
 * @category errors
 */
export class ContextWindowExceeded extends Data.TaggedError("ContextWindowExceeded")<ServerSaid> {
  /**
   * Marks the value as an `ApiError` (see `isApiError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  constructor(args: ServerSaid = {}) {
    super(args)
  }
  override get message(): string {
    return "context window exceeded"
  }
}

/**
 * The account has run out of quota.
 *
 * @since 0.1.0
 * @category errors
 */
export class QuotaExceeded extends Data.TaggedError("QuotaExceeded")<ServerSaid> {
  /**
   * Marks the value as an `ApiError` (see `isApiError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  constructor(args: ServerSaid = {}) {
    super(args)
  }
  override get message(): string {
    return "quota exceeded"
  }
}

/**
 * The account's plan does not include this usage.
 *
 * @since 0.1.0
 * @category errors
 */
export class UsageNotIncluded extends Data.TaggedError("UsageNotIncluded")<ServerSaid> {
  /**
   * Marks the value as an `ApiError` (see `isApiError`).
   *
   * @since 0.1.0
   */
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
  /**
   * Marks the value as an `ApiError` (see `isApiError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `retryable error: ${this.reason}`
  }
}

/**
 * The request was rate limited; `reason` says which limit.
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimit extends Data.TaggedError("RateLimit")<{ readonly reason: string }> {
  /**
   * Marks the value as an `ApiError` (see `isApiError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `rate limit: ${this.reason}`
  }
}

/**
 * The server rejected the request as invalid; `reason` is its explanation.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequest extends Data.TaggedError("InvalidRequest")<{ readonly reason: string }> {
  /**
   * Marks the value as an `ApiError` (see `isApiError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `invalid request: ${this.reason}`
  }
}

/**
 * The request was flagged by the cybersecurity policy.
 *
 * @since 0.1.0
 * @category errors
 */
export class CyberPolicy extends Data.TaggedError("CyberPolicy")<{ readonly reason: string }> {
  /**
   * Marks the value as an `ApiError` (see `isApiError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `cyber policy: ${this.reason}`
  }
}

/**
 * The model is at capacity; try again later.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServerOverloaded extends Data.TaggedError("ServerOverloaded")<ServerSaid> {
  /**
   * Marks the value as an `ApiError` (see `isApiError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  constructor(args: ServerSaid = {}) {
    super(args)
  }
  override get message(): string {
    return "server overloaded"
  }
}

/**
 * Every error the API clients fail with. Match on `_tag`, or turn it into a {@link
 * CodexError.CodexError} with `CodexError.mapApiError`.
 *
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
 * `true` if the value is an {@link ApiError}.
 *
 * @since 0.1.0
 * @category refinements
 */
export const isApiError = (u: unknown): u is ApiError => Predicate.hasProperty(u, TypeId)

/**
 * Wraps a transport failure (connection, timeout, HTTP status) as an {@link ApiError}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromTransport = (error: TransportError): ApiError => new Transport({ error })

/**
 * A stream failure with a reason (e.g. the stream closed before `response.completed`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const stream = (reason: string, cause?: unknown): Stream => new Stream({ reason, cause })
