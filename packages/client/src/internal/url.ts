/**
 * URL and header checks shared by the HTTP transport and the WebSocket clients: which base URLs
 * and header names / values can go on the wire, and how a URL is shown without its credentials.
 * @internal
 */

/** What replaces the userinfo (`user:password`) of a rendered URL. @internal */
export const redactedUserinfo = "<redacted>"

// `scheme://` then an authority (up to the first `/`, `\`, `?`, `#` or whitespace) holding an `@`:
// everything up to the authority's last `@` is userinfo, as the WHATWG parser reads it.
const userinfoPattern = /([a-z][a-z0-9+.-]*:\/\/)[^\s/\\?#]*@/gi

/**
 * `text` with the userinfo of every `scheme://user:password@host` URL in it replaced by
 * `<redacted>`; anything else is returned unchanged (the same string when there was nothing to hide).
 * A lone URL in the slash-less form `http:user:password@host` is redacted too.
 * @internal
 */
export const redactUrl = (text: string): string => {
  const redacted = text.replace(userinfoPattern, `$1${redactedUserinfo}@`)
  if (redacted !== text || !text.includes("@") || !URL.canParse(text)) return redacted
  const url = new URL(text)
  if (url.username === "" && url.password === "") return text
  return `${url.protocol}//${redactedUserinfo}@${url.host}${url.pathname}${url.search}${url.hash}`
}

/** Whether `text` holds a URL with credentials (what {@link redactUrl} would change). @internal */
export const hasUserinfo = (text: string): boolean => redactUrl(text) !== text

/**
 * Why `url` cannot be requested over HTTP, or `undefined` when it can: only `http:` / `https:`
 * URLs with a host and without a `#fragment` (a fragment would otherwise be sent in the request
 * line, or dropped silently with the path after it).
 * @internal
 */
export const httpUrlProblem = (
  url: string,
  schemes: ReadonlyArray<string> = ["http:", "https:"]
): string | undefined => {
  const scheme = /^\s*([a-z][a-z0-9+.-]*:)/i.exec(url)?.[1]?.toLowerCase()
  if (scheme === undefined) return `not an absolute URL: ${JSON.stringify(redactUrl(url))}`
  if (!schemes.includes(scheme)) {
    return `unsupported URL scheme "${scheme}" (expected ${schemes.join(" or ")}): ${JSON.stringify(redactUrl(url))}`
  }
  // `http:///path`, `http:/path` and `http:path` parse with the first path segment as the host
  // (`http://` + `/responses` is such a URL): only `scheme://` with a non-empty authority has a host.
  const authority = /^\s*[a-z][a-z0-9+.-]*:[/\\]{2}([^/\\?#]*)/i.exec(url)?.[1]
  if (authority === undefined || authority.slice(authority.lastIndexOf("@") + 1).length === 0) {
    return `URL has no host: ${JSON.stringify(redactUrl(url))}`
  }
  if (url.includes("#")) return `URL has a fragment (#...), which is never sent: ${JSON.stringify(redactUrl(url))}`
  if (!URL.canParse(url)) return `invalid URL: ${JSON.stringify(redactUrl(url))}`
  if (new URL(url).hostname === "") return `URL has no host: ${JSON.stringify(redactUrl(url))}`
  return undefined
}

// RFC 9110 `token`.
const headerName = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/i
// RFC 9110 field-value characters (as Node's http checks them): tab, visible ASCII, space, obs-text.
const invalidValueChar = /[^\t\x20-\x7e\x80-\xff]/

const describeName = (name: string): string => JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name)

/**
 * Why the header `name: value` cannot be sent, naming the header but never showing its value,
 * or `undefined` when it can.
 * @internal
 */
export const headerProblem = (name: string, value: string): string | undefined => {
  if (!headerName.test(name)) return `invalid header name ${describeName(name)}`
  const bad = invalidValueChar.exec(value)
  if (bad === null) return undefined
  const code = bad[0].charCodeAt(0)
  const what =
    code === 0x0d || code === 0x0a
      ? "a line break (CR or LF)"
      : code === 0
        ? "a NUL character"
        : code > 0xff
          ? "a character outside Latin-1"
          : "a control character"
  return `invalid value for header ${describeName(name)}: it contains ${what}`
}

const hasUserinfoIn = (value: unknown): boolean => typeof value === "string" && hasUserinfo(value)

/**
 * `cause` itself when nothing in it (message, stack, `input` / `url` fields, nested causes) shows
 * a URL with credentials; otherwise an `Error` copy of the chain with those URLs redacted, so the
 * cause of an error can be printed (`util.inspect`, `Cause.pretty`) without leaking a password.
 * @internal
 */
export const scrubCause = (cause: unknown, depth = 0): unknown => {
  if (depth > 4) return undefined
  if (typeof cause === "string") return redactUrl(cause)
  if (!(cause instanceof Error)) return cause
  const record = cause as Error & { input?: unknown; url?: unknown; code?: unknown }
  const inner = record.cause === undefined ? undefined : scrubCause(record.cause, depth + 1)
  const leaks =
    hasUserinfoIn(record.message) ||
    hasUserinfoIn(record.stack) ||
    hasUserinfoIn(record.input) ||
    hasUserinfoIn(record.url) ||
    inner !== record.cause
  if (!leaks) return cause
  const message = redactUrl(record.message)
  const copy: Error & { code?: unknown } =
    inner === undefined ? new Error(message) : new Error(message, { cause: inner })
  copy.name = record.name
  if (record.stack !== undefined) copy.stack = redactUrl(record.stack)
  if (record.code !== undefined) copy.code = record.code
  if (typeof record.input === "string") Object.assign(copy, { input: redactUrl(record.input) })
  return copy
}
