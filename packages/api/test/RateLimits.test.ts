import * as RateLimits from "@codex/api/RateLimits"
import * as Headers from "@effect/platform/Headers"
import { describe, expect, it } from "@effect/vitest"

const h = (input: Record<string, string>) => Headers.fromInput(input)

describe("RateLimits", () => {
  it("parse_rate_limit_for_limit_defaults_to_codex_headers", () => {
    const snapshot = RateLimits.parseForLimit(
      h({
        "x-codex-primary-used-percent": "12.5",
        "x-codex-primary-window-minutes": "60",
        "x-codex-primary-reset-at": "1704069000"
      })
    )
    expect(snapshot).toEqual({
      limit_id: "codex",
      primary: { used_percent: 12.5, window_minutes: 60, resets_at: 1704069000 }
    })
    expect(snapshot.limit_name).toBeUndefined()
    expect(snapshot.secondary).toBeUndefined()
  })

  it("parse_rate_limit_for_limit_reads_secondary_headers", () => {
    const snapshot = RateLimits.parseForLimit(
      h({
        "x-codex-secondary-primary-used-percent": "80",
        "x-codex-secondary-primary-window-minutes": "1440",
        "x-codex-secondary-primary-reset-at": "1704074400"
      }),
      "codex_secondary"
    )
    expect(snapshot).toEqual({
      limit_id: "codex_secondary",
      primary: { used_percent: 80, window_minutes: 1440, resets_at: 1704074400 }
    })
  })

  it("parse_rate_limit_for_limit_prefers_limit_name_header", () => {
    const snapshot = RateLimits.parseForLimit(
      h({
        "x-codex-bengalfox-primary-used-percent": "80",
        "x-codex-bengalfox-limit-name": "  gpt-5.2-codex-sonic  "
      }),
      "codex_bengalfox"
    )
    expect(snapshot.limit_id).toBe("codex_bengalfox")
    expect(snapshot.limit_name).toBe("gpt-5.2-codex-sonic")
    expect(snapshot.primary).toEqual({ used_percent: 80 })
  })

  it("parse_all_rate_limits_reads_all_limit_families", () => {
    const all = RateLimits.parseAll(
      h({ "x-codex-primary-used-percent": "12.5", "x-codex-secondary-primary-used-percent": "80" })
    )
    expect(all).toEqual([
      { limit_id: "codex", primary: { used_percent: 12.5 } },
      { limit_id: "codex_secondary", primary: { used_percent: 80 } }
    ])
    expect(all.every((s) => s.limit_name === undefined)).toBe(true)
  })

  it("parse_all_rate_limits_includes_default_codex_snapshot", () => {
    expect(RateLimits.parseAll(Headers.empty)).toEqual([{ limit_id: "codex" }])
  })

  describe("parseAll discovery", () => {
    it("discovers any x-<X> family, sorts ids, de-duplicates and drops empty families", () => {
      const all = RateLimits.parseAll(
        h({
          "x-zeta-primary-used-percent": "5",
          "x-alpha-primary-used-percent": "7",
          "x-alpha-secondary-used-percent": "9",
          // normalizes to the same id as x-alpha... -> listed once
          "x-ALPHA-primary-window-minutes": "10",
          // 0 alone is no window, so this family is dropped
          "x-empty-primary-used-percent": "0"
        })
      )
      expect(all.map((s) => s.limit_id)).toEqual(["codex", "alpha", "zeta"])
      expect(all[1]).toEqual({
        limit_id: "alpha",
        primary: { used_percent: 7, window_minutes: 10 },
        secondary: { used_percent: 9 }
      })
    })

    it("includes a family without windows when codex credits are present (credits are shared)", () => {
      const all = RateLimits.parseAll(
        h({
          "x-other-primary-used-percent": "0",
          "x-codex-credits-has-credits": "true",
          "x-codex-credits-unlimited": "false"
        })
      )
      expect(all).toEqual([
        { limit_id: "codex", credits: { has_credits: true, unlimited: false } },
        { limit_id: "other", credits: { has_credits: true, unlimited: false } }
      ])
    })
  })

  describe("window rule", () => {
    const window = (input: Record<string, string>) => RateLimits.parseForLimit(h(input)).primary

    it("needs a parsable finite used-percent", () => {
      expect(window({ "x-codex-primary-window-minutes": "60" })).toBeUndefined()
      expect(window({ "x-codex-primary-used-percent": "abc", "x-codex-primary-window-minutes": "60" })).toBeUndefined()
      expect(window({ "x-codex-primary-used-percent": "NaN", "x-codex-primary-reset-at": "1" })).toBeUndefined()
      expect(window({ "x-codex-primary-used-percent": "inf", "x-codex-primary-reset-at": "1" })).toBeUndefined()
      expect(window({ "x-codex-primary-used-percent": "1e400", "x-codex-primary-reset-at": "1" })).toBeUndefined()
      expect(window({ "x-codex-primary-used-percent": "" })).toBeUndefined()
    })

    it("0 percent alone is no window, but 0 with a window length or a reset time is", () => {
      expect(window({ "x-codex-primary-used-percent": "0" })).toBeUndefined()
      expect(window({ "x-codex-primary-used-percent": "0.0", "x-codex-primary-window-minutes": "0" })).toBeUndefined()
      expect(window({ "x-codex-primary-used-percent": "0", "x-codex-primary-window-minutes": "300" })).toEqual({
        used_percent: 0,
        window_minutes: 300
      })
      expect(window({ "x-codex-primary-used-percent": "0", "x-codex-primary-reset-at": "0" })).toEqual({
        used_percent: 0,
        resets_at: 0
      })
    })

    it("treats invalid integers as absent", () => {
      expect(
        window({
          "x-codex-primary-used-percent": "3.5",
          "x-codex-primary-window-minutes": "1.5",
          "x-codex-primary-reset-at": "soon"
        })
      ).toEqual({ used_percent: 3.5 })
      expect(window({ "x-codex-primary-used-percent": "0", "x-codex-primary-reset-at": "x" })).toBeUndefined()
    })

    it("accepts signed and exponent floats", () => {
      expect(window({ "x-codex-primary-used-percent": "+1.5e1" })).toEqual({ used_percent: 15 })
      expect(window({ "x-codex-primary-used-percent": ".5" })).toEqual({ used_percent: 0.5 })
    })
  })

  describe("credits", () => {
    const credits = (input: Record<string, string>) => RateLimits.parseCredits(h(input))

    it("parses true/false in any case and 1/0", () => {
      expect(credits({ "x-codex-credits-has-credits": "TRUE", "x-codex-credits-unlimited": "False" })).toEqual({
        has_credits: true,
        unlimited: false
      })
      expect(credits({ "x-codex-credits-has-credits": "0", "x-codex-credits-unlimited": "1" })).toEqual({
        has_credits: false,
        unlimited: true
      })
    })

    it("needs both booleans", () => {
      expect(credits({ "x-codex-credits-has-credits": "true" })).toBeUndefined()
      expect(credits({ "x-codex-credits-has-credits": "true", "x-codex-credits-unlimited": "yes" })).toBeUndefined()
      expect(credits({ "x-codex-credits-balance": "10" })).toBeUndefined()
    })

    it("trims the balance and drops an empty one", () => {
      const base = { "x-codex-credits-has-credits": "true", "x-codex-credits-unlimited": "false" }
      expect(credits({ ...base, "x-codex-credits-balance": " 12.34 " })?.balance).toBe("12.34")
      expect(credits({ ...base, "x-codex-credits-balance": "   " })).toEqual({ has_credits: true, unlimited: false })
    })

    it("credits come from the codex family whatever the limit id", () => {
      const snapshot = RateLimits.parseForLimit(
        h({ "x-codex-credits-has-credits": "1", "x-codex-credits-unlimited": "0", "x-other-credits-has-credits": "0" }),
        "other"
      )
      expect(snapshot.credits).toEqual({ has_credits: true, unlimited: false })
    })
  })

  describe("ids and names", () => {
    it("normalizes ids (lowercase, - → _) and builds the prefix from them", () => {
      expect(RateLimits.normalizeLimitId("Codex-Other")).toBe("codex_other")
      const snapshot = RateLimits.parseForLimit(h({ "x-codex-other-primary-used-percent": "40" }), "CODEX_OTHER")
      expect(snapshot).toEqual({ limit_id: "codex_other", primary: { used_percent: 40 } })
    })

    it("an empty limit name is absent; a blank id means codex", () => {
      expect(RateLimits.parseForLimit(h({ "x-codex-limit-name": "   " })).limit_name).toBeUndefined()
      expect(RateLimits.parseForLimit(Headers.empty, "  ").limit_id).toBe("codex")
    })
  })

  describe("error headers", () => {
    it("reads the promo message, the active limit and the reached type", () => {
      const headers = h({
        "x-codex-promo-message": "  Upgrade now  ",
        "x-codex-active-limit": " codex_other ",
        "x-codex-rate-limit-reached-type": " workspace_owner_credits_depleted "
      })
      expect(RateLimits.promoMessage(headers)).toBe("Upgrade now")
      expect(RateLimits.activeLimit(headers)).toBe("codex_other")
      expect(RateLimits.rateLimitReachedType(headers)).toBe("workspace_owner_credits_depleted")
    })

    it("drops blank values and unknown reached types", () => {
      expect(RateLimits.promoMessage(h({ "x-codex-promo-message": " " }))).toBeUndefined()
      expect(RateLimits.activeLimit(Headers.empty)).toBeUndefined()
      expect(RateLimits.rateLimitReachedType(h({ "x-codex-rate-limit-reached-type": "unknown_kind" }))).toBeUndefined()
      expect(RateLimits.rateLimitReachedType(h({ "x-codex-rate-limit-reached-type": "\u00ff" }))).toBeUndefined()
      for (const value of RateLimits.rateLimitReachedTypes) {
        expect(RateLimits.rateLimitReachedType(h({ "x-codex-rate-limit-reached-type": value }))).toBe(value)
      }
    })
  })
})
