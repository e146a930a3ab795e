/**
 * The model list: `GET {base}/models?client_version=<v>`. Returns the models (`ModelInfo` of
 * `@codex/protocol`, unknown keys kept) and the response's `ETag` header verbatim (quotes included),
 * so callers can tell when the list changed.
 *
 * @since 0.1.0
 */
import type { HttpTransport } from "@codex/client/HttpTransport"
import { type ModelInfo, ModelsResponse } from "@codex/protocol/ModelInfo"
import type * as Headers from "@effect/platform/Headers"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as ApiError from "./ApiError.js"
import type { AuthProvider } from "./Auth.js"
import { decodeResponse } from "./internal/endpointJson.js"
import { execute } from "./internal/endpointSession.js"
import type * as Provider from "./Provider.js"

/**
 * Path of the endpoint, relative to the provider base URL.
 *
 * @since 0.1.0
 * @category constants
 */
export const path = "models"

/**
 * The result of listing models: the models and the `ETag` header, if the server sent one.
 *
 * @since 0.1.0
 * @category models
 */
export interface ModelsList {
  readonly models: ReadonlyArray<ModelInfo>
  /** The `ETag` response header, verbatim; absent when the server sent none. */
  readonly etag: string | undefined
}

/**
 * Per-call options: extra headers added to (and replacing same-named) provider headers.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOptions {
  readonly extraHeaders?: Headers.Input | undefined
}

/**
 * The models client: lists the models available to the account.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * Lists the models for `clientVersion` (sent unencoded as `client_version`, joined with `&` when
   * the provider already put a query on the URL). A body that does not decode fails with
   * `failed to decode models response: <problem>; body: <body>`.
   */
  readonly list: (clientVersion: string, options?: ListOptions) => Effect.Effect<ModelsList, ApiError.ApiError>
}

/**
 * The models client's service tag; provide it with {@link layer}.
 *
 * @since 0.1.0
 * @category tags
 */
export class ModelsClient extends Context.Tag("@codex/api/ModelsClient")<ModelsClient, Service>() {}

/**
 * Appends `client_version=<v>` with `?`, or `&` when the URL already has a query.
 *
 * @since 0.1.0
 * @category urls
 */
export const appendClientVersion = (url: string, clientVersion: string): string =>
  `${url}${url.includes("?") ? "&" : "?"}client_version=${clientVersion}`

const list = (
  clientVersion: string,
  options: ListOptions | undefined
): Effect.Effect<ModelsList, ApiError.ApiError, HttpTransport | AuthProvider | Provider.CurrentProvider> =>
  execute({
    method: "GET",
    path,
    extraHeaders: options?.extraHeaders,
    configure: (request) => ({ ...request, url: appendClientVersion(request.url, clientVersion) })
  }).pipe(
    Effect.flatMap((response) =>
      Effect.map(
        decodeResponse(ModelsResponse, "models", response.body, { onExcessProperty: "preserve" }),
        (decoded) => ({
          models: decoded.models,
          etag: response.headers.etag
        })
      )
    ),
    Effect.withSpan("models.list")
  )

/**
 * Builds the client from the transport, auth and provider in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, HttpTransport | AuthProvider | Provider.CurrentProvider> = Effect.map(
  Effect.context<HttpTransport | AuthProvider | Provider.CurrentProvider>(),
  (context) =>
    ModelsClient.of({
      list: (clientVersion, options) => Effect.provide(list(clientVersion, options), context)
    })
)

/**
 * A layer providing the {@link ModelsClient}, from the transport, auth and provider.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ModelsClient, never, HttpTransport | AuthProvider | Provider.CurrentProvider> =
  Layer.effect(ModelsClient, make)
