import * as Provider from "@codex/api/Provider"
import { describe, expect, it } from "@effect/vitest"
import * as ConfigError from "effect/ConfigError"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"

const withConfig = (entries: ReadonlyArray<readonly [string, string]>) =>
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map(entries)))

const loadProvider = (entries: ReadonlyArray<readonly [string, string]>) =>
  Provider.current.pipe(Effect.provide(Provider.layerConfig.pipe(Layer.provide(withConfig(entries)))))

describe("Provider", () => {
  describe("urlForPath", () => {
    const base = (baseUrl: string, queryParams?: Record<string, string>) =>
      Provider.make(queryParams === undefined ? { baseUrl } : { baseUrl, queryParams })

    it("joins base and path with exactly one slash", () => {
      expect(Provider.urlForPath(base("https://example.com/v1"), "responses")).toBe("https://example.com/v1/responses")
      expect(Provider.urlForPath(base("https://example.com/v1///"), "//responses")).toBe(
        "https://example.com/v1/responses"
      )
      expect(Provider.urlForPath(base("https://example.com/v1/"), "/responses/compact")).toBe(
        "https://example.com/v1/responses/compact"
      )
    })

    it("returns just the base (without trailing slashes) for an empty path", () => {
      expect(Provider.urlForPath(base("https://example.com/v1/"), "")).toBe("https://example.com/v1")
      expect(Provider.urlForPath(base("https://example.com/v1"), "/")).toBe("https://example.com/v1")
    })

    it("appends query params in insertion order without encoding or ? detection", () => {
      const provider = base("https://example.com/v1?x=1", { "api-version": "2025-04-01 preview", b: "a&b" })
      expect(Provider.urlForPath(provider, "responses")).toBe(
        "https://example.com/v1?x=1/responses?api-version=2025-04-01 preview&b=a&b"
      )
      expect(Provider.urlForPath(base("https://example.com", {}), "models")).toBe("https://example.com/models")
    })
  })

  describe("websocketUrlForPath", () => {
    it("maps http→ws and https→wss, keeps other schemes", () => {
      expect(Provider.websocketUrlForPath(Provider.make({ baseUrl: "https://example.com/v1" }), "responses")).toBe(
        "wss://example.com/v1/responses"
      )
      expect(Provider.websocketUrlForPath(Provider.make({ baseUrl: "http://127.0.0.1:8080/v1" }), "realtime")).toBe(
        "ws://127.0.0.1:8080/v1/realtime"
      )
      expect(Provider.websocketUrlForPath(Provider.make({ baseUrl: "wss://example.com" }), "x")).toBe(
        "wss://example.com/x"
      )
      expect(Provider.websocketUrlForPath(Provider.make({ baseUrl: "ftp://example.com" }), "x")).toBe(
        "ftp://example.com/x"
      )
    })

    it("keeps query params", () => {
      const provider = Provider.make({ baseUrl: "https://example.com/v1", queryParams: { intent: "transcription" } })
      expect(Provider.websocketUrlForPath(provider, "realtime")).toBe(
        "wss://example.com/v1/realtime?intent=transcription"
      )
    })

    it("throws a typed InvalidUrl when the URL does not parse", () => {
      const result = Either.try({
        try: () => Provider.websocketUrlForPath(Provider.make({ baseUrl: "not a url" }), "responses"),
        catch: (e) => e
      })
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(result.left).toBeInstanceOf(Provider.InvalidUrl)
        expect((result.left as Provider.InvalidUrl).url).toBe("not a url/responses")
      }
    })
  })

  it("detects_azure_responses_base_urls", () => {
    const positives = [
      "https://foo.openai.azure.com/openai",
      "https://foo.openai.azure.us/openai/deployments/bar",
      "https://foo.cognitiveservices.azure.cn/openai",
      "https://foo.aoai.azure.com/openai",
      "https://foo.openai.azure-api.net/openai",
      "https://foo.z01.azurefd.net/",
      "https://FOO.OPENAI.AZURE.COM/openai",
      "https://foo.blob.core.windows.net/openai"
    ]
    for (const url of positives) expect(Provider.isAzureResponsesProvider("test", url), url).toBe(true)
    const negatives = [
      "https://api.openai.com/v1",
      "https://example.com/openai",
      "https://myproxy.azurewebsites.net/openai"
    ]
    for (const url of negatives) expect(Provider.isAzureResponsesProvider("test", url), url).toBe(false)
    expect(Provider.isAzureResponsesProvider("Azure", "https://example.com/openai")).toBe(true)
    expect(Provider.isAzureResponsesProvider("AZURE")).toBe(true)
    expect(Provider.isAzureResponsesProvider("openai")).toBe(false)
  })

  it("make fills defaults", () => {
    const provider = Provider.make()
    expect(provider.name).toBe("openai")
    expect(provider.baseUrl).toBe("https://api.openai.com/v1")
    expect({ ...provider.headers }).toEqual({})
    expect(provider.retry).toEqual(Provider.defaultRetryConfig)
    expect(Duration.toMillis(provider.streamIdleTimeout)).toBe(300_000)
    expect(provider.queryParams).toBeUndefined()
    expect("maxSseEventSize" in provider).toBe(false)
    expect(Provider.make({ maxSseEventSize: 1024 }).maxSseEventSize).toBe(1024)
    expect({ ...Provider.make({ headers: { "X-Custom": "1" } }).headers }).toEqual({ "x-custom": "1" })
  })

  it("toRetryPolicy carries every field", () => {
    expect(Provider.toRetryPolicy(Provider.defaultRetryConfig)).toEqual({
      maxAttempts: 4,
      baseDelay: Duration.millis(200),
      retryOn: { retry429: false, retry5xx: true, retryTransport: true }
    })
    const policy = Provider.toRetryPolicy({
      ...Provider.defaultRetryConfig,
      retry429: true,
      maxRetryAfter: "5 seconds"
    })
    expect(policy.retryOn.retry429).toBe(true)
    expect(policy.maxRetryAfter).toBe("5 seconds")
  })

  describe("layerConfig", () => {
    it.effect("uses the defaults with empty configuration", () =>
      Effect.gen(function* () {
        const provider = yield* loadProvider([])
        expect(provider.name).toBe("openai")
        expect(provider.baseUrl).toBe("https://api.openai.com/v1")
        expect({ ...provider.headers }).toEqual({})
        expect(provider.retry).toEqual(Provider.defaultRetryConfig)
        expect(Duration.toMillis(provider.streamIdleTimeout)).toBe(300_000)
        expect(Duration.toMillis(Provider.websocketConnectTimeout(provider))).toBe(15_000)
      })
    )

    it.effect("reads every variable", () =>
      Effect.gen(function* () {
        const provider = yield* loadProvider([
          ["OPENAI_BASE_URL", "http://127.0.0.1:9999/v1"],
          ["OPENAI_ORGANIZATION", "org-1"],
          ["OPENAI_PROJECT", "proj-1"],
          ["CODEX_PROVIDER_NAME", "azure"],
          ["CODEX_STREAM_IDLE_TIMEOUT_MS", "1500"],
          ["CODEX_REQUEST_MAX_RETRIES", "7"],
          ["CODEX_RETRY_429", "true"],
          ["CODEX_WEBSOCKET_CONNECT_TIMEOUT_MS", "2500"]
        ])
        expect(provider.name).toBe("azure")
        expect(provider.baseUrl).toBe("http://127.0.0.1:9999/v1")
        expect({ ...provider.headers }).toEqual({ "openai-organization": "org-1", "openai-project": "proj-1" })
        expect(provider.retry.maxAttempts).toBe(7)
        expect(provider.retry.retry429).toBe(true)
        expect(provider.retry.retry5xx).toBe(true)
        expect(Duration.toMillis(provider.streamIdleTimeout)).toBe(1500)
        expect(Duration.toMillis(Provider.websocketConnectTimeout(provider))).toBe(2500)
      })
    )

    it.effect("skips blank organization/project and caps retries at 100", () =>
      Effect.gen(function* () {
        const provider = yield* loadProvider([
          ["OPENAI_ORGANIZATION", "   "],
          ["OPENAI_PROJECT", ""],
          ["CODEX_REQUEST_MAX_RETRIES", "1000"]
        ])
        expect({ ...provider.headers }).toEqual({})
        expect(provider.retry.maxAttempts).toBe(100)
      })
    )

    it.effect("fails with a ConfigError for invalid numbers", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(loadProvider([["CODEX_REQUEST_MAX_RETRIES", "many"]]))
        expect(ConfigError.isInvalidData(error)).toBe(true)
        expect(String(error)).toContain("CODEX_REQUEST_MAX_RETRIES")
        const negative = yield* Effect.flip(loadProvider([["CODEX_STREAM_IDLE_TIMEOUT_MS", "-1"]]))
        expect(ConfigError.isInvalidData(negative)).toBe(true)
        const zero = yield* Effect.flip(loadProvider([["CODEX_WEBSOCKET_CONNECT_TIMEOUT_MS", "0"]]))
        expect(String(zero)).toContain("CODEX_WEBSOCKET_CONNECT_TIMEOUT_MS")
      })
    )
  })

  it.effect("layer provides the given provider", () =>
    Effect.gen(function* () {
      const provider = Provider.make({ name: "custom" })
      const got = yield* Provider.current.pipe(Effect.provide(Provider.layer(provider)))
      expect(got).toBe(provider)
    })
  )
})
