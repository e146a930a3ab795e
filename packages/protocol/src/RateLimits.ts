/**
 * Rate-limit snapshots (from `x-codex-*` headers and `codex.rate_limits` events) and the plan
 * types that appear next to them. The schemas are marked `#__PURE__` so that bundlers drop those
 * a program does not use (a program that only streams responses needs none of them).
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"

const optional = <S extends Schema.Schema.Any>(schema: S) =>
  /*#__PURE__*/ Schema.optionalWith(schema, { nullable: true })

/**
 * One rate-limit window. `resets_at` is unix seconds.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RateLimitWindow = /*#__PURE__*/ Schema.Struct({
  used_percent: Schema.Number,
  window_minutes: /*#__PURE__*/ optional(Schema.Number),
  resets_at: /*#__PURE__*/ optional(Schema.Number)
}).annotations({ identifier: "@codex/protocol/RateLimitWindow" })

/**
 * One rate-limit window: the percentage used, the window length in minutes and when it resets (unix
 * seconds).
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimitWindow extends Schema.Schema.Type<typeof RateLimitWindow> {}

/**
 * Schema of the account's credits: whether it has credits, whether they are unlimited, and the
 * balance.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreditsSnapshot = /*#__PURE__*/ Schema.Struct({
  has_credits: Schema.Boolean,
  unlimited: Schema.Boolean,
  balance: /*#__PURE__*/ optional(Schema.String)
}).annotations({ identifier: "@codex/protocol/CreditsSnapshot" })

/**
 * The account's credits: whether it has credits, whether they are unlimited, and the balance.
 *
 * @since 0.1.0
 * @category models
 */
export interface CreditsSnapshot extends Schema.Schema.Type<typeof CreditsSnapshot> {}

/**
 * Schema of an individual limit: the limit, the amount used, the percentage remaining and when it
 * resets.
 *
 * @since 0.1.0
 * @category schemas
 */
export const IndividualLimit = /*#__PURE__*/ Schema.Struct({
  limit: Schema.Number,
  used: Schema.Number,
  remaining_percent: Schema.Number,
  resets_at: /*#__PURE__*/ optional(Schema.Number)
}).annotations({ identifier: "@codex/protocol/IndividualLimit" })

/**
 * An individual limit: the limit, the amount used, the percentage remaining and when it resets.
 *
 * @since 0.1.0
 * @category models
 */
export interface IndividualLimit extends Schema.Schema.Type<typeof IndividualLimit> {}

/**
 * The names of the limits that can be reached, as on the wire.
 *
 * @since 0.1.0
 * @category constants
 */
export const rateLimitReachedTypes = [
  "rate_limit_reached",
  "workspace_owner_credits_depleted",
  "workspace_member_credits_depleted",
  "workspace_owner_usage_limit_reached",
  "workspace_member_usage_limit_reached"
] as const

/**
 * Schema of which limit was reached.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RateLimitReachedType = /*#__PURE__*/ Schema.Literal(...rateLimitReachedTypes)

/**
 * Which limit was reached.
 *
 * @since 0.1.0
 * @category models
 */
export type RateLimitReachedType = (typeof rateLimitReachedTypes)[number]

const reachedTypes: ReadonlySet<string> = /*#__PURE__*/ new Set(rateLimitReachedTypes)

/**
 * A known {@link RateLimitReachedType}, or `undefined` (anything else is treated as absent).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseRateLimitReachedType = (value: string): RateLimitReachedType | undefined =>
  reachedTypes.has(value) ? (value as RateLimitReachedType) : undefined

/**
 * Plans known by name (lowercase wire names), shared by both plan-type flavours.
 *
 * @since 0.1.0
 * @category constants
 */
export const knownPlanTypes = [
  "free",
  "go",
  "plus",
  "pro",
  "prolite",
  "team",
  "self_serve_business_usage_based",
  "business",
  "enterprise_cbp_usage_based",
  "enterprise",
  "edu"
] as const

/**
 * A plan known by name.
 *
 * @since 0.1.0
 * @category models
 */
export type KnownPlanType = (typeof knownPlanTypes)[number]

const knownPlans: ReadonlySet<string> = /*#__PURE__*/ new Set(knownPlanTypes)

/**
 * Account plan type (in `codex.rate_limits` events): a known plan or `"unknown"`.
 *
 * @since 0.1.0
 * @category models
 */
export type AccountPlanType = KnownPlanType | "unknown"

/**
 * Unknown strings map to `"unknown"`.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseAccountPlanType = (value: string): AccountPlanType =>
  knownPlans.has(value) ? (value as KnownPlanType) : "unknown"

/**
 * Decodes any string into an {@link AccountPlanType}; encodes it back verbatim.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccountPlanType: Schema.Schema<AccountPlanType, string> = /*#__PURE__*/ Schema.transform(
  Schema.String,
  /*#__PURE__*/ Schema.Literal(...knownPlanTypes, "unknown"),
  { strict: true, decode: parseAccountPlanType, encode: (a) => a }
).annotations({ identifier: "@codex/protocol/AccountPlanType" })

/**
 * Auth plan type (in 429 usage-limit bodies): a known plan (aliases `hc` → `enterprise`,
 * `education` → `edu`) or any other string kept verbatim.
 *
 * @since 0.1.0
 * @category models
 */
export type AuthPlanType = KnownPlanType | (string & {})

/**
 * Reads a plan type name; unknown names are kept as `unknown`.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseAuthPlanType = (value: string): AuthPlanType =>
  value === "hc" ? "enterprise" : value === "education" ? "edu" : value

/**
 * Whether an {@link AuthPlanType} is one of the known plans.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isKnownPlanType = (value: string): value is KnownPlanType => knownPlans.has(value)

/**
 * Schema of the account's plan type.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AuthPlanType: Schema.Schema<AuthPlanType, string> = /*#__PURE__*/ Schema.transform(
  Schema.String,
  Schema.String,
  {
    strict: true,
    decode: parseAuthPlanType,
    encode: (a) => a
  }
).annotations({ identifier: "@codex/protocol/AuthPlanType" })

/**
 * A snapshot of the account's rate limits.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RateLimitSnapshot = /*#__PURE__*/ Schema.Struct({
  limit_id: /*#__PURE__*/ optional(Schema.String),
  limit_name: /*#__PURE__*/ optional(Schema.String),
  primary: /*#__PURE__*/ optional(RateLimitWindow),
  secondary: /*#__PURE__*/ optional(RateLimitWindow),
  credits: /*#__PURE__*/ optional(CreditsSnapshot),
  individual_limit: /*#__PURE__*/ optional(IndividualLimit),
  plan_type: /*#__PURE__*/ optional(AccountPlanType),
  // Unknown values are treated as absent rather than failing the whole snapshot.
  rate_limit_reached_type: /*#__PURE__*/ Schema.optionalToOptional(
    /*#__PURE__*/ Schema.NullOr(Schema.String),
    RateLimitReachedType,
    {
      decode: (value) =>
        Option.flatMap(value, (s) => Option.fromNullable(s === null ? undefined : parseRateLimitReachedType(s))),
      encode: (value) => value
    }
  )
}).annotations({ identifier: "@codex/protocol/RateLimitSnapshot" })

/**
 * A snapshot of the account's rate limits, read from response headers or a `codex.rate_limits`
 * event: primary and secondary windows, credits and plan.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimitSnapshot extends Schema.Schema.Type<typeof RateLimitSnapshot> {}
