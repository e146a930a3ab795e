/**
 * Formatting of events, usage, rate limits and errors for the three output modes.
 * @internal
 */
import type * as ApiError from "@codex/api/ApiError"
import * as CodexError from "@codex/api/CodexError"
import type { RateLimitSnapshot, RateLimitWindow } from "@codex/api/RateLimits"
import type { ResponseEvent } from "@codex/api/ResponseEvent"
import * as RetryPolicy from "@codex/client/RetryPolicy"
import type * as TransportError from "@codex/client/TransportError"
import type { TokenUsage } from "@codex/protocol/TokenUsage"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import { STATUS_CODES } from "node:http"

/** @internal */
export interface Style {
  readonly dim: (text: string) => string
  readonly bold: (text: string) => string
  readonly red: (text: string) => string
}

const plain: Style = { dim: (t) => t, bold: (t) => t, red: (t) => t }
const ansi: Style = {
  dim: (t) => `\x1b[2m${t}\x1b[22m`,
  bold: (t) => `\x1b[1m${t}\x1b[22m`,
  red: (t) => `\x1b[31m${t}\x1b[39m`
}

/**
 * ANSI control codes (colours, the spinner) only on a TTY and when `NO_COLOR` is unset or empty
 * (https://no-color.org).
 * @internal
 */
export const colorAllowed = (isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean =>
  isTTY && (env.NO_COLOR === undefined || env.NO_COLOR === "")

/** @internal */
export const styleFor = (isTTY: boolean, env: Readonly<Record<string, string | undefined>>): Style =>
  colorAllowed(isTTY, env) ? ansi : plain

const skipKeys = new Set(["stack", "cause", "name", "_tag", "message"])

const isTagged = (value: unknown): value is { readonly _tag: string; readonly message: string } =>
  value instanceof Error && typeof (value as { _tag?: unknown })._tag === "string"

/**
 * `{"_tag": <variant>, "reference": <the error's fixed display string>, ...fields}`. A nested
 * error (the transport error of `Transport`) is rendered the same way from its own `toJSON`, so
 * headers stay redacted; causes are left out; durations become `<name>Ms` numbers.
 * @internal
 */
export const errorJson = (error: { readonly _tag: string; readonly message: string }): Record<string, unknown> => {
  const out: Record<string, unknown> = { _tag: error._tag, reference: error.message }
  const fields: Record<string, unknown> =
    error._tag !== "Transport" && typeof (error as { toJSON?: unknown }).toJSON === "function" && error instanceof Error
      ? ((error as unknown as { toJSON: () => Record<string, unknown> }).toJSON() ?? {})
      : { ...error }
  for (const [key, value] of Object.entries(fields)) {
    if (skipKeys.has(key) || value === undefined) continue
    if (Duration.isDuration(value)) out[`${key}Ms`] = Duration.toMillis(value)
    else out[key] = isTagged(value) ? errorJson(value) : value
  }
  return out
}

/** One JSON line for an event (`_tag` + the variant's fields). @internal */
export const eventLine = (event: ResponseEvent): string => JSON.stringify(event)

/**
 * What a person reads about a failure: `text` (the HTTP status and the server's own message, or
 * what broke), the request id and a hint when we know what to do.
 * @internal
 */
export interface Described {
  readonly text: string
  readonly status?: number | undefined
  readonly requestId?: string | undefined
  readonly hint?: string | undefined
  readonly retryAfterMs?: number | undefined
}

/** What the CLI knows about the call that failed. @internal */
export interface FailureContext {
  readonly requestId?: string | undefined
  readonly apiKeySet: boolean
  readonly retry429: boolean
  readonly nowMillis: number
}

const maxQuoted = 300

/** A body that is not JSON, as one bounded line. */
const plainBody = (body: string | undefined): string | undefined => {
  const text = body?.replace(/\s+/g, " ").trim()
  if (text === undefined || text.length === 0 || text.startsWith("{") || text.startsWith("[")) return undefined
  return text.length > maxQuoted ? `${text.slice(0, maxQuoted)}…` : text
}

const formatSeconds = (ms: number): string => `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`

const retryAfterHint = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : `retry after ${formatSeconds(ms)}`

const httpHint = (mapped: CodexError.CodexError, status: number, context: FailureContext, retryAfterMs?: number) => {
  switch (mapped._tag) {
    case "UsageLimitReached":
      return mapped.resetsAt === undefined
        ? "wait for the limit to reset"
        : `the limit resets at ${DateTime.formatIso(mapped.resetsAt)}`
    case "UsageNotIncluded":
      return "use an API key (OPENAI_API_KEY) or upgrade the plan"
    case "ServerOverloaded":
      return retryAfterHint(retryAfterMs) ?? "try again later or pick another model (--model)"
    case "RetryLimit":
      return (
        retryAfterHint(retryAfterMs) ??
        (context.retry429 ? "retry later" : "retry later, or pass --retry-429 to retry automatically")
      )
  }
  if (status === 401) {
    return context.apiKeySet ? "check OPENAI_API_KEY: the server did not accept it" : "set OPENAI_API_KEY"
  }
  if (status === 403) return "check that the key's project and organization may use this model and endpoint"
  if (status === 404) return "check --base-url and --model"
  if (status >= 500) return retryAfterHint(retryAfterMs) ?? "the server failed; retry shortly"
  return retryAfterHint(retryAfterMs)
}

const withReason = (lead: string, reason: string | undefined): string =>
  reason === undefined || reason.trim().length === 0 ? lead : `${lead}: ${reason}`

const describeTransport = (
  transport: TransportError.TransportError,
  mapped: CodexError.CodexError,
  context: FailureContext
): Described => {
  switch (transport._tag) {
    case "Http": {
      const status = transport.status
      const said = "serverMessage" in mapped ? mapped.serverMessage : undefined
      const retryAfterMs = Option.getOrUndefined(RetryPolicy.serverRequestedDelay(transport, context.nowMillis))
      const requestId = transport.header("x-request-id") ?? transport.header("x-oai-request-id") ?? context.requestId
      return {
        text: withReason(`${status} ${STATUS_CODES[status] ?? "HTTP error"}`, said ?? plainBody(transport.body)),
        status,
        requestId,
        hint: httpHint(mapped, status, context, retryAfterMs),
        retryAfterMs
      }
    }
    case "Network":
      return {
        text: withReason("cannot reach the server", transport.reason),
        requestId: context.requestId,
        hint: "check --base-url (or OPENAI_BASE_URL) and the network"
      }
    case "Timeout":
      return {
        text: "timeout: the server did not answer in time",
        requestId: context.requestId,
        hint: "retry, or check the network"
      }
    case "Build":
      return { text: withReason("could not build the request", transport.reason), requestId: context.requestId }
    case "RetryLimit":
      return { text: "gave up after the retries", requestId: context.requestId, hint: "retry later" }
  }
}

/**
 * One line for a person: `401 Unauthorized: Incorrect API key provided` plus the request id and a
 * hint. Never the reference's debug rendering (`Some("…")`); that stays in the json `reference`.
 * @internal
 */
export const describe = (error: ApiError.ApiError, context: FailureContext): Described => {
  switch (error._tag) {
    case "Transport":
      return describeTransport(error.error, CodexError.mapApiError(error), context)
    case "Stream":
      return {
        text: withReason("the stream broke", error.reason),
        requestId: context.requestId,
        hint: error.reason.startsWith("idle timeout") ? "the server went quiet; raise --idle-timeout-ms" : undefined
      }
    case "ContextWindowExceeded":
      return {
        text: withReason("the model's context window is exceeded", error.serverMessage),
        requestId: context.requestId,
        hint: "shorten the input or compact the history (codex-api compact)"
      }
    case "QuotaExceeded":
      return {
        text: withReason("quota exceeded", error.serverMessage),
        requestId: context.requestId,
        hint: "check your plan and billing details"
      }
    case "UsageNotIncluded":
      return {
        text: withReason("Codex usage is not included in this plan", error.serverMessage),
        requestId: context.requestId,
        hint: "use an API key (OPENAI_API_KEY) or upgrade the plan"
      }
    case "ServerOverloaded":
      return {
        text: withReason("the model is at capacity", error.serverMessage),
        requestId: context.requestId,
        hint: "try again later or pick another model (--model)"
      }
    case "Retryable": {
      const retryAfterMs = error.delay === undefined ? undefined : Duration.toMillis(error.delay)
      return {
        text: withReason("the response failed", error.reason),
        requestId: context.requestId,
        hint: retryAfterHint(retryAfterMs) ?? "retry shortly",
        retryAfterMs
      }
    }
    case "InvalidRequest":
      return { text: withReason("invalid request", error.reason), requestId: context.requestId }
    case "CyberPolicy":
      return { text: withReason("flagged by the cyber-security policy", error.reason), requestId: context.requestId }
    case "RateLimit":
      return { text: withReason("rate limited", error.reason), requestId: context.requestId, hint: "retry later" }
    case "Api":
      return {
        text: withReason(`${error.status} ${STATUS_CODES[error.status] ?? "HTTP error"}`, error.reason),
        status: error.status,
        requestId: context.requestId
      }
  }
}

/** `<text> (request <id>); <hint>` @internal */
export const describedLine = (described: Described): string =>
  `${described.text}${described.requestId === undefined ? "" : ` (request ${described.requestId})`}${
    described.hint === undefined ? "" : `; ${described.hint}`
  }`

/**
 * `{"_tag":"Failure","error":{"_tag", "message": <what a person reads>, "status", "requestId",
 * "hint", "retryAfterMs", "reference": <display string>, ...the variant's fields}}`.
 * @internal
 */
export const failureLine = (error: ApiError.ApiError, described: Described): string => {
  const { text, ...rest } = described
  const fields: Record<string, unknown> = { ...errorJson(error) }
  return JSON.stringify({
    _tag: "Failure",
    error: { _tag: error._tag, message: text, ...definedFields(rest), ...fields }
  })
}

/** The json-mode line for bad usage (a flag or configuration the command refuses). @internal */
export const usageFailureLine = (reason: string): string =>
  JSON.stringify({ _tag: "Failure", error: { _tag: "UsageError", message: reason } })

/** The json-mode line for a command stopped by a signal. @internal */
export const interruptedLine = (signal: string): string =>
  JSON.stringify({
    _tag: "Failure",
    error: { _tag: "Interrupted", message: `interrupted by ${signal}`, signal }
  })

const definedFields = (record: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).filter((entry) => entry[1] !== undefined))

const formatInt = (n: number): string => n.toLocaleString("en-US")

/** `tokens: 42 in (8 cached) · 37 out (12 reasoning) · 79 total` @internal */
export const usageLine = (usage: TokenUsage): string =>
  `tokens: ${formatInt(usage.input_tokens)} in (${formatInt(usage.cached_input_tokens)} cached) · ` +
  `${formatInt(usage.output_tokens)} out (${formatInt(usage.reasoning_output_tokens)} reasoning) · ` +
  `${formatInt(usage.total_tokens)} total`

const formatWindowLength = (minutes: number): string => {
  if (minutes % 10080 === 0) return `${minutes / 10080}w`
  if (minutes % 1440 === 0) return `${minutes / 1440}d`
  if (minutes % 60 === 0) return `${minutes / 60}h`
  return `${minutes}m`
}

const formatIn = (seconds: number): string => {
  if (seconds <= 0) return "now"
  const d = Math.floor(seconds / 86400)
  const h = Math.floor((seconds % 86400) / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  if (d > 0) return `${d}d ${h}h`
  if (h > 0) return `${h}h ${m}m`
  return `${Math.max(m, 1)}m`
}

const formatWindow = (name: string, window: RateLimitWindow, nowSeconds: number): string => {
  let text = `${name} ${Number(window.used_percent.toFixed(1))}% used`
  if (window.window_minutes !== undefined) text += ` of ${formatWindowLength(window.window_minutes)}`
  if (window.resets_at !== undefined) text += `, resets in ${formatIn(window.resets_at - nowSeconds)}`
  return text
}

/** `limits (codex): primary 23.5% used of 5h, resets in 59m · secondary ...`, or undefined when empty. @internal */
export const rateLimitLine = (snapshot: RateLimitSnapshot, nowSeconds: number): string | undefined => {
  const parts: Array<string> = []
  if (snapshot.primary !== undefined) parts.push(formatWindow("primary", snapshot.primary, nowSeconds))
  if (snapshot.secondary !== undefined) parts.push(formatWindow("secondary", snapshot.secondary, nowSeconds))
  if (snapshot.credits !== undefined) {
    const c = snapshot.credits
    parts.push(
      c.unlimited
        ? "credits unlimited"
        : `credits ${c.has_credits ? "available" : "none"}${c.balance ? ` (${c.balance})` : ""}`
    )
  }
  if (parts.length === 0) return undefined
  const label = snapshot.limit_name ?? snapshot.limit_id ?? "codex"
  return `limits (${label}): ${parts.join(" · ")}`
}
