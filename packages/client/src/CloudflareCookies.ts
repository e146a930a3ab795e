/**
 * The ChatGPT Cloudflare cookie jar, as the Codex CLI keeps it. Cloudflare in front of ChatGPT hands out bot-management cookies (`__cf_bm`, `_cfuvid`,
 * `cf_clearance`, ...) and expects them back; without them requests get challenged. The jar keeps
 * only those cookies, and only for `https` URLs on a ChatGPT host (see {@link ChatgptHosts}):
 * every other cookie — sessions, auth, anything for another host — is dropped when stored and
 * never sent.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { isAllowedChatgptHost } from "./ChatgptHosts.js"
import { HttpTransport, type Service as TransportService } from "./HttpTransport.js"
import * as Request from "./Request.js"
import type * as TransportError from "./TransportError.js"

// ---------------------------------------------------------------------------------------------
// policy
// ---------------------------------------------------------------------------------------------

const cloudflareCookieNames: ReadonlySet<string> = new Set([
  "__cf_bm",
  "__cflb",
  "__cfruid",
  "__cfseq",
  "__cfwaitingroom",
  "_cfuvid",
  "cf_clearance",
  "cf_ob_info",
  "cf_use_ob"
])

/**
 * Whether a cookie name is one of Cloudflare's (`__cf_bm`, `__cflb`, `__cfruid`, `__cfseq`,
 * `__cfwaitingroom`, `_cfuvid`, `cf_clearance`, `cf_ob_info`, `cf_use_ob`, or `cf_chl_*`).
 * Case-sensitive, as cookie names are.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isAllowedCookieName = (name: string): boolean =>
  cloudflareCookieNames.has(name) || name.startsWith("cf_chl_")

/**
 * Whether cookies may be stored for / sent to `url`: an `https` URL whose host is a ChatGPT host.
 * Plain `http` (cookies would travel in clear text) and `wss` are rejected, as are unparsable URLs.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isAllowedCookieUrl = (url: string): boolean => parseAllowedUrl(url) !== undefined

const parseAllowedUrl = (url: string): URL | undefined => {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  return parsed.protocol === "https:" && isAllowedChatgptHost(parsed.hostname) ? parsed : undefined
}

// ---------------------------------------------------------------------------------------------
// Set-Cookie parsing (RFC 6265 section 5.2, the attributes a jar needs)
// ---------------------------------------------------------------------------------------------

interface ParsedCookie {
  readonly name: string
  readonly value: string
  readonly domain: string | undefined
  readonly path: string | undefined
  /** Max-Age in seconds (takes precedence over `expires`). */
  readonly maxAge: number | undefined
  /** Expires as epoch milliseconds. */
  readonly expires: number | undefined
}

const parseSetCookie = (header: string): ParsedCookie | undefined => {
  const parts = header.split(";")
  const pair = parts[0] ?? ""
  const eq = pair.indexOf("=")
  if (eq <= 0) return undefined
  const name = pair.slice(0, eq).trim()
  if (name === "") return undefined
  const value = pair.slice(eq + 1).trim()
  let domain: string | undefined
  let path: string | undefined
  let maxAge: number | undefined
  let expires: number | undefined
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i] ?? ""
    const at = part.indexOf("=")
    const key = (at === -1 ? part : part.slice(0, at)).trim().toLowerCase()
    const attr = at === -1 ? "" : part.slice(at + 1).trim()
    switch (key) {
      case "domain": {
        const d = attr.replace(/^\./, "").toLowerCase()
        if (d !== "") domain = d
        break
      }
      case "path": {
        if (attr.startsWith("/")) path = attr
        break
      }
      case "max-age": {
        if (/^-?\d+$/.test(attr)) maxAge = Number.parseInt(attr, 10)
        break
      }
      case "expires": {
        const t = Date.parse(attr)
        if (!Number.isNaN(t)) expires = t
        break
      }
    }
  }
  return { name, value, domain, path, maxAge, expires }
}

// A comma starts a new cookie only when a `name=` follows; the comma inside
// `Expires=Wed, 21 Oct 2026 ...` is followed by ` 21 ` and is not a separator.
const nextCookiePair = /\s*[^\s=;,]+=/y

/**
 * Splits a Set-Cookie value that may hold several cookies joined with `, ` (how Node's HTTP clients
 * fold repeated `set-cookie` headers into one `Headers` entry).
 */
const splitSetCookie = (value: string): Array<string> => {
  const out: Array<string> = []
  let start = 0
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) !== 44) continue
    nextCookiePair.lastIndex = i + 1
    if (nextCookiePair.test(value)) {
      out.push(value.slice(start, i))
      start = i + 1
    }
  }
  out.push(value.slice(start))
  return out.map((s) => s.trim()).filter((s) => s !== "")
}

/** RFC 6265 5.1.4 default-path: the request path up to (not including) its last `/`. */
const defaultPath = (pathname: string): string => {
  if (!pathname.startsWith("/")) return "/"
  const last = pathname.lastIndexOf("/")
  return last <= 0 ? "/" : pathname.slice(0, last)
}

const domainMatches = (host: string, domain: string): boolean => host === domain || host.endsWith(`.${domain}`)

const pathMatches = (requestPath: string, cookiePath: string): boolean =>
  requestPath === cookiePath ||
  (requestPath.startsWith(cookiePath) && (cookiePath.endsWith("/") || requestPath.charAt(cookiePath.length) === "/"))

// ---------------------------------------------------------------------------------------------
// jar
// ---------------------------------------------------------------------------------------------

/**
 * The cookie jar: stores the Cloudflare cookies of a response and returns the `Cookie` header for a
 * request.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * Stores the Cloudflare cookies of a response from `url`. Each entry is one `Set-Cookie` header
   * value (several cookies joined with `, ` are split). Nothing is stored for a URL that fails
   * {@link isAllowedCookieUrl}, for a cookie name that fails {@link isAllowedCookieName}, or for a
   * `Domain` that the URL's host is not within or that is not itself a ChatGPT host. `Max-Age <= 0`
   * or a past `Expires` removes the cookie.
   */
  readonly storeFromResponse: (url: string, setCookieHeaderValues: ReadonlyArray<string>) => void
  /**
   * The `Cookie` header value for a request to `url` (`name=value; ...`, longest path first), or
   * `undefined` when no stored cookie applies or the URL fails {@link isAllowedCookieUrl}.
   */
  readonly cookieHeaderFor: (url: string) => string | undefined
}

/**
 * Options for the cookie jar: the clock used for cookie expiry (default `Date.now`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Clock in epoch milliseconds, for cookie expiry. Default `Date.now`. */
  readonly now?: (() => number) | undefined
  /** Most cookies kept; storing more evicts the oldest. Default 64. */
  readonly maxCookies?: number | undefined
}

interface StoredCookie {
  readonly name: string
  readonly value: string
  readonly domain: string
  /** Without a `Domain` attribute the cookie goes back to exactly the host that set it. */
  readonly hostOnly: boolean
  readonly path: string
  readonly expiresAt: number | undefined
  readonly createdAt: number
  /** Insertion order, breaks `createdAt` ties. */
  readonly seq: number
}

/**
 * A new, empty jar.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options?: Options): Service => {
  const now = options?.now ?? Date.now
  const maxCookies = options?.maxCookies ?? 64
  const cookies = new Map<string, StoredCookie>()
  let seq = 0

  const removeExpired = (at: number): void => {
    for (const [key, cookie] of cookies) {
      if (cookie.expiresAt !== undefined && cookie.expiresAt <= at) cookies.delete(key)
    }
  }

  const evictOldest = (): void => {
    let oldestKey: string | undefined
    let oldest: StoredCookie | undefined
    for (const [key, cookie] of cookies) {
      if (oldest === undefined || cookie.seq < oldest.seq) {
        oldest = cookie
        oldestKey = key
      }
    }
    if (oldestKey !== undefined) cookies.delete(oldestKey)
  }

  const storeOne = (url: URL, header: string, at: number): void => {
    const parsed = parseSetCookie(header)
    if (parsed === undefined || !isAllowedCookieName(parsed.name)) return
    const host = url.hostname.toLowerCase()
    let domain = host
    let hostOnly = true
    if (parsed.domain !== undefined) {
      // A Domain the host is not within, or a parent beyond the ChatGPT hosts (`openai.com`, `com`),
      // would share the cookie with hosts that must not get it.
      if (!domainMatches(host, parsed.domain) || !isAllowedChatgptHost(parsed.domain)) return
      domain = parsed.domain
      hostOnly = false
    }
    const path = parsed.path ?? defaultPath(url.pathname)
    const expiresAt =
      parsed.maxAge !== undefined
        ? at + parsed.maxAge * 1000
        : parsed.expires !== undefined
          ? parsed.expires
          : undefined
    const key = `${parsed.name};${domain};${path}`
    if (expiresAt !== undefined && expiresAt <= at) {
      cookies.delete(key)
      return
    }
    const previous = cookies.get(key)
    cookies.set(key, {
      name: parsed.name,
      value: parsed.value,
      domain,
      hostOnly,
      path,
      expiresAt,
      createdAt: previous?.createdAt ?? at,
      seq: previous?.seq ?? seq++
    })
    while (cookies.size > maxCookies) evictOldest()
  }

  const storeFromResponse = (url: string, setCookieHeaderValues: ReadonlyArray<string>): void => {
    const parsed = parseAllowedUrl(url)
    if (parsed === undefined) return
    const at = now()
    for (const value of setCookieHeaderValues) {
      for (const header of splitSetCookie(value)) storeOne(parsed, header, at)
    }
  }

  const cookieHeaderFor = (url: string): string | undefined => {
    const parsed = parseAllowedUrl(url)
    if (parsed === undefined || cookies.size === 0) return undefined
    removeExpired(now())
    const host = parsed.hostname.toLowerCase()
    const path = parsed.pathname === "" ? "/" : parsed.pathname
    const matching: Array<StoredCookie> = []
    for (const cookie of cookies.values()) {
      const hostOk = cookie.hostOnly ? host === cookie.domain : domainMatches(host, cookie.domain)
      if (hostOk && pathMatches(path, cookie.path) && isAllowedCookieName(cookie.name)) matching.push(cookie)
    }
    if (matching.length === 0) return undefined
    // RFC 6265 5.4: longer paths first, then earlier creation.
    matching.sort((a, b) => b.path.length - a.path.length || a.createdAt - b.createdAt || a.seq - b.seq)
    return matching.map((c) => `${c.name}=${c.value}`).join("; ")
  }

  return { storeFromResponse, cookieHeaderFor }
}

/**
 * The process-global jar shared by every transport decorated without its own jar, as the Codex CLI
 * shares one store between all clients built with it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const globalJar: Service = make()

/**
 * The jar used by {@link withCloudflareCookies}. A `Context.Reference`: without a layer it is the
 * process-global {@link globalJar}.
 *
 * @since 0.1.0
 * @category tags
 */
export class CloudflareCookieJar extends Context.Reference<CloudflareCookieJar>()("@codex/client/CloudflareCookieJar", {
  defaultValue: (): Service => globalJar
}) {}

/**
 * A jar of its own (fresh per layer build) instead of the process-global one, e.g. per account or per test.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<CloudflareCookieJar> =>
  Layer.sync(CloudflareCookieJar, () => make(options))

// ---------------------------------------------------------------------------------------------
// transport decorator
// ---------------------------------------------------------------------------------------------

const addCookies = (jar: Service, request: Request.Request): Request.Request => {
  // As in the Codex CLI: a Cookie header set by the caller is left alone.
  if (request.headers.cookie !== undefined) return request
  const header = jar.cookieHeaderFor(request.url)
  return header === undefined ? request : Request.setHeader(request, "cookie", header)
}

const storeFrom = (jar: Service, url: string, headers: Readonly<Record<string, string>> | undefined): void => {
  const setCookie = headers?.["set-cookie"]
  if (setCookie !== undefined) jar.storeFromResponse(url, [setCookie])
}

const storeFromError = (jar: Service, url: string, error: TransportError.TransportError): void => {
  // Challenges (403/429/503) carry the cookies that let the next attempt through.
  if (error._tag === "Http") storeFrom(jar, error.url ?? url, error.headers)
}

/**
 * Decorates a transport with the Cloudflare cookie jar: adds a `Cookie` header (when the request
 * has none) and stores `Set-Cookie` from responses, including the headers of `Http` errors. Uses
 * `jar`, or else the {@link CloudflareCookieJar} in context (the process-global jar by default).
 *
 * @since 0.1.0
 * @category combinators
 */
export const withCloudflareCookies = (transport: TransportService, jar?: Service): TransportService => {
  const currentJar: Effect.Effect<Service> = jar === undefined ? CloudflareCookieJar : Effect.succeed(jar)
  return {
    execute: (request) =>
      Effect.flatMap(currentJar, (jar) =>
        transport.execute(addCookies(jar, request)).pipe(
          Effect.tap((response) => Effect.sync(() => storeFrom(jar, request.url, response.headers))),
          Effect.tapError((error) => Effect.sync(() => storeFromError(jar, request.url, error)))
        )
      ),
    stream: (request) =>
      Effect.flatMap(currentJar, (jar) =>
        transport.stream(addCookies(jar, request)).pipe(
          Effect.tap((response) => Effect.sync(() => storeFrom(jar, request.url, response.headers))),
          Effect.tapError((error) => Effect.sync(() => storeFromError(jar, request.url, error)))
        )
      )
  }
}

/**
 * Decorates the `HttpTransport` in context with {@link withCloudflareCookies} (jar from context).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerTransport: Layer.Layer<HttpTransport, never, HttpTransport> = Layer.effect(
  HttpTransport,
  Effect.map(HttpTransport, (transport) => withCloudflareCookies(transport))
)
