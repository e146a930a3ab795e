/**
 * Rate-limit snapshots read from HTTP response headers.
 *
 * A limit family `L` (default `codex`) is read from headers prefixed `x-<L lowercased, _ → ->`:
 * `-primary-used-percent`, `-primary-window-minutes`, `-primary-reset-at`, the same for `secondary`,
 * and `-limit-name`. Credits always come from the `x-codex-credits-*` headers.
 *
 * @since 0.1.0
 */
import * as Protocol from "@codex/protocol/RateLimits"
import type * as Headers from "@effect/platform/Headers"

/**
 * The account's credits (from `@codex/protocol`, wire field names).
 *
 * @since 0.1.0
 * @category models
 */
export type CreditsSnapshot = Protocol.CreditsSnapshot

/**
 * Which limit was reached (from `@codex/protocol`).
 *
 * @since 0.1.0
 * @category models
 */
export type RateLimitReachedType = Protocol.RateLimitReachedType

/**
 * A snapshot of the account's rate limits (from `@codex/protocol`, wire field names).
 *
 * @since 0.1.0
 * @category models
 */
export type RateLimitSnapshot = Protocol.RateLimitSnapshot

/**
 * One rate-limit window (from `@codex/protocol`, wire field names).
 *
 * @since 0.1.0
 * @category models
 */
export type RateLimitWindow = Protocol.RateLimitWindow

/**
 * The known {@link RateLimitReachedType} values.
 *
 * @since 0.1.0
 * @category constants
 */
export const rateLimitReachedTypes: ReadonlyArray<RateLimitReachedType> = Protocol.rateLimitReachedTypes

/**
 * The default limit family.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultLimitId = "codex"

/**
 * Limit ids are compared lowercased with `-` → `_` (`codex-secondary` and `CODEX_SECONDARY` are
 * `codex_secondary`).
 *
 * @since 0.1.0
 * @category ids
 */
export const normalizeLimitId = (id: string): string => id.trim().toLowerCase().replaceAll("-", "_")

const headerPrefix = (limitId: string): string => `x-${limitId.toLowerCase().replaceAll("_", "-")}`

const read = (headers: Headers.Headers, name: string): string | undefined => {
  const value = headers[name]
  return typeof value === "string" ? value.trim() : undefined
}

const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
const INTEGER = /^[+-]?\d+$/

const parseFloatStrict = (value: string | undefined): number | undefined => {
  if (value === undefined || !FLOAT.test(value)) return undefined
  const n = Number(value)
  return Number.isFinite(n) ? n : undefined
}

const parseIntStrict = (value: string | undefined): number | undefined => {
  if (value === undefined || !INTEGER.test(value)) return undefined
  const n = Number(value)
  return Number.isSafeInteger(n) ? n : undefined
}

const parseBool = (value: string | undefined): boolean | undefined => {
  if (value === undefined) return undefined
  const lower = value.toLowerCase()
  if (lower === "true" || lower === "1") return true
  if (lower === "false" || lower === "0") return false
  return undefined
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.length === 0 ? undefined : value

/**
 * Window rule: `used-percent` must parse as a finite number, and the window must say something:
 * a non-zero percentage, a non-zero window length, or a reset time. So `used-percent: 0` alone is no
 * window; unparsable numbers count as absent.
 */
const parseWindow = (headers: Headers.Headers, prefix: string): RateLimitWindow | undefined => {
  const usedPercent = parseFloatStrict(read(headers, `${prefix}-used-percent`))
  if (usedPercent === undefined) return undefined
  const windowMinutes = parseIntStrict(read(headers, `${prefix}-window-minutes`))
  const resetsAt = parseIntStrict(read(headers, `${prefix}-reset-at`))
  const meaningful = usedPercent !== 0 || (windowMinutes !== undefined && windowMinutes !== 0) || resetsAt !== undefined
  if (!meaningful) return undefined
  const window: { used_percent: number; window_minutes?: number; resets_at?: number } = { used_percent: usedPercent }
  if (windowMinutes !== undefined) window.window_minutes = windowMinutes
  if (resetsAt !== undefined) window.resets_at = resetsAt
  return window
}

/**
 * Credits from `x-codex-credits-has-credits` / `-unlimited` (`true`/`false` in any case, or `1`/`0`;
 * both must parse) and `-balance` (trimmed, empty → absent).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseCredits = (headers: Headers.Headers): CreditsSnapshot | undefined => {
  const hasCredits = parseBool(read(headers, "x-codex-credits-has-credits"))
  const unlimited = parseBool(read(headers, "x-codex-credits-unlimited"))
  if (hasCredits === undefined || unlimited === undefined) return undefined
  const balance = nonEmpty(read(headers, "x-codex-credits-balance"))
  return balance === undefined
    ? { has_credits: hasCredits, unlimited }
    : { has_credits: hasCredits, unlimited, balance }
}

/**
 * The snapshot of one limit family (default `codex`). Always returns a snapshot, possibly empty;
 * `limitName` comes only from the `<prefix>-limit-name` header, never from the id.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseForLimit = (headers: Headers.Headers, limitId?: string | undefined): RateLimitSnapshot => {
  const id = limitId === undefined || limitId.trim().length === 0 ? defaultLimitId : limitId.trim()
  const prefix = headerPrefix(id)
  const snapshot: {
    limit_id: string
    limit_name?: string
    primary?: RateLimitWindow
    secondary?: RateLimitWindow
    credits?: CreditsSnapshot
  } = { limit_id: normalizeLimitId(id) }
  const limitName = nonEmpty(read(headers, `${prefix}-limit-name`))
  if (limitName !== undefined) snapshot.limit_name = limitName
  const primary = parseWindow(headers, `${prefix}-primary`)
  if (primary !== undefined) snapshot.primary = primary
  const secondary = parseWindow(headers, `${prefix}-secondary`)
  if (secondary !== undefined) snapshot.secondary = secondary
  const credits = parseCredits(headers)
  if (credits !== undefined) snapshot.credits = credits
  return snapshot
}

/**
 * Whether a snapshot carries any data (a window or credits).
 *
 * @since 0.1.0
 * @category predicates
 */
export const hasData = (snapshot: RateLimitSnapshot): boolean =>
  snapshot.primary !== undefined || snapshot.secondary !== undefined || snapshot.credits !== undefined

const FAMILY = /^x-(.+)-primary-used-percent$/

/**
 * Every limit family in the headers: the default `codex` snapshot first (always, even when empty),
 * then each other family named by an `x-<X>-primary-used-percent` header, by ascending id, kept only
 * when it has a window or credits.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseAll = (headers: Headers.Headers): Array<RateLimitSnapshot> => {
  const out = [parseForLimit(headers)]
  const ids = new Set<string>()
  for (const name of Object.keys(headers)) {
    const match = FAMILY.exec(name.toLowerCase())
    if (match === null) continue
    const id = normalizeLimitId(match[1]!)
    if (id !== defaultLimitId && id.length > 0) ids.add(id)
  }
  for (const id of [...ids].sort()) {
    const snapshot = parseForLimit(headers, id)
    if (hasData(snapshot)) out.push(snapshot)
  }
  return out
}

/**
 * `x-codex-active-limit`: which limit family a 429 refers to (trimmed, empty → absent).
 *
 * @since 0.1.0
 * @category headers
 */
export const activeLimit = (headers: Headers.Headers): string | undefined =>
  nonEmpty(read(headers, "x-codex-active-limit"))

/**
 * `x-codex-promo-message` (trimmed, empty → absent).
 *
 * @since 0.1.0
 * @category headers
 */
export const promoMessage = (headers: Headers.Headers): string | undefined =>
  nonEmpty(read(headers, "x-codex-promo-message"))

/**
 * `x-codex-rate-limit-reached-type`, only when it is a known {@link RateLimitReachedType}.
 *
 * @since 0.1.0
 * @category headers
 */
export const rateLimitReachedType = (headers: Headers.Headers): RateLimitReachedType | undefined => {
  const value = read(headers, "x-codex-rate-limit-reached-type")
  return value === undefined ? undefined : Protocol.parseRateLimitReachedType(value)
}
