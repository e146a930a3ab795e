import { assert, describe, it } from "@effect/vitest"
import * as Schema from "effect/Schema"
import * as RateLimits from "../src/RateLimits.js"

describe("RateLimits", () => {
  it("parseRateLimitReachedType accepts the five known values only", () => {
    for (const value of RateLimits.RateLimitReachedType.literals) {
      assert.strictEqual(RateLimits.parseRateLimitReachedType(value), value)
    }
    assert.strictEqual(RateLimits.parseRateLimitReachedType("something_else"), undefined)
    assert.strictEqual(RateLimits.parseRateLimitReachedType("RATE_LIMIT_REACHED"), undefined)
  })

  it("account plan types: known lowercase values kept, anything else → unknown", () => {
    assert.strictEqual(RateLimits.parseAccountPlanType("prolite"), "prolite")
    assert.strictEqual(
      RateLimits.parseAccountPlanType("self_serve_business_usage_based"),
      "self_serve_business_usage_based"
    )
    assert.strictEqual(RateLimits.parseAccountPlanType("enterprise_cbp_usage_based"), "enterprise_cbp_usage_based")
    assert.strictEqual(RateLimits.parseAccountPlanType("mystery"), "unknown")
    assert.strictEqual(RateLimits.parseAccountPlanType("Plus"), "unknown")
    assert.strictEqual(Schema.decodeUnknownSync(RateLimits.AccountPlanType)("galaxy"), "unknown")
  })

  it("auth plan types: aliases hc → enterprise, education → edu, unknown kept verbatim", () => {
    assert.strictEqual(RateLimits.parseAuthPlanType("hc"), "enterprise")
    assert.strictEqual(RateLimits.parseAuthPlanType("education"), "edu")
    assert.strictEqual(RateLimits.parseAuthPlanType("plus"), "plus")
    assert.strictEqual(RateLimits.parseAuthPlanType("Galaxy_Brain"), "Galaxy_Brain")
    assert.isTrue(RateLimits.isKnownPlanType(RateLimits.parseAuthPlanType("hc")))
    assert.isFalse(RateLimits.isKnownPlanType("Galaxy_Brain"))
    assert.strictEqual(Schema.decodeUnknownSync(RateLimits.AuthPlanType)("education"), "edu")
  })

  it("decodes a full snapshot and drops an unknown rate_limit_reached_type", () => {
    const snapshot = Schema.decodeUnknownSync(RateLimits.RateLimitSnapshot)({
      limit_id: "codex",
      limit_name: null,
      primary: { used_percent: 12.5, window_minutes: 300, resets_at: 1_700_000_000 },
      secondary: { used_percent: 0 },
      credits: { has_credits: true, unlimited: false, balance: "9.99" },
      plan_type: "hc",
      rate_limit_reached_type: "nope"
    })
    assert.deepStrictEqual(snapshot, {
      limit_id: "codex",
      primary: { used_percent: 12.5, window_minutes: 300, resets_at: 1_700_000_000 },
      secondary: { used_percent: 0 },
      credits: { has_credits: true, unlimited: false, balance: "9.99" },
      plan_type: "unknown"
    })
    const reached = Schema.decodeUnknownSync(RateLimits.RateLimitSnapshot)({
      rate_limit_reached_type: "workspace_owner_credits_depleted"
    })
    assert.strictEqual(reached.rate_limit_reached_type, "workspace_owner_credits_depleted")
  })

  it("a window without used_percent fails", () => {
    assert.throws(() => Schema.decodeUnknownSync(RateLimits.RateLimitWindow)({ window_minutes: 5 }))
  })
})
