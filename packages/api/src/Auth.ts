/**
 * Auth injection. `addAuthHeaders` is the header-only hook; `applyAuth` may sign the final request.
 * Errors: `Build` (configuration problem, never retried, becomes `TransportError.Build`) and
 * `Transient` (retried when transport retries are on, becomes `TransportError.Network`).
 *
 * @since 0.1.0
 */
import type * as Request from "@codex/client/Request"
import type * as Headers from "@effect/platform/Headers"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import type * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"

/**
 * @since 0.1.0
 * @category errors
 */
export class AuthBuildError extends Data.TaggedError("AuthBuildError")<{ readonly reason: string }> {
  override get message(): string {
    return `request auth build error: ${this.reason}`
  }
}

/**
 * @since 0.1.0
 * @category errors
 */
export class AuthTransientError extends Data.TaggedError("AuthTransientError")<{ readonly reason: string }> {
  override get message(): string {
    return `transient auth error: ${this.reason}`
  }
}

/**
 * @since 0.1.0
 * @category errors
 */
export type AuthError = AuthBuildError | AuthTransientError

/**
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
 * @since 0.1.0
 * @category tags
 */
export class AuthProvider extends Context.Tag("@codex/api/AuthProvider")<AuthProvider, Service>() {}

/**
 * @since 0.1.0
 * @category models
 */
export interface BearerOptions {
  readonly token: Redacted.Redacted<string>
  readonly accountId?: string | undefined
  readonly fedramp?: boolean | undefined
}

/**
 * `Authorization: Bearer <token>`, `ChatGPT-Account-ID` when known, `X-OpenAI-Fedramp: true` for
 * FedRAMP accounts.
 *
 * @since 0.1.0
 * @category constructors
 */
export declare const bearer: (options: BearerOptions) => Service

/**
 * Adds nothing.
 *
 * @since 0.1.0
 * @category constructors
 */
export declare const none: Service

/**
 * @since 0.1.0
 * @category layers
 */
export declare const layerBearer: (options: BearerOptions) => Layer.Layer<AuthProvider>

/**
 * @since 0.1.0
 * @category layers
 */
export declare const layerNone: Layer.Layer<AuthProvider>

/**
 * API key from `OPENAI_API_KEY` (read as `Redacted`).
 *
 * @since 0.1.0
 * @category layers
 */
export declare const layerApiKeyConfig: Layer.Layer<AuthProvider, ConfigError.ConfigError>
