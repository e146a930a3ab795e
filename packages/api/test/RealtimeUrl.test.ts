import { describe, expect, it } from "@effect/vitest"
import { RealtimeUrlError, realtimeWebsocketUrl } from "../src/internal/realtimeUrl.js"

describe("RealtimeUrl", () => {
  it("websocket_url_from_http_base_defaults_to_ws_path", () => {
    expect(realtimeWebsocketUrl({ baseUrl: "http://127.0.0.1:8011", parser: "V1" })).toBe(
      "ws://127.0.0.1:8011/v1/realtime?intent=quicksilver"
    )
  })

  it("websocket_url_from_ws_base_defaults_to_ws_path", () => {
    expect(realtimeWebsocketUrl({ baseUrl: "wss://example.com", parser: "V1", model: "realtime-test-model" })).toBe(
      "wss://example.com/v1/realtime?intent=quicksilver&model=realtime-test-model"
    )
  })

  it("websocket_url_from_v1_base_appends_realtime_path", () => {
    expect(realtimeWebsocketUrl({ baseUrl: "https://api.openai.com/v1", parser: "V1", model: "snapshot" })).toBe(
      "wss://api.openai.com/v1/realtime?intent=quicksilver&model=snapshot"
    )
  })

  it("websocket_url_from_nested_v1_base_appends_realtime_path", () => {
    expect(realtimeWebsocketUrl({ baseUrl: "https://example.com/openai/v1", parser: "V1", model: "snapshot" })).toBe(
      "wss://example.com/openai/v1/realtime?intent=quicksilver&model=snapshot"
    )
  })

  it("websocket_url_preserves_existing_realtime_path_and_extra_query_params", () => {
    expect(
      realtimeWebsocketUrl({
        baseUrl: "https://example.com/v1/realtime?foo=bar",
        queryParams: { trace: "1", intent: "ignored" },
        parser: "V1",
        model: "snapshot"
      })
    ).toBe("wss://example.com/v1/realtime?foo=bar&intent=quicksilver&model=snapshot&trace=1")
  })

  it("websocket_url_v1_ignores_transcription_mode (the URL depends on the parser only)", () => {
    // V1 keeps `intent=quicksilver` whatever the session mode; the mode is not an input of the builder.
    expect(realtimeWebsocketUrl({ baseUrl: "https://example.com/v1/realtime", parser: "V1", model: "snapshot" })).toBe(
      "wss://example.com/v1/realtime?intent=quicksilver&model=snapshot"
    )
  })

  it("websocket_url_omits_intent_for_realtime_v2_conversational_mode", () => {
    expect(
      realtimeWebsocketUrl({
        baseUrl: "https://example.com/v1/realtime?foo=bar",
        queryParams: { trace: "1", intent: "ignored" },
        parser: "RealtimeV2",
        model: "snapshot"
      })
    ).toBe("wss://example.com/v1/realtime?foo=bar&model=snapshot&trace=1")
  })

  it("websocket_url_omits_intent_for_realtime_v2_transcription_mode", () => {
    expect(realtimeWebsocketUrl({ baseUrl: "https://example.com", parser: "RealtimeV2" })).toBe(
      "wss://example.com/v1/realtime"
    )
  })

  it("websocket_url_for_call_id_joins_existing_realtime_session", () => {
    expect(
      realtimeWebsocketUrl({
        baseUrl: "https://api.openai.com/v1",
        parser: "RealtimeV2",
        model: "ignored-for-join",
        callId: "rtc_test"
      })
    ).toBe("wss://api.openai.com/v1/realtime?call_id=rtc_test")
  })

  it("normalizes trailing slashes and keeps unusual paths", () => {
    expect(realtimeWebsocketUrl({ baseUrl: "https://example.com/", parser: "RealtimeV2" })).toBe(
      "wss://example.com/v1/realtime"
    )
    expect(realtimeWebsocketUrl({ baseUrl: "https://example.com/v1/", parser: "RealtimeV2" })).toBe(
      "wss://example.com/v1/realtime"
    )
    expect(realtimeWebsocketUrl({ baseUrl: "https://example.com/v1/realtime/", parser: "RealtimeV2" })).toBe(
      "wss://example.com/v1/realtime"
    )
    expect(realtimeWebsocketUrl({ baseUrl: "https://chatgpt.com/backend-api/codex", parser: "RealtimeV2" })).toBe(
      "wss://chatgpt.com/backend-api/codex"
    )
  })

  it("keeps provider model param when no model is configured, drops it otherwise", () => {
    expect(
      realtimeWebsocketUrl({ baseUrl: "https://x.test/v1", parser: "RealtimeV2", queryParams: { model: "p" } })
    ).toBe("wss://x.test/v1/realtime?model=p")
    expect(
      realtimeWebsocketUrl({
        baseUrl: "https://x.test/v1",
        parser: "RealtimeV2",
        queryParams: { model: "p" },
        model: "m"
      })
    ).toBe("wss://x.test/v1/realtime?model=m")
  })

  it("rejects other schemes with the reference message", () => {
    expect(() => realtimeWebsocketUrl({ baseUrl: "ftp://example.com/v1", parser: "V1" })).toThrow(RealtimeUrlError)
    try {
      realtimeWebsocketUrl({ baseUrl: "ftp://example.com/v1", parser: "V1" })
    } catch (error) {
      expect((error as RealtimeUrlError).reason).toBe("unsupported realtime api_url scheme: ftp")
    }
  })
})
