/**
 * Where requests go and how: base URL, query params, static headers, retry configuration and the
 * stream idle timeout.
 *
 * @since 0.1.0
 */
import * as Request from "@codex/client/Request"
import * as RetryPolicy from "@codex/client/RetryPolicy"
import type * as RetrySchedule from "@codex/client/RetrySchedule"
import * as Headers from "@effect/platform/Headers"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"

/**
 * Retry settings of a provider: how many retries, the base delay of the exponential backoff, and
 * which failures are retried (HTTP 429, 5xx, transport errors).
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryConfig {
  readonly maxAttempts: number
  readonly baseDelay: Duration.DurationInput
  readonly retry429: boolean
  readonly retry5xx: boolean
  readonly retryTransport: boolean
  /** Cap for server-requested `retry-after` delays (default 60 s). */
  readonly maxRetryAfter?: Duration.DurationInput | undefined
}

/**
 * Where requests go and how: name, base URL, query parameters, static headers, retry settings and
 * the stream idle timeout. Build one with {@link make} or read it from the environment with {@link
 * layerConfig}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Provider {
  readonly name: string
  readonly baseUrl: string
  /** Appended to every URL as `k=v` pairs in insertion order, not URL-encoded (as the Codex CLI does). */
  readonly queryParams?: Readonly<Record<string, string>> | undefined
  readonly headers: Headers.Headers
  readonly retry: RetryConfig
  /** Default 300 000 ms. */
  readonly streamIdleTimeout: Duration.DurationInput
  /**
   * Time from sending an HTTP request to its response headers, which also bounds reading an error
   * body; exceeding it is a (retried) `TransportError.Timeout`. Default: `streamIdleTimeout`.
   * Requests with their own whole-request timeout (compaction) are bounded by that instead.
   */
  readonly headersTimeout?: Duration.DurationInput | undefined
  /**
   * Bound of one pending SSE event on streaming endpoints, in bytes (default
   * `Sse.defaultMaxEventSize`, 16 MiB); overflow fails the stream with a typed error.
   */
  readonly maxSseEventSize?: number | undefined
  /**
   * Bound of a WebSocket handshake (`ResponsesWebsocket` / `RealtimeWebsocket` connect), default
   * {@link defaultWebsocketConnectTimeout} (15 s).
   */
  readonly websocketConnectTimeout?: Duration.DurationInput | undefined
}

/**
 * The service tag of the provider every client uses. Provide it with {@link layer} or {@link
 * layerConfig}.
 *
 * @since 0.1.0
 * @category tags
 */
export class CurrentProvider extends Context.Tag("@codex/api/Provider")<CurrentProvider, Provider>() {}

/**
 * `{maxAttempts: 4, baseDelay: 200 ms, retry429: false, retry5xx: true, retryTransport: true}`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultRetryConfig: RetryConfig = {
  maxAttempts: 4,
  baseDelay: Duration.millis(200),
  retry429: false,
  retry5xx: true,
  retryTransport: true
}

/**
 * Default base URL of the OpenAI API provider.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultBaseUrl = "https://api.openai.com/v1"

/**
 * Default stream idle timeout (5 minutes).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultStreamIdleTimeout: Duration.Duration = Duration.millis(300_000)

/**
 * Default WebSocket connect timeout (15 seconds): how long a handshake may take before the socket
 * is dropped and the connect fails.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultWebsocketConnectTimeout: Duration.Duration = Duration.seconds(15)

/**
 * The provider's WebSocket connect timeout, or {@link defaultWebsocketConnectTimeout}.
 *
 * @since 0.1.0
 * @category accessors
 */
export const websocketConnectTimeout = (provider: Provider): Duration.Duration =>
  Duration.decode(provider.websocketConnectTimeout ?? defaultWebsocketConnectTimeout)

/**
 * Builds a provider; omitted fields take the defaults (name `openai`, base `https://api.openai.com/v1`,
 * no headers, {@link defaultRetryConfig}, idle timeout 300 000 ms).
 *
 * @example
 * ```ts
 * import * as Provider from "@codex/api/Provider"
 * import { Duration } from "effect"
 *
 * // Only what differs from the defaults.
 * export const local = Provider.make({
 *   baseUrl: "http://127.0.0.1:8080/v1",
 *   headers: { "x-team": "docs" },
 *   streamIdleTimeout: Duration.seconds(30)
 * })
 *
 * export const ProviderLive = Provider.layer(local)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Partial<Omit<Provider, "headers">> & { readonly headers?: Headers.Input | undefined } = {}
): Provider => {
  const provider: {
    -readonly [K in keyof Provider]: Provider[K]
  } = {
    name: options.name ?? "openai",
    baseUrl: options.baseUrl ?? defaultBaseUrl,
    headers: options.headers === undefined ? Headers.empty : Headers.fromInput(options.headers),
    retry: options.retry ?? defaultRetryConfig,
    streamIdleTimeout: options.streamIdleTimeout ?? defaultStreamIdleTimeout
  }
  if (options.queryParams !== undefined) provider.queryParams = options.queryParams
  if (options.maxSseEventSize !== undefined) provider.maxSseEventSize = options.maxSseEventSize
  if (options.headersTimeout !== undefined) provider.headersTimeout = options.headersTimeout
  if (options.websocketConnectTimeout !== undefined) provider.websocketConnectTimeout = options.websocketConnectTimeout
  return provider
}

/**
 * The provider's retry settings as a `RetryPolicy` of `@codex/client`.
 *
 * @since 0.1.0
 * @category retry
 */
export const toRetryPolicy = (retry: RetryConfig): RetryPolicy.RetryPolicy => {
  const retryOn = { retry429: retry.retry429, retry5xx: retry.retry5xx, retryTransport: retry.retryTransport }
  return retry.maxRetryAfter === undefined
    ? { maxAttempts: retry.maxAttempts, baseDelay: retry.baseDelay, retryOn }
    : { maxAttempts: retry.maxAttempts, baseDelay: retry.baseDelay, retryOn, maxRetryAfter: retry.maxRetryAfter }
}

/**
 * The retry `Schedule` of a retry configuration (`RetryPolicy.toSchedule` of {@link toRetryPolicy}):
 * what the endpoint clients retry with when no `RetrySchedule` layer replaces it. Start from it to
 * extend the default, e.g. `Schedule.whileInput(Provider.toRetrySchedule(provider.retry), predicate)`.
 *
 * @since 0.1.0
 * @category retry
 */
export const toRetrySchedule = (retry: RetryConfig): RetrySchedule.Service =>
  RetryPolicy.toSchedule(toRetryPolicy(retry))

/**
 * `urlForPath(provider, path)`: base without trailing `/` + `/` + path without leading `/` (just the
 * base when `path` is empty), then `?k=v&...` for the query params in insertion order. Like the
 * reference, nothing is URL-encoded and an existing `?` in the base is not looked for.
 *
 * @since 0.1.0
 * @category urls
 */
export const urlForPath = (provider: Provider, path: string): string => {
  let end = provider.baseUrl.length
  while (end > 0 && provider.baseUrl.charCodeAt(end - 1) === 47) end--
  let start = 0
  while (start < path.length && path.charCodeAt(start) === 47) start++
  const base = provider.baseUrl.slice(0, end)
  const rest = path.slice(start)
  let url = rest.length === 0 ? base : `${base}/${rest}`
  const params = provider.queryParams
  if (params !== undefined) {
    const pairs: Array<string> = []
    for (const key of Object.keys(params)) pairs.push(`${key}=${params[key]}`)
    if (pairs.length > 0) url += `?${pairs.join("&")}`
  }
  return url
}

/**
 * The URL does not parse, so it cannot be turned into a WebSocket URL.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidUrl extends Data.TaggedError("InvalidUrl")<{ readonly url: string; readonly reason?: string }> {
  constructor(args: { readonly url: string; readonly reason?: string }) {
    // Credentials in the URL never reach a rendering of the error.
    super({ ...args, url: Request.redactUrl(args.url) })
  }
  override get message(): string {
    return this.reason === undefined ? `invalid url: ${this.url}` : `invalid url: ${this.reason}`
  }
}

/**
 * Checks that a base URL can be requested over HTTP (`http:` / `https:`, a host, no `#fragment`;
 * see `Request.validateUrl`), failing with {@link InvalidUrl}. Endpoint calls with such a base
 * URL fail at once with a `TransportError.Build` (never retried); this check lets a program
 * reject the configuration up front. {@link config} runs it on `OPENAI_BASE_URL`.
 *
 * @since 0.1.0
 * @category urls
 */
export const validateBaseUrl = (baseUrl: string): Effect.Effect<void, InvalidUrl> =>
  Effect.mapError(Request.validateUrl(baseUrl), (error) => new InvalidUrl({ url: baseUrl, reason: error.reason }))

/**
 * Same URL as {@link urlForPath} with `http→ws`, `https→wss` (other schemes unchanged). The URL is
 * normalized by the WHATWG parser, as the Codex CLI does.
 *
 * Kept a plain function so it can be used while building a handshake; it throws {@link InvalidUrl}
 * (a yieldable tagged error) only when the URL does not parse — wrap it in `Effect.try` when the
 * base URL comes from untrusted configuration.
 *
 * @since 0.1.0
 * @category urls
 */
export const websocketUrlForPath = (provider: Provider, path: string): string => {
  const raw = urlForPath(provider, path)
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new InvalidUrl({ url: raw })
  }
  if (url.protocol === "http:") url.protocol = "ws:"
  else if (url.protocol === "https:") url.protocol = "wss:"
  return url.toString()
}

const azureMarkers: ReadonlyArray<string> = [
  "openai.azure.",
  "cognitiveservices.azure.",
  "aoai.azure.",
  "azure-api.",
  "azurefd.",
  "windows.net/openai"
]

/**
 * Azure detection: the name is `azure` (any case), or the base URL contains one of the Azure host
 * markers (`*.azurewebsites.net` is not Azure).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isAzureResponsesProvider = (name: string, baseUrl?: string | undefined): boolean => {
  if (name.toLowerCase() === "azure") return true
  if (baseUrl === undefined) return false
  const lower = baseUrl.toLowerCase()
  return azureMarkers.some((marker) => lower.includes(marker))
}

/**
 * Whether this provider is an Azure Responses endpoint.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isAzure = (provider: Provider): boolean => isAzureResponsesProvider(provider.name, provider.baseUrl)

/** Upper bound of `CODEX_REQUEST_MAX_RETRIES`, as the Codex CLI caps it. */
const maxRequestRetries = 100

const optionalNonBlank = (name: string) =>
  Config.option(Config.string(name)).pipe(Config.map(Option.filter((value) => value.trim().length > 0)))

/**
 * The provider read from configuration: `OPENAI_BASE_URL` (default `https://api.openai.com/v1`),
 * `OPENAI_ORGANIZATION` (→ `OpenAI-Organization`), `OPENAI_PROJECT` (→ `OpenAI-Project`) — both
 * skipped when unset or blank, `CODEX_PROVIDER_NAME` (default `openai`),
 * `CODEX_STREAM_IDLE_TIMEOUT_MS` (default 300 000), `CODEX_WEBSOCKET_CONNECT_TIMEOUT_MS` (default
 * 15 000), `CODEX_REQUEST_MAX_RETRIES` (default 4, capped at
 * 100), `CODEX_RETRY_429` (default false).
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<Provider> = Config.all({
  baseUrl: Config.withDefault(
    Config.string("OPENAI_BASE_URL").pipe(
      Config.mapOrFail((url) =>
        Effect.runSync(
          Effect.match(validateBaseUrl(url), {
            onFailure: (error) => Either.left(ConfigError.InvalidData([], error.message)),
            onSuccess: () => Either.right(url)
          })
        )
      )
    ),
    defaultBaseUrl
  ),
  organization: optionalNonBlank("OPENAI_ORGANIZATION"),
  project: optionalNonBlank("OPENAI_PROJECT"),
  name: Config.withDefault(Config.string("CODEX_PROVIDER_NAME"), "openai"),
  idleTimeoutMs: Config.withDefault(
    Config.integer("CODEX_STREAM_IDLE_TIMEOUT_MS").pipe(
      Config.validate({ message: "must be >= 0", validation: (n) => n >= 0 })
    ),
    300_000
  ),
  wsConnectTimeoutMs: Config.withDefault(
    Config.integer("CODEX_WEBSOCKET_CONNECT_TIMEOUT_MS").pipe(
      Config.validate({ message: "must be > 0", validation: (n) => n > 0 })
    ),
    Duration.toMillis(defaultWebsocketConnectTimeout)
  ),
  maxRetries: Config.withDefault(
    Config.integer("CODEX_REQUEST_MAX_RETRIES").pipe(
      Config.validate({ message: "must be >= 0", validation: (n) => n >= 0 })
    ),
    defaultRetryConfig.maxAttempts
  ),
  retry429: Config.withDefault(Config.boolean("CODEX_RETRY_429"), false)
}).pipe(
  Config.map((c) => {
    const headers: Array<readonly [string, string]> = []
    if (Option.isSome(c.organization)) headers.push(["OpenAI-Organization", c.organization.value])
    if (Option.isSome(c.project)) headers.push(["OpenAI-Project", c.project.value])
    return make({
      name: c.name,
      baseUrl: c.baseUrl,
      headers,
      retry: {
        ...defaultRetryConfig,
        maxAttempts: Math.min(c.maxRetries, maxRequestRetries),
        retry429: c.retry429
      },
      streamIdleTimeout: Duration.millis(c.idleTimeoutMs),
      websocketConnectTimeout: Duration.millis(c.wsConnectTimeoutMs)
    })
  })
)

/**
 * A layer from configuration (see {@link config}).
 *
 * @example
 * ```ts
 * import * as Auth from "@codex/api/Auth"
 * import * as Provider from "@codex/api/Provider"
 * import * as HttpTransport from "@codex/client/HttpTransport"
 * import { Layer } from "effect"
 *
 * // OPENAI_BASE_URL, OPENAI_ORGANIZATION, OPENAI_PROJECT, ... read once when the layer is built.
 * export const services = Layer.mergeAll(Provider.layerConfig, Auth.layerApiKeyConfig, HttpTransport.layerNode)
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<CurrentProvider, ConfigError.ConfigError> = Layer.effect(CurrentProvider, config)

/**
 * A layer providing the given provider.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (provider: Provider): Layer.Layer<CurrentProvider> => Layer.succeed(CurrentProvider, provider)

/**
 * The provider of the current context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const current: Effect.Effect<Provider, never, CurrentProvider> = CurrentProvider
