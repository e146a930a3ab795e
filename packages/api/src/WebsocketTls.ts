/**
 * TLS trust for the `wss` connections of `ResponsesWebsocket` and `RealtimeWebsocket`: with a
 * custom CA bundle (`CODEX_CA_CERTIFICATE`, which wins, or `SSL_CERT_FILE`) the root store is
 * Node's roots plus the bundle certificates, as for HTTPS in `NodeTransport`; without one the
 * sockets use Node's defaults.
 *
 * @since 0.1.0
 */
import * as CustomCa from "@codex/client/CustomCa"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"

/**
 * TLS settings for a WebSocket connection: extra trusted certificates on top of Node's roots.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Extra trusted certificates (Node's roots stay trusted). `undefined`: Node's defaults. */
  readonly ca: CustomCa.CaBundle | undefined
}

/**
 * The TLS trust used when a WebSocket connects (read at connect time). Default: no bundle.
 *
 * @since 0.1.0
 * @category tags
 */
export class WebsocketTls extends Context.Reference<WebsocketTls>()("@codex/api/WebsocketTls", {
  defaultValue: (): Options => ({ ca: undefined })
}) {}

/**
 * Trust `ca` in addition to Node's roots (`undefined` restores the defaults).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (ca: CustomCa.CaBundle | undefined): Layer.Layer<WebsocketTls> =>
  Layer.succeed(WebsocketTls, { ca })

/**
 * The bundle selected through `Config` (so the default `ConfigProvider` reads `process.env`):
 * `CODEX_CA_CERTIFICATE` wins over `SSL_CERT_FILE`, empty = unset. A bad bundle fails the layer
 * with `CustomCaError`, as `NodeTransport.layerConfig` does.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<WebsocketTls, CustomCa.CustomCaError | ConfigError.ConfigError> = Layer.effect(
  WebsocketTls,
  Effect.map(CustomCa.loadFromConfig, (ca) => ({ ca: Option.getOrUndefined(ca) }))
)
