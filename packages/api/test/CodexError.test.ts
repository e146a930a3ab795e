import * as ApiError from "@codex/api/ApiError"
import * as CodexError from "@codex/api/CodexError"
import * as TransportError from "@codex/client/TransportError"
import * as Headers from "@effect/platform/Headers"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"

const http = (status: number, body: string | undefined, headers: Record<string, string> = {}) =>
  CodexError.mapApiError(
    ApiError.fromTransport(
      new TransportError.Http({
        status,
        url: "https://example.com/v1/responses",
        headers: Headers.fromInput(headers),
        body
      })
    )
  )

const expectTag = <T extends CodexError.CodexError["_tag"]>(
  error: CodexError.CodexError,
  tag: T
): Extract<CodexError.CodexError, { _tag: T }> => {
  expect(error._tag).toBe(tag)
  return error as Extract<CodexError.CodexError, { _tag: T }>
}

describe("CodexError.mapApiError", () => {
  it("map_api_error_maps_server_overloaded", () => {
    expectTag(CodexError.mapApiError(new ApiError.ServerOverloaded()), "ServerOverloaded")
  })

  it("map_api_error_maps_server_overloaded_from_503_body", () => {
    const error = expectTag(http(503, `{"error":{"code":"server_is_overloaded"}}`), "ServerOverloaded")
    expect(error.status).toBe(503)
    expectTag(http(503, `{"error":{"code":"slow_down"}}`), "ServerOverloaded")
    // another 503 stays generic
    expectTag(http(503, `{"error":{"code":"other"}}`), "UnexpectedStatus")
    expectTag(http(503, "not json"), "UnexpectedStatus")
  })

  it("map_api_error_maps_cyber_policy_from_400_body", () => {
    const error = expectTag(
      http(400, `{"error":{"message":"This request was flagged.","type":"invalid_request","code":"cyber_policy"}}`),
      "CyberPolicy"
    )
    expect(error.reason).toBe("This request was flagged.")
    expect(error.isRetryable).toBe(false)
  })

  it("map_api_error_maps_wrapped_websocket_cyber_policy_from_400_body", () => {
    const body = JSON.stringify({
      type: "error",
      status: 400,
      error: {
        message: "This websocket request was flagged.",
        type: "invalid_request_error",
        code: "cyber_policy",
        param: null
      }
    })
    expect(expectTag(http(400, body), "CyberPolicy").reason).toBe("This websocket request was flagged.")
  })

  it("map_api_error_uses_cyber_policy_fallback_for_missing_message", () => {
    expect(expectTag(http(400, `{"error":{"code":"cyber_policy"}}`), "CyberPolicy").reason).toBe(
      "This request has been flagged for possible cybersecurity risk."
    )
    expect(expectTag(http(400, `{"error":{"code":"cyber_policy","message":"   "}}`), "CyberPolicy").reason).toBe(
      CodexError.cyberPolicyFallbackMessage
    )
  })

  it("map_api_error_keeps_unknown_400_errors_generic", () => {
    const body = `{"error":{"message":"Unsupported parameter","code":"unsupported_parameter"}}`
    const error = expectTag(http(400, body), "InvalidRequest")
    expect(error.reason).toBe(body)
    expect(error.body).toBe(body)
    expect(error.isRetryable).toBe(false)
  })

  it("maps the invalid image text of a 400 to InvalidImageRequest", () => {
    const body = `{"error":{"message":"The image data you provided does not represent a valid image."}}`
    expectTag(http(400, body), "InvalidImageRequest")
  })

  it("maps 500 to InternalServerError (retryable)", () => {
    const error = expectTag(http(500, "boom"), "InternalServerError")
    expect(error.isRetryable).toBe(true)
  })

  it("map_api_error_maps_usage_limit_limit_name_header", () => {
    const error = expectTag(
      http(429, `{"error":{"type":"usage_limit_reached","plan_type":"pro"}}`, {
        "x-codex-active-limit": "codex_other",
        "x-codex-other-limit-name": "codex_other"
      }),
      "UsageLimitReached"
    )
    expect(error.planType).toBe("pro")
    expect(error.rateLimits?.limit_id).toBe("codex_other")
    expect(error.rateLimits?.limit_name).toBe("codex_other")
    expect(error.isRetryable).toBe(false)
  })

  it("map_api_error_does_not_fallback_limit_name_to_limit_id", () => {
    const error = expectTag(
      http(429, `{"error":{"type":"usage_limit_reached","plan_type":"pro"}}`, {
        "x-codex-active-limit": "codex_other"
      }),
      "UsageLimitReached"
    )
    expect(error.rateLimits).toEqual({ limit_id: "codex_other" })
    expect(error.rateLimits?.limit_name).toBeUndefined()
  })

  it("map_api_error_ignores_unparseable_rate_limit_reached_type_headers", () => {
    for (const value of ["unknown_reached_type", "\u00ff"]) {
      const error = expectTag(
        http(429, `{"error":{"type":"usage_limit_reached"}}`, { "x-codex-rate-limit-reached-type": value }),
        "UsageLimitReached"
      )
      expect(error.rateLimitReachedType).toBeUndefined()
    }
    const known = expectTag(
      http(429, `{"error":{"type":"usage_limit_reached"}}`, {
        "x-codex-rate-limit-reached-type": "workspace_member_usage_limit_reached"
      }),
      "UsageLimitReached"
    )
    expect(known.rateLimitReachedType).toBe("workspace_member_usage_limit_reached")
  })

  it("reads resets_at, promo message and the active family's windows on a usage limit", () => {
    const error = expectTag(
      http(429, `{"error":{"type":"usage_limit_reached","message":"...","plan_type":"hc","resets_at":1738888888}}`, {
        "x-codex-primary-used-percent": "100",
        "x-codex-primary-window-minutes": "300",
        "x-codex-promo-message": "  Try Pro  ",
        "x-request-id": "req-429"
      }),
      "UsageLimitReached"
    )
    expect(error.planType).toBe("enterprise")
    expect(error.resetsAt && DateTime.toEpochMillis(error.resetsAt)).toBe(1738888888000)
    expect(error.promoMessage).toBe("Try Pro")
    expect(error.rateLimits).toEqual({ limit_id: "codex", primary: { used_percent: 100, window_minutes: 300 } })
    expect(error.requestId).toBe("req-429")
    expect(error.message).toContain("2025-02-07T00:41:28")
    expect(error.message).toContain("Try Pro")
  })

  it("maps 429 usage_not_included to UsageNotIncluded", () => {
    expectTag(http(429, `{"error":{"type":"usage_not_included"}}`), "UsageNotIncluded")
  })

  it("maps any other 429 to RetryLimit with the request id from x-request-id ?? x-oai-request-id ?? cf-ray", () => {
    const a = expectTag(
      http(429, `{"error":{"type":"rate_limit_exceeded"}}`, { "x-request-id": "r1", "cf-ray": "ray" }),
      "RetryLimit"
    )
    expect(a.status).toBe(429)
    expect(a.requestId).toBe("r1")
    // a 429 is not retried by default: the message says what happened, not "exceeded retry limit"
    expect(a.message).toBe("rate limited; slow down and retry later (HTTP 429, request id: r1)")
    expect(a.isRetryable).toBe(false)
    const said = expectTag(
      http(429, `{"error":{"message":"Rate limit reached for gpt-5","type":"tokens"}}`),
      "RetryLimit"
    )
    expect(said.serverMessage).toBe("Rate limit reached for gpt-5")
    expect(said.message).toBe("rate limited: Rate limit reached for gpt-5; slow down and retry later (HTTP 429)")
    expect(said.message).not.toContain("retry limit")
    expect(
      expectTag(http(429, "slow down", { "x-oai-request-id": "r2", "cf-ray": "ray" }), "RetryLimit").requestId
    ).toBe("r2")
    expect(expectTag(http(429, "", { "cf-ray": "ray-3" }), "RetryLimit").requestId).toBe("ray-3")
    // a wrongly typed field makes the body unparsable, as in the reference
    expectTag(http(429, `{"error":{"type":"usage_limit_reached","resets_at":"soon"}}`), "RetryLimit")
  })

  it("map_api_error_extracts_identity_auth_details_from_headers", () => {
    const errorJson = Buffer.from(JSON.stringify({ error: { code: "token_expired" } })).toString("base64")
    const error = expectTag(
      http(401, "unauthorized", {
        "x-request-id": "req-401",
        "cf-ray": "ray-401",
        "x-openai-authorization-error": "missing_authorization_header",
        "x-error-json": errorJson
      }),
      "UnexpectedStatus"
    )
    expect(error.status).toBe(401)
    expect(error.body).toBe("unauthorized")
    expect(error.url).toBe("https://example.com/v1/responses")
    expect(error.requestId).toBe("req-401")
    expect(error.cfRay).toBe("ray-401")
    expect(error.identityAuthorizationError).toBe("missing_authorization_header")
    expect(error.identityErrorCode).toBe("token_expired")
    expect(error.isRetryable).toBe(false)
    expect(error.message).toBe(
      "unexpected status 401: unauthorized, url: https://example.com/v1/responses, cf-ray: ray-401, request id: req-401, auth error: missing_authorization_header, auth error code: token_expired"
    )
  })

  it("never marks 400 / 401 / 403 / 404 retryable; 408, 409 and 5xx are", () => {
    const auth = `{"error":{"message":"Incorrect API key provided: sk-...abc.","type":"invalid_request_error","code":"invalid_api_key"}}`
    for (const status of [400, 401, 403, 404, 422]) {
      const error = http(status, auth)
      expect(error.isRetryable, String(status)).toBe(false)
      expect(CodexError.isRetryable(error), String(status)).toBe(false)
    }
    for (const status of [408, 409, 500, 502, 503, 504])
      expect(http(status, "x").isRetryable, String(status)).toBe(true)
    expect(CodexError.mapApiError(new ApiError.Api({ status: 401, reason: "no" })).isRetryable).toBe(false)
  })

  it("keeps the server's error.message on every HTTP mapping and shows it in the message", () => {
    const body = (message: string, extra = "") => `{"error":{"message":${JSON.stringify(message)}${extra}}}`
    const cases: ReadonlyArray<readonly [number, string, CodexError.CodexError["_tag"]]> = [
      [401, body("Incorrect API key provided"), "UnexpectedStatus"],
      [403, body("Country not supported"), "UnexpectedStatus"],
      [400, body("Unsupported parameter: temperature"), "InvalidRequest"],
      [400, body("The image data you provided does not represent a valid image."), "InvalidImageRequest"],
      [500, body("The server had an error processing your request"), "InternalServerError"],
      [503, body("Slow down", `,"code":"slow_down"`), "ServerOverloaded"],
      [429, body("Rate limit reached", `,"type":"rate_limit_exceeded"`), "RetryLimit"],
      [429, body("You have hit your usage limit", `,"type":"usage_limit_reached"`), "UsageLimitReached"],
      [429, body("Codex is not included in your plan", `,"type":"usage_not_included"`), "UsageNotIncluded"]
    ]
    for (const [status, text, tag] of cases) {
      const error = http(status, text) as CodexError.CodexError & CodexError.HttpDetails
      const message = (JSON.parse(text) as { error: { message: string } }).error.message
      expect(error._tag).toBe(tag)
      expect(error.serverMessage, tag).toBe(message)
      expect(error.message, tag).toContain(message)
      expect(error.body).toBe(text)
    }
    // the 400 reason stays the entire body (the reference's field), the message is the server's words
    const invalid = expectTag(http(400, body("Unsupported parameter")), "InvalidRequest")
    expect(invalid.reason).toBe(body("Unsupported parameter"))
    expect(invalid.message).toBe("invalid request: Unsupported parameter (HTTP 400)")
    // not JSON, or no message: no serverMessage
    expect((http(502, "Bad Gateway") as CodexError.HttpDetails).serverMessage).toBeUndefined()
    expect((http(502, `{"error":{"message":"  "}}`) as CodexError.HttpDetails).serverMessage).toBeUndefined()
  })

  it("ignores an x-error-json that is not base64 JSON", () => {
    const error = expectTag(http(403, "", { "x-error-json": "%%%not-base64" }), "UnexpectedStatus")
    expect(error.identityErrorCode).toBeUndefined()
    expect(
      expectTag(http(403, "", { "x-error-json": Buffer.from("[1]").toString("base64") }), "UnexpectedStatus")
        .identityErrorCode
    ).toBeUndefined()
  })

  it("maps the non-HTTP transport errors", () => {
    const retry = expectTag(
      CodexError.mapApiError(ApiError.fromTransport(new TransportError.RetryLimit())),
      "RetryLimit"
    )
    expect(retry.status).toBe(500)
    expect(retry.requestId).toBeUndefined()
    expectTag(CodexError.mapApiError(ApiError.fromTransport(new TransportError.Timeout())), "RequestTimeout")
    const network = expectTag(
      CodexError.mapApiError(ApiError.fromTransport(new TransportError.Network({ reason: "connection reset" }))),
      "Stream"
    )
    expect(network.reason).toBe("connection reset")
    expect(network.delay).toBeUndefined()
    expect(
      expectTag(CodexError.mapApiError(ApiError.fromTransport(new TransportError.Build({ reason: "bad" }))), "Stream")
        .reason
    ).toBe("bad")
  })

  it("keeps the server's message of a response.failed error", () => {
    const serverMessage = "Your input exceeds the context window of this model."
    const context = expectTag(
      CodexError.mapApiError(new ApiError.ContextWindowExceeded({ serverMessage })),
      "ContextWindowExceeded"
    )
    expect(context.serverMessage).toBe(serverMessage)
    expect(context.message).toBe(
      `the model's context window was exceeded: ${serverMessage}; start a new conversation or compact the history`
    )
    expect(
      expectTag(CodexError.mapApiError(new ApiError.QuotaExceeded({ serverMessage: "No quota" })), "QuotaExceeded")
        .serverMessage
    ).toBe("No quota")
    expect(
      expectTag(
        CodexError.mapApiError(new ApiError.UsageNotIncluded({ serverMessage: "Not in plan" })),
        "UsageNotIncluded"
      ).message
    ).toContain("Not in plan")
    expect(
      expectTag(CodexError.mapApiError(new ApiError.ServerOverloaded({ serverMessage: "Busy" })), "ServerOverloaded")
        .serverMessage
    ).toBe("Busy")
    // the ApiError keeps the reference's display string
    expect(new ApiError.ContextWindowExceeded({ serverMessage }).message).toBe("context window exceeded")
  })

  it("maps the direct ApiError variants", () => {
    expectTag(CodexError.mapApiError(new ApiError.ContextWindowExceeded()), "ContextWindowExceeded")
    expectTag(CodexError.mapApiError(new ApiError.QuotaExceeded()), "QuotaExceeded")
    expectTag(CodexError.mapApiError(new ApiError.UsageNotIncluded()), "UsageNotIncluded")
    expect(
      expectTag(CodexError.mapApiError(new ApiError.InvalidRequest({ reason: "bad prompt" })), "InvalidRequest").reason
    ).toBe("bad prompt")
    expect(
      expectTag(CodexError.mapApiError(new ApiError.CyberPolicy({ reason: "flagged" })), "CyberPolicy").reason
    ).toBe("flagged")
    const retryable = expectTag(
      CodexError.mapApiError(new ApiError.Retryable({ reason: "try later", delay: Duration.seconds(3) })),
      "Stream"
    )
    expect(retryable.reason).toBe("try later")
    expect(retryable.delay).toEqual(Duration.seconds(3))
    expect(expectTag(CodexError.mapApiError(ApiError.stream("eof")), "Stream").reason).toBe("eof")
    expect(expectTag(CodexError.mapApiError(new ApiError.RateLimit({ reason: "slow" })), "Stream").reason).toBe("slow")
    const api = expectTag(
      CodexError.mapApiError(new ApiError.Api({ status: 418, reason: "teapot" })),
      "UnexpectedStatus"
    )
    expect(api).toMatchObject({ status: 418, body: "teapot" })
    expect(api.requestId).toBeUndefined()
    expect(api.cfRay).toBeUndefined()
  })

  it("retryability follows the caller's list", () => {
    const retryable = [
      new CodexError.Stream({ reason: "x" }),
      new CodexError.RequestTimeout(),
      new CodexError.UnexpectedStatus({ status: 502, body: "" }),
      new CodexError.InternalServerError({})
    ]
    const notRetryable = [
      new CodexError.UsageLimitReached({}),
      new CodexError.UsageNotIncluded({}),
      new CodexError.QuotaExceeded(),
      new CodexError.InvalidRequest({ reason: "" }),
      new CodexError.InvalidImageRequest({}),
      new CodexError.ContextWindowExceeded(),
      new CodexError.RetryLimit({ status: 429 }),
      new CodexError.ServerOverloaded({}),
      new CodexError.CyberPolicy({ reason: "" })
    ]
    for (const e of retryable) expect(CodexError.isRetryable(e), e._tag).toBe(true)
    for (const e of notRetryable) expect(CodexError.isRetryable(e), e._tag).toBe(false)
    expect(CodexError.isCodexError(retryable[0])).toBe(true)
    expect(CodexError.isCodexError(new Error("x"))).toBe(false)
  })

  describe("keeps what the server said (improvement 5)", () => {
    const rateHeaders = {
      "x-request-id": "req-1",
      "x-codex-primary-used-percent": "42",
      "x-codex-primary-window-minutes": "60"
    }
    const cases: ReadonlyArray<readonly [string, number, string]> = [
      ["ServerOverloaded", 503, `{"error":{"code":"slow_down"}}`],
      ["CyberPolicy", 400, `{"error":{"code":"cyber_policy"}}`],
      ["InvalidImageRequest", 400, "The image data you provided does not represent a valid image"],
      ["InvalidRequest", 400, "bad"],
      ["InternalServerError", 500, "oops"],
      ["UsageNotIncluded", 429, `{"error":{"type":"usage_not_included"}}`],
      ["RetryLimit", 429, "too many"],
      ["UnexpectedStatus", 404, "not found"]
    ]
    for (const [tag, status, body] of cases) {
      it(`${tag} carries status, url, body, request id and the rate-limit snapshot`, () => {
        const error = http(status, body, rateHeaders) as CodexError.CodexError & CodexError.HttpDetails
        expect(error._tag).toBe(tag)
        expect(error.status).toBe(status)
        expect(error.body).toBe(body)
        expect(error.url).toBe("https://example.com/v1/responses")
        expect(error.requestId).toBe("req-1")
        expect(error.rateLimits).toEqual({ limit_id: "codex", primary: { used_percent: 42, window_minutes: 60 } })
        // the message says where: the status and the request id
        expect(error.message).toContain(String(status))
        expect(error.message).toContain("req-1")
      })
    }

    it("has no snapshot when the headers carry no rate-limit data", () => {
      const error = expectTag(http(500, "oops", { "x-oai-request-id": "oai-1" }), "InternalServerError")
      expect(error.rateLimits).toBeUndefined()
      expect(error.requestId).toBe("oai-1")
      expect(error.message).toBe("the server had an internal error; retry shortly (HTTP 500, request id: oai-1)")
    })
  })
})
