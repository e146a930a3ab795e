/**
 * Where requests go and how: base URL, query params, static headers, retry configuration and the
 * stream idle timeout.
 *
 * @since 0.1.0
 */
import type { RetryPolicy } from "@codex/client/RetryPolicy"
import type * as Headers from "@effect/platform/Headers"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"

/**
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
 * @since 0.1.0
 * @category models
 */
export interface Provider {
  readonly name: string
  readonly baseUrl: string
  /** Appended to every URL as `k=v` pairs in insertion order, not URL-encoded (as the reference). */
  readonly queryParams?: Readonly<Record<string, string>> | undefined
  readonly headers: Headers.Headers
  readonly retry: RetryConfig
  /** Default 300 000 ms. */
  readonly streamIdleTimeout: Duration.DurationInput
}

/**
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
export declare const defaultRetryConfig: RetryConfig

/**
 * Builds a provider; omitted fields take the defaults (name `openai`, base `https://api.openai.com/v1`,
 * no headers, {@link defaultRetryConfig}, idle timeout 300 000 ms).
 *
 * @since 0.1.0
 * @category constructors
 */
export declare const make: (options?: Partial<Provider> & { readonly headers?: Headers.Input }) => Provider

/**
 * @since 0.1.0
 * @category retry
 */
export declare const toRetryPolicy: (retry: RetryConfig) => RetryPolicy

/**
 * `urlForPath(provider, path)`: base without trailing `/` + `/` + path without leading `/`, then the
 * query params.
 *
 * @since 0.1.0
 * @category urls
 */
export declare const urlForPath: (provider: Provider, path: string) => string

/**
 * Same URL with `http→ws`, `https→wss`.
 *
 * @since 0.1.0
 * @category urls
 */
export declare const websocketUrlForPath: (provider: Provider, path: string) => string

/**
 * @since 0.1.0
 * @category predicates
 */
export declare const isAzureResponsesProvider: (name: string, baseUrl?: string | undefined) => boolean

/**
 * A layer from configuration: `OPENAI_BASE_URL`, `OPENAI_ORGANIZATION` (→ `OpenAI-Organization`),
 * `OPENAI_PROJECT` (→ `OpenAI-Project`), `CODEX_PROVIDER_NAME`, `CODEX_STREAM_IDLE_TIMEOUT_MS`,
 * `CODEX_REQUEST_MAX_RETRIES`, `CODEX_RETRY_429`.
 *
 * @since 0.1.0
 * @category layers
 */
export declare const layerConfig: Layer.Layer<CurrentProvider, ConfigError.ConfigError>

/**
 * @since 0.1.0
 * @category layers
 */
export declare const layer: (provider: Provider) => Layer.Layer<CurrentProvider>

/**
 * @since 0.1.0
 * @category accessors
 */
export declare const current: Effect.Effect<Provider, never, CurrentProvider>
