/**
 * The Node `HttpTransport` with the Codex CLI's environment behaviour: a custom CA bundle from
 * `CODEX_CA_CERTIFICATE` / `SSL_CERT_FILE` and outbound proxies from `HTTPS_PROXY` / `HTTP_PROXY`
 * / `NO_PROXY`. A bad bundle fails layer construction with a typed `CustomCaError`.
 *
 * @since 0.1.0
 */
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import type * as Undici from "undici"
import * as CustomCa from "./CustomCa.js"
import * as HttpTransport from "./HttpTransport.js"
import { redactUrl, scrubCause } from "./internal/url.js"
import * as OutboundProxy from "./Proxy.js"

/**
 * Options for the Node transport: extra trusted certificates and an outbound proxy.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Extra trusted certificates (system roots stay trusted). Default: none. */
  readonly ca?: CustomCa.CaBundle | undefined
  /** Proxy settings. Default: direct connections. */
  readonly proxy?: OutboundProxy.ProxyConfig | undefined
}

/**
 * A scoped undici dispatcher for the options, destroyed when the scope closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeDispatcher = (
  options: Options = {}
): Effect.Effect<Undici.Dispatcher, CustomCa.CustomCaError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.try({
      try: () =>
        OutboundProxy.makeDispatcher({
          proxy: options.proxy,
          ca: options.ca === undefined ? undefined : CustomCa.caCertificates(options.ca)
        }),
      catch: (unsafeCause) => {
        // A proxy URL that does not parse is quoted by the error (message and `input`): its
        // credentials are redacted before the error is kept.
        const cause = scrubCause(unsafeCause)
        const detail = redactUrl(cause instanceof Error ? cause.message : String(cause))
        return options.ca === undefined
          ? new CustomCa.CustomCaError({ reason: "BuildClientWithSystemRoots", detail, cause })
          : new CustomCa.CustomCaError({
              reason: "BuildClientWithCustomCa",
              path: options.ca.path,
              envVar: options.ca.envVar,
              detail,
              cause
            })
      }
    }),
    (dispatcher) => Effect.promise(() => dispatcher.destroy())
  )

/**
 * The transport with explicit options.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<HttpTransport.HttpTransport, CustomCa.CustomCaError> =>
  Layer.unwrapScoped(Effect.map(makeDispatcher(options), HttpTransport.layerNodeWithDispatcher))

/**
 * The transport configured from the environment through `Config` (so the default
 * `ConfigProvider` reads `process.env`): `CODEX_CA_CERTIFICATE` (wins) / `SSL_CERT_FILE`, and
 * `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` (uppercase wins over lowercase; empty = unset).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<HttpTransport.HttpTransport, CustomCa.CustomCaError | ConfigError.ConfigError> =
  Layer.unwrapScoped(
    Effect.gen(function* () {
      const ca = yield* CustomCa.loadFromConfig
      const proxy = yield* OutboundProxy.config
      const dispatcher = yield* makeDispatcher({ ca: Option.getOrUndefined(ca), proxy })
      return HttpTransport.layerNodeWithDispatcher(dispatcher)
    })
  )
