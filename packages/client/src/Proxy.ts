/**
 * Outbound proxies for Node from `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` (and their lowercase
 * forms), as an undici dispatcher that also carries the custom CA for proxy and origin TLS.
 *
 * @since 0.1.0
 */
import * as NodeTls from "node:tls"
import * as Config from "effect/Config"
import * as Option from "effect/Option"
import * as Undici from "undici"

/**
 * Proxy settings. `noProxy` is a comma/space separated list of hosts (`*` = everything, a leading
 * `.` or bare domain also matches subdomains, `host:port` matches one port).
 *
 * @since 0.1.0
 * @category models
 */
export interface ProxyConfig {
  readonly httpProxy?: string | undefined
  readonly httpsProxy?: string | undefined
  readonly noProxy?: string | undefined
}

const firstNonEmpty = (...values: ReadonlyArray<string | undefined>): string | undefined =>
  values.find((value) => value !== undefined && value !== "")

/**
 * Reads the proxy variables. As in the Codex CLI, the uppercase name wins
 * over the lowercase one; empty values count as unset. `HTTPS_PROXY` applies to `https:` origins,
 * `HTTP_PROXY` to `http:` origins (and to `https:` ones when `HTTPS_PROXY` is unset).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromEnv = (env: Readonly<Record<string, string | undefined>>): ProxyConfig => ({
  httpProxy: firstNonEmpty(env.HTTP_PROXY, env.http_proxy),
  httpsProxy: firstNonEmpty(env.HTTPS_PROXY, env.https_proxy),
  noProxy: firstNonEmpty(env.NO_PROXY, env.no_proxy)
})

const names = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"] as const

/**
 * {@link fromEnv} read through `Config`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const config: Config.Config<ProxyConfig> = Config.all(
  Object.fromEntries(names.map((name) => [name, Config.option(Config.string(name))])) as Record<
    (typeof names)[number],
    Config.Config<Option.Option<string>>
  >
).pipe(
  Config.map((values) =>
    fromEnv(Object.fromEntries(Object.entries(values).map(([name, value]) => [name, Option.getOrUndefined(value)])))
  )
)

/**
 * Whether any proxy is configured.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isConfigured = (proxy: ProxyConfig): boolean =>
  proxy.httpProxy !== undefined || proxy.httpsProxy !== undefined

/**
 * Options for an undici dispatcher: the proxy settings and the trusted certificates.
 *
 * @since 0.1.0
 * @category models
 */
export interface DispatcherOptions {
  /** Proxy settings; without a proxy the dispatcher connects directly. */
  readonly proxy?: ProxyConfig | undefined
  /** Full trust list (see `CustomCa.caCertificates`); absent = Node's defaults. */
  readonly ca?: ReadonlyArray<string> | undefined
}

/**
 * Routes `https:` origins to a direct agent and everything else to the proxy agent: the Codex CLI
 * applies `HTTP_PROXY` to `http:` URLs only, while undici's `EnvHttpProxyAgent` would also send
 * `https:` traffic through it when `HTTPS_PROXY` is unset.
 */
class HttpOnlyProxy extends Undici.Dispatcher {
  constructor(
    private readonly proxied: Undici.Dispatcher,
    private readonly direct: Undici.Dispatcher
  ) {
    super()
  }
  override dispatch(options: Undici.Dispatcher.DispatchOptions, handler: Undici.Dispatcher.DispatchHandler): boolean {
    const https = String(options.origin ?? "").startsWith("https:")
    return (https ? this.direct : this.proxied).dispatch(options, handler)
  }
  override close(): Promise<void>
  override close(callback: () => void): void
  override close(callback?: () => void): Promise<void> | void {
    const done = Promise.all([this.proxied.close(), this.direct.close()]).then(() => undefined)
    if (callback === undefined) return done
    done.then(callback, callback)
  }
  override destroy(): Promise<void>
  override destroy(err: Error | null): Promise<void>
  override destroy(callback: () => void): void
  override destroy(err: Error | null, callback: () => void): void
  override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
    const err = typeof a === "function" ? null : (a ?? null)
    const callback = typeof a === "function" ? a : b
    const done = Promise.all([this.proxied.destroy(err), this.direct.destroy(err)]).then(() => undefined)
    if (callback === undefined) return done
    done.then(callback, callback)
  }
}

/**
 * An undici dispatcher for the options: a plain `Agent` without a proxy, otherwise undici's
 * `EnvHttpProxyAgent` configured explicitly (it never reads `process.env` itself, so the values
 * given here are the only ones used; it also implements the `NO_PROXY` matching). `https:`
 * origins use `httpsProxy` only, `http:` origins `httpProxy` only, as in the Codex CLI. The CA
 * applies to direct connections, to TLS to an `https:` proxy and to the origin TLS inside a
 * CONNECT tunnel. Closing it is the caller's job.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeDispatcher = (options: DispatcherOptions = {}): Undici.Dispatcher => {
  // One SecureContext for every connection: passing `ca` instead makes Node parse the whole trust
  // list (~140 roots, ~70 ms) on each new TLS connection.
  const tls = options.ca === undefined ? {} : { secureContext: NodeTls.createSecureContext({ ca: [...options.ca] }) }
  const proxy = options.proxy
  if (proxy === undefined || !isConfigured(proxy)) {
    return new Undici.Agent({ connect: tls })
  }
  const agent = new Undici.EnvHttpProxyAgent({
    // "" (not undefined) keeps undici from falling back to process.env.
    httpProxy: proxy.httpProxy ?? "",
    httpsProxy: proxy.httpsProxy ?? "",
    noProxy: proxy.noProxy ?? "",
    connect: tls,
    requestTls: tls,
    proxyTls: tls
  })
  return proxy.httpsProxy === undefined ? new HttpOnlyProxy(agent, new Undici.Agent({ connect: tls })) : agent
}
