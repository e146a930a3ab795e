/**
 * Formatting of events, usage, rate limits and errors for the three output modes.
 * @internal
 */
import type * as ApiError from "@codex/api/ApiError"
import type { RateLimitSnapshot, RateLimitWindow } from "@codex/api/RateLimits"
import type { ResponseEvent } from "@codex/api/ResponseEvent"
import type { TokenUsage } from "@codex/protocol/TokenUsage"
import * as Duration from "effect/Duration"

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

/** ANSI only on a TTY and when `NO_COLOR` is unset or empty (https://no-color.org). @internal */
export const styleFor = (isTTY: boolean, env: Readonly<Record<string, string | undefined>>): Style =>
  isTTY && (env.NO_COLOR === undefined || env.NO_COLOR === "") ? ansi : plain

const skipKeys = new Set(["stack", "cause", "name", "_tag", "message"])

const isTagged = (value: unknown): value is { readonly _tag: string; readonly message: string } =>
  value instanceof Error && typeof (value as { _tag?: unknown })._tag === "string"

/**
 * `{"_tag": <variant>, "message": <display string>, ...fields}`. A nested error (the transport error
 * of `Transport`) is rendered the same way from its own `toJSON`, so headers stay redacted; causes
 * are left out; durations become `<name>Ms` numbers.
 * @internal
 */
export const errorJson = (error: { readonly _tag: string; readonly message: string }): Record<string, unknown> => {
  const out: Record<string, unknown> = { _tag: error._tag, message: error.message }
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

/** @internal */
export const failureLine = (error: ApiError.ApiError): string =>
  JSON.stringify({ _tag: "Failure", error: errorJson(error) })

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
