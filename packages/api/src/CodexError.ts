/**
 * The errors a Codex caller acts on, and {@link mapApiError}, which classifies an {@link ApiError}
 * the way the Codex CLI does (HTTP status, JSON error body, headers).
 *
 * Improvements over the Codex CLI: every error mapped from an HTTP response keeps what the server
 * said — `status`, `url`, `body`, its `error.message` (`serverMessage`, also shown in the message),
 * the request id (`x-request-id` ?? `x-oai-request-id`) and, when the headers carry one, the
 * rate-limit snapshot of the active limit family; the errors of a `response.failed` event keep its
 * `error.message` too. An unexpected `4xx` other than `408` / `409` is not retryable (the Codex CLI
 * retries every unexpected status, including `401` and `403`), and a `429` says it was rate limited
 * rather than "exceeded retry limit" (429 is retried only when the provider opts in).
 *
 * ```ts
 * Match.valueTags(mapApiError(error), {
 *   UsageLimitReached: (e) => `wait until ${e.resetsAt}`,
 *   ...
 * })
 * ```
 *
 * @since 0.1.0
 */
import type * as TransportError from "@codex/client/TransportError"
import { type AuthPlanType, parseAuthPlanType } from "@codex/protocol/RateLimits"
import type * as Headers from "@effect/platform/Headers"
import * as Data from "effect/Data"
import * as DateTime from "effect/DateTime"
import type * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import * as Predicate from "effect/Predicate"
import type { ApiError } from "./ApiError.js"
import * as RateLimits from "./RateLimits.js"

/**
 * Marks {@link CodexError} values; used by {@link isCodexError}.
 *
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@codex/api/CodexError")

/**
 * The type of {@link TypeId}.
 *
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * What the server said, kept on every error mapped from an HTTP response.
 *
 * @since 0.1.0
 * @category models
 */
export interface HttpDetails {
  readonly status?: number | undefined
  readonly url?: string | undefined
  /** Response body text. */
  readonly body?: string | undefined
  /** `x-request-id` ?? `x-oai-request-id`. */
  readonly requestId?: string | undefined
  /** Snapshot of the active limit family, when the headers carry rate-limit data. */
  readonly rateLimits?: RateLimits.RateLimitSnapshot | undefined
  /** The server's own words: `error.message` of a JSON error body, when it has one. */
  readonly serverMessage?: string | undefined
}

const suffix = (label: string, value: string | undefined): string => (value === undefined ? "" : `, ${label}: ${value}`)

const where = (details: HttpDetails): string =>
  details.status === undefined ? "" : ` (HTTP ${details.status}${suffix("request id", details.requestId)})`

const said = (details: { readonly serverMessage?: string | undefined }): string =>
  details.serverMessage === undefined ? "" : `: ${details.serverMessage}`

/**
 * The model is at capacity (`503` with `server_is_overloaded` / `slow_down`, or the stream said so).
 *
 * @since 0.1.0
 * @category errors
 */
export class ServerOverloaded extends Data.TaggedError("ServerOverloaded")<HttpDetails> {
  /**
   * Marks the value as a `CodexError` (see `isCodexError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `the selected model is at capacity${said(this)}; try again later or pick a different model${where(this)}`
  }
  get isRetryable(): boolean {
    return false
  }
}

/**
 * The request was flagged by the cyber-security policy.
 *
 * @since 0.1.0
 * @category errors
 */
export class CyberPolicy extends Data.TaggedError("CyberPolicy")<HttpDetails & { readonly reason: string }> {
  /**
   * Marks the value as a `CodexError` (see `isCodexError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `${this.reason}${where(this)}`
  }
  get isRetryable(): boolean {
    return false
  }
}

/**
 * The server could not read an image of the request.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidImageRequest extends Data.TaggedError("InvalidImageRequest")<HttpDetails> {
  /**
   * Marks the value as a `CodexError` (see `isCodexError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `the request contains an image the server could not read${said(this)}; remove or replace it${where(this)}`
  }
  get isRetryable(): boolean {
    return false
  }
}

/**
 * The server rejected the request (`400`); `reason` is the entire body for HTTP errors, the message
 * shows the server's `error.message` when the body has one.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequest extends Data.TaggedError("InvalidRequest")<HttpDetails & { readonly reason: string }> {
  /**
   * Marks the value as a `CodexError` (see `isCodexError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `invalid request: ${this.serverMessage ?? this.reason}${where(this)}`
  }
  get isRetryable(): boolean {
    return false
  }
}

/**
 * The server reported an internal error; retryable.
 *
 * @since 0.1.0
 * @category errors
 */
export class InternalServerError extends Data.TaggedError("InternalServerError")<HttpDetails> {
  /**
   * Marks the value as a `CodexError` (see `isCodexError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `the server had an internal error${said(this)}; retry shortly${where(this)}`
  }
  get isRetryable(): boolean {
    return true
  }
}

/**
 * The plan's usage limit is reached (`429` with `error.type: usage_limit_reached`).
 *
 * @since 0.1.0
 * @category errors
 */
export class UsageLimitReached extends Data.TaggedError("UsageLimitReached")<
  HttpDetails & {
    readonly planType?: AuthPlanType | undefined
    readonly resetsAt?: DateTime.Utc | undefined
    readonly promoMessage?: string | undefined
    readonly rateLimitReachedType?: RateLimits.RateLimitReachedType | undefined
  }
> {
  /**
   * Marks the value as a `CodexError` (see `isCodexError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    const plan = this.planType === undefined ? "" : ` for the ${this.planType} plan`
    const reset = this.resetsAt === undefined ? "" : `; it resets at ${DateTime.formatIso(this.resetsAt)}`
    const promo = this.promoMessage === undefined ? "" : `. ${this.promoMessage}`
    return `usage limit reached${plan}${said(this)}${reset}${promo}${where(this)}`
  }
  get isRetryable(): boolean {
    return false
  }
}

/**
 * Codex usage is not included in the plan.
 *
 * @since 0.1.0
 * @category errors
 */
export class UsageNotIncluded extends Data.TaggedError("UsageNotIncluded")<HttpDetails> {
  /**
   * Marks the value as a `CodexError` (see `isCodexError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `Codex usage is not included in this plan${said(this)}; upgrade the plan or use an API key${where(this)}`
  }
  get isRetryable(): boolean {
    return false
  }
}

/**
 * A `429` that is not a usage limit (whether or not it was retried: 429 is retried only when the
 * provider opts in), or retries exhausted without a response (`status` 500). `requestId` is
 * `x-request-id` ?? `x-oai-request-id` ?? `cf-ray`.
 *
 * @since 0.1.0
 * @category errors
 */
export class RetryLimit extends Data.TaggedError("RetryLimit")<HttpDetails & { readonly status: number }> {
  /**
   * Marks the value as a `CodexError` (see `isCodexError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return this.status === 429
      ? `rate limited${said(this)}; slow down and retry later${where(this)}`
      : `exceeded retry limit, last status: ${this.status}${suffix("request id", this.requestId)}`
  }
  get isRetryable(): boolean {
    return false
  }
}

/**
 * Any other status. `identityErrorCode` is `error.code` of the base64 JSON in `x-error-json`.
 * Retryable only for statuses a retry can change: `408`, `409` and `5xx` (never `401`, `403`,
 * `404`, ...).
 *
 * @since 0.1.0
 * @category errors
 */
export class UnexpectedStatus extends Data.TaggedError("UnexpectedStatus")<
  HttpDetails & {
    readonly status: number
    readonly body: string
    readonly cfRay?: string | undefined
    readonly identityAuthorizationError?: string | undefined
    readonly identityErrorCode?: string | undefined
  }
> {
  /**
   * Marks the value as a `CodexError` (see `isCodexError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `unexpected status ${this.status}: ${this.serverMessage ?? this.body}${suffix("url", this.url)}${suffix("cf-ray", this.cfRay)}${suffix(
      "request id",
      this.requestId
    )}${suffix("auth error", this.identityAuthorizationError)}${suffix("auth error code", this.identityErrorCode)}`
  }
  get isRetryable(): boolean {
    return this.status >= 500 || this.status === 408 || this.status === 409
  }
}

/**
 * The request timed out; retryable.
 *
 * @since 0.1.0
 * @category errors
 */
export class RequestTimeout extends Data.TaggedError("RequestTimeout")<{}> {
  /**
   * Marks the value as a `CodexError` (see `isCodexError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return "request timed out"
  }
  get isRetryable(): boolean {
    return true
  }
}

/**
 * The stream broke before completion; `delay` is the server's suggested wait when it gave one.
 *
 * @since 0.1.0
 * @category errors
 */
export class Stream extends Data.TaggedError("Stream")<{
  readonly reason: string
  readonly delay?: Duration.Duration | undefined
}> {
  /**
   * Marks the value as a `CodexError` (see `isCodexError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `stream disconnected before completion: ${this.reason}`
  }
  get isRetryable(): boolean {
    return true
  }
}

/**
 * The conversation no longer fits the model's context window; compact it or start a new one. Not
 * retryable.
 *
 * @since 0.1.0
 * @category errors
 */
export class ContextWindowExceeded extends Data.TaggedError("ContextWindowExceeded")<{
  readonly serverMessage?: string | undefined
}> {
  /**
   * Marks the value as a `CodexError` (see `isCodexError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  constructor(args: { readonly serverMessage?: string | undefined } = {}) {
    super(args)
  }
  override get message(): string {
    return `the model's context window was exceeded${said(this)}; start a new conversation or compact the history`
  }
  get isRetryable(): boolean {
    return false
  }
}

/**
 * The account has run out of quota. Not retryable.
 *
 * @since 0.1.0
 * @category errors
 */
export class QuotaExceeded extends Data.TaggedError("QuotaExceeded")<{
  readonly serverMessage?: string | undefined
}> {
  /**
   * Marks the value as a `CodexError` (see `isCodexError`).
   *
   * @since 0.1.0
   */
  readonly [TypeId]: TypeId = TypeId
  constructor(args: { readonly serverMessage?: string | undefined } = {}) {
    super(args)
  }
  override get message(): string {
    return `quota exceeded${said(this)}; check your plan and billing details`
  }
  get isRetryable(): boolean {
    return false
  }
}

/**
 * The errors a Codex client shows a user, each with a readable `message` and `isRetryable`. Get one
 * from an `ApiError` with {@link mapApiError}.
 *
 * @since 0.1.0
 * @category models
 */
export type CodexError =
  | ServerOverloaded
  | CyberPolicy
  | InvalidImageRequest
  | InvalidRequest
  | InternalServerError
  | UsageLimitReached
  | UsageNotIncluded
  | RetryLimit
  | UnexpectedStatus
  | RequestTimeout
  | Stream
  | ContextWindowExceeded
  | QuotaExceeded

/**
 * `true` if the value is a {@link CodexError}.
 *
 * @since 0.1.0
 * @category refinements
 */
export const isCodexError = (u: unknown): u is CodexError => Predicate.hasProperty(u, TypeId)

/**
 * Whether a caller should retry: stream breaks, timeouts, internal server errors and unexpected
 * `5xx` / `408` / `409` statuses are; limits, policy and request errors, and `401` / `403` / other
 * `4xx` statuses are not.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isRetryable = (error: CodexError): boolean => error.isRetryable

/**
 * Used when a cyber-policy error carries no message.
 *
 * @since 0.1.0
 * @category constants
 */
export const cyberPolicyFallbackMessage = "This request has been flagged for possible cybersecurity risk."

const invalidImageText = "The image data you provided does not represent a valid image"

const overloadCodes: ReadonlyArray<string> = ["server_is_overloaded", "slow_down"]

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** `error` object of a JSON error body (plain or WebSocket-wrapped, both have a top-level `error`). */
const errorObject = (json: unknown): Record<string, unknown> | undefined =>
  Predicate.isRecord(json) && Predicate.isRecord(json.error) ? json.error : undefined

const stringField = (record: Record<string, unknown> | undefined, key: string): string | undefined => {
  const value = record?.[key]
  return typeof value === "string" ? value : undefined
}

const header = (headers: Headers.Headers | undefined, name: string): string | undefined => headers?.[name]

const requestIdOf = (headers: Headers.Headers | undefined): string | undefined =>
  header(headers, "x-request-id") ?? header(headers, "x-oai-request-id")

interface UsageLimitBody {
  readonly type?: string | undefined
  readonly planType?: AuthPlanType | undefined
  readonly resetsAt?: number | undefined
}

/** The reference parses `{error: {type?, plan_type?, resets_at?}}` strictly: a wrong type means no match. */
const parseUsageLimitBody = (body: string): UsageLimitBody | undefined => {
  const json = parseJson(body)
  if (!Predicate.isRecord(json) || !Predicate.isRecord(json.error)) return undefined
  const { plan_type, resets_at, type } = json.error
  const optional = (value: unknown, check: (u: unknown) => boolean) =>
    value === undefined || value === null || check(value)
  if (!optional(type, Predicate.isString)) return undefined
  if (!optional(plan_type, Predicate.isString)) return undefined
  if (!optional(resets_at, (u) => typeof u === "number" && Number.isSafeInteger(u))) return undefined
  return {
    type: typeof type === "string" ? type : undefined,
    planType: typeof plan_type === "string" ? parseAuthPlanType(plan_type) : undefined,
    resetsAt: typeof resets_at === "number" ? resets_at : undefined
  }
}

/** `error.code` of the base64-encoded JSON in `x-error-json`. */
const identityErrorCode = (value: string | undefined): string | undefined => {
  if (value === undefined) return undefined
  const decoded = Encoding.decodeBase64String(value.trim())
  if (Either.isLeft(decoded)) return undefined
  return stringField(errorObject(parseJson(decoded.right)), "code")
}

/** Drops undefined values so errors compare and print cleanly under exactOptionalPropertyTypes. */
const defined = <A extends Record<string, unknown>>(fields: A): A => {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(fields)) if (fields[key] !== undefined) out[key] = fields[key]
  return out as A
}

const fromHttp = (error: TransportError.Http): CodexError => {
  const body = error.body ?? ""
  const headers = error.headers
  const snapshot =
    headers === undefined ? undefined : RateLimits.parseForLimit(headers, RateLimits.activeLimit(headers))
  const errorJson = errorObject(parseJson(body))
  const serverMessage = stringField(errorJson, "message")?.trim()
  const details: HttpDetails = defined({
    status: error.status,
    url: error.url,
    body,
    requestId: requestIdOf(headers),
    rateLimits: snapshot !== undefined && RateLimits.hasData(snapshot) ? snapshot : undefined,
    serverMessage: serverMessage === undefined || serverMessage.length === 0 ? undefined : serverMessage
  })
  const status = error.status

  if (status === 503) {
    const code = stringField(errorJson, "code")
    if (code !== undefined && overloadCodes.includes(code)) return new ServerOverloaded(details)
  }
  if (status === 400) {
    if (stringField(errorJson, "code") === "cyber_policy") {
      const message = stringField(errorJson, "message")?.trim()
      return new CyberPolicy({
        ...details,
        reason: message === undefined || message.length === 0 ? cyberPolicyFallbackMessage : message
      })
    }
    if (body.includes(invalidImageText)) return new InvalidImageRequest(details)
    return new InvalidRequest({ ...details, reason: body })
  }
  if (status === 500) return new InternalServerError(details)
  if (status === 429) {
    const parsed = parseUsageLimitBody(body)
    if (parsed?.type === "usage_limit_reached") {
      return new UsageLimitReached(
        defined({
          ...details,
          // always present when the response had headers, even without rate-limit data
          rateLimits: snapshot,
          planType: parsed.planType,
          resetsAt: parsed.resetsAt === undefined ? undefined : DateTime.unsafeMake(parsed.resetsAt * 1000),
          promoMessage: headers === undefined ? undefined : RateLimits.promoMessage(headers),
          rateLimitReachedType: headers === undefined ? undefined : RateLimits.rateLimitReachedType(headers)
        })
      )
    }
    if (parsed?.type === "usage_not_included") return new UsageNotIncluded(details)
    return new RetryLimit(
      defined({ ...details, status: 429, requestId: details.requestId ?? header(headers, "cf-ray") })
    )
  }
  return new UnexpectedStatus(
    defined({
      ...details,
      status,
      body,
      cfRay: header(headers, "cf-ray"),
      identityAuthorizationError: header(headers, "x-openai-authorization-error"),
      identityErrorCode: identityErrorCode(header(headers, "x-error-json"))
    })
  )
}

const fromTransport = (error: TransportError.TransportError): CodexError => {
  switch (error._tag) {
    case "Http":
      return fromHttp(error)
    case "RetryLimit":
      return new RetryLimit({ status: 500 })
    case "Timeout":
      return new RequestTimeout()
    case "Network":
    case "Build":
      return new Stream({ reason: error.reason })
  }
}

/**
 * Classifies an API error. HTTP errors are checked in this order: `503` with
 * `error.code` `server_is_overloaded` / `slow_down` → {@link ServerOverloaded}; `400` →
 * {@link CyberPolicy} (`error.code: cyber_policy`, also inside a WebSocket error envelope), else
 * {@link InvalidImageRequest} (invalid image text), else {@link InvalidRequest} with the whole body;
 * `500` → {@link InternalServerError}; `429` → {@link UsageLimitReached} / {@link UsageNotIncluded}
 * by `error.type`, else {@link RetryLimit}; any other status → {@link UnexpectedStatus}.
 *
 * @example
 * ```ts
 * import * as CodexError from "@codex/api/CodexError"
 * import * as Responses from "@codex/api/Responses"
 * import { Effect, Stream } from "effect"
 *
 * // Turn the client's ApiError into a CodexError and react to the cases you care about.
 * export const answer = Effect.gen(function* () {
 *   const client = yield* Responses.ResponsesClient
 *   return yield* client
 *     .stream({ model: "gpt-5", input: "Say hello" })
 *     .pipe(Stream.runFold("", (text, event) => (event._tag === "OutputTextDelta" ? text + event.delta : text)))
 * }).pipe(
 *   Effect.mapError(CodexError.mapApiError),
 *   Effect.catchTags({
 *     ContextWindowExceeded: () => Effect.succeed("(conversation too long: compact it and retry)"),
 *     QuotaExceeded: (error) => Effect.fail(error)
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 * @category mapping
 */
export const mapApiError = (error: ApiError): CodexError => {
  switch (error._tag) {
    case "Transport":
      return fromTransport(error.error)
    case "Api":
      return new UnexpectedStatus({ status: error.status, body: error.reason })
    case "Stream":
    case "RateLimit":
      return new Stream({ reason: error.reason })
    case "Retryable":
      return new Stream(
        error.delay === undefined ? { reason: error.reason } : { reason: error.reason, delay: error.delay }
      )
    case "ContextWindowExceeded":
      return new ContextWindowExceeded(defined({ serverMessage: error.serverMessage }))
    case "QuotaExceeded":
      return new QuotaExceeded(defined({ serverMessage: error.serverMessage }))
    case "UsageNotIncluded":
      return new UsageNotIncluded(defined({ serverMessage: error.serverMessage }))
    case "InvalidRequest":
      return new InvalidRequest({ reason: error.reason })
    case "CyberPolicy":
      return new CyberPolicy({ reason: error.reason })
    case "ServerOverloaded":
      return new ServerOverloaded(defined({ serverMessage: error.serverMessage }))
  }
}
