/**
 * Auth injection. `addAuthHeaders` is the header-only hook; `applyAuth` may sign the final request.
 * Errors: `Build` (configuration problem, never retried, becomes `TransportError.Build`) and
 * `Transient` (retried when transport retries are on, becomes `TransportError.Network`).
 *
 * @since 0.1.0
 */
import type * as Request from "@codex/client/Request"
import { secretHeaderNames } from "@codex/client/TransportError"
import * as Headers from "@effect/platform/Headers"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

/**
 * The auth headers could not be built (e.g. a token that is not a valid header value).
 *
 * @since 0.1.0
 * @category errors
 */
export class AuthBuildError extends Data.TaggedError("AuthBuildError")<{ readonly reason: string }> {
  override get message(): string {
    return `request auth build error: ${this.reason}`
  }
}

/**
 * The auth headers could not be obtained right now (e.g. a token refresh failed); retrying may
 * help.
 *
 * @since 0.1.0
 * @category errors
 */
export class AuthTransientError extends Data.TaggedError("AuthTransientError")<{ readonly reason: string }> {
  override get message(): string {
    return `transient auth error: ${this.reason}`
  }
}

/**
 * An error of the auth service.
 *
 * @since 0.1.0
 * @category errors
 */
export type AuthError = AuthBuildError | AuthTransientError

/**
 * Adds authentication headers to outgoing requests. Provide it with {@link layerApiKeyConfig},
 * {@link layerBearer} or {@link layerNone}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Returns `headers` with the auth headers inserted (overwriting same names). */
  readonly addAuthHeaders: (headers: Headers.Headers) => Effect.Effect<Headers.Headers, AuthError>
  /** Applies auth to a whole request (defaults to `addAuthHeaders` on its headers). */
  readonly applyAuth: (request: Request.Request) => Effect.Effect<Request.Request, AuthError>
}

/**
 * The auth service tag. Every client adds its headers to each request.
 *
 * @since 0.1.0
 * @category tags
 */
export class AuthProvider extends Context.Tag("@codex/api/AuthProvider")<AuthProvider, Service>() {}

/**
 * A bearer token and, optionally, the ChatGPT account id (sent as `ChatGPT-Account-ID`) and the
 * FedRAMP flag.
 *
 * @since 0.1.0
 * @category models
 */
export interface BearerOptions {
  readonly token: Redacted.Redacted<string>
  readonly accountId?: string | undefined
  readonly fedramp?: boolean | undefined
}

/**
 * Header names whose values are credentials or account identifiers: the transport's secret names
 * plus the OpenAI organization / project headers. The auth layers add them to
 * `Headers.currentRedactedNames`, so inspecting headers inside the effect prints `<redacted>`.
 *
 * @since 0.1.0
 * @category redaction
 */
export const redactedHeaderNames: ReadonlyArray<string> = [
  ...secretHeaderNames,
  "openai-organization",
  "openai-project"
]

/**
 * Adds {@link redactedHeaderNames} to `Headers.currentRedactedNames` for the scope of a layer.
 *
 * @since 0.1.0
 * @category redaction
 */
export const layerRedactHeaders: Layer.Layer<never> = Layer.fiberRefLocallyScopedWith(
  Headers.currentRedactedNames,
  (names) => {
    const out = [...names]
    for (const name of redactedHeaderNames) if (!out.includes(name)) out.push(name)
    return out
  }
)

/**
 * Builds a service from a header-only hook; `applyAuth` applies it to the request headers.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromAddHeaders = (
  addAuthHeaders: (headers: Headers.Headers) => Effect.Effect<Headers.Headers, AuthError>
): Service => ({
  addAuthHeaders,
  applyAuth: (request) => Effect.map(addAuthHeaders(request.headers), (headers) => ({ ...request, headers }))
})

/**
 * `Authorization: Bearer <token>`, `ChatGPT-Account-ID` when known, `X-OpenAI-Fedramp: true` for
 * FedRAMP accounts. The token stays `Redacted` until the header is written.
 *
 * @since 0.1.0
 * @category constructors
 */
export const bearer = (options: BearerOptions): Service =>
  fromAddHeaders((headers) =>
    Effect.sync(() => {
      let out = Headers.set(headers, "authorization", `Bearer ${Redacted.value(options.token)}`)
      if (options.accountId !== undefined) out = Headers.set(out, "chatgpt-account-id", options.accountId)
      if (options.fedramp === true) out = Headers.set(out, "x-openai-fedramp", "true")
      return out
    })
  )

/**
 * Adds nothing.
 *
 * @since 0.1.0
 * @category constructors
 */
export const none: Service = {
  addAuthHeaders: Effect.succeed,
  applyAuth: Effect.succeed
}

/**
 * Whether (and under which name) a provider attaches an `Authorization` header, as the Codex CLI
 * reports it in telemetry.
 *
 * @since 0.1.0
 * @category telemetry
 */
export const headerTelemetry = (
  service: Service
): Effect.Effect<{ readonly attached: boolean; readonly name?: "authorization" | undefined }> =>
  service.addAuthHeaders(Headers.empty).pipe(
    Effect.map((headers) =>
      Headers.has(headers, "authorization") ? { attached: true, name: "authorization" as const } : { attached: false }
    ),
    Effect.orElseSucceed(() => ({ attached: false }))
  )

/**
 * A layer providing the given auth service.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (service: Service): Layer.Layer<AuthProvider> =>
  Layer.merge(Layer.succeed(AuthProvider, service), layerRedactHeaders)

/**
 * A layer sending `Authorization: Bearer <token>` (and the ChatGPT account id, when given).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerBearer = (options: BearerOptions): Layer.Layer<AuthProvider> => layer(bearer(options))

/**
 * A layer sending no auth headers: for local servers, proxies or mocks that need no key.
 *
 * @example
 * ```ts
 * import * as Auth from "@codex/api/Auth"
 * import * as Provider from "@codex/api/Provider"
 * import * as Responses from "@codex/api/Responses"
 * import * as HttpTransport from "@codex/client/HttpTransport"
 * import { Layer } from "effect"
 *
 * // A local server or proxy that needs no key: no Authorization header is sent.
 * export const ClientLive = Responses.layer.pipe(
 *   Layer.provide(
 *     Layer.mergeAll(
 *       Provider.layer(Provider.make({ baseUrl: "http://127.0.0.1:8080/v1" })),
 *       Auth.layerNone,
 *       HttpTransport.layerNode
 *     )
 *   )
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerNone: Layer.Layer<AuthProvider> = layer(none)

/**
 * API key from `OPENAI_API_KEY` (read as `Redacted`).
 *
 * @example
 * ```ts
 * import * as Auth from "@codex/api/Auth"
 * import * as Provider from "@codex/api/Provider"
 * import * as Responses from "@codex/api/Responses"
 * import * as HttpTransport from "@codex/client/HttpTransport"
 * import { Layer } from "effect"
 *
 * // `Authorization: Bearer $OPENAI_API_KEY`; fails with a ConfigError when the variable is not set.
 * export const ClientLive = Responses.layer.pipe(
 *   Layer.provide(Layer.mergeAll(Provider.layerConfig, Auth.layerApiKeyConfig, HttpTransport.layerNode))
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerApiKeyConfig: Layer.Layer<AuthProvider, ConfigError.ConfigError> = Layer.merge(
  Layer.effect(
    AuthProvider,
    Effect.map(Config.redacted("OPENAI_API_KEY"), (token) => bearer({ token }))
  ),
  layerRedactHeaders
)
