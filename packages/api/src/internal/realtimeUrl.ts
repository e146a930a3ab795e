/**
 * Realtime WebSocket URL construction: path normalization to `/v1/realtime`, scheme
 * mapping to `ws`/`wss`, and the `intent` / `model` / provider query rules.
 * @internal
 */
import { redactUrl } from "@codex/client/Request"
import type { EventParser } from "../RealtimeEvent.js"

/**
 * The base URL has a scheme other than http(s)/ws(s), or does not parse.
 * @internal
 */
export class RealtimeUrlError {
  readonly _tag = "RealtimeUrlError"
  constructor(readonly reason: string) {}
}

const normalizePath = (path: string): string => {
  if (path === "" || path === "/") return "/v1/realtime"
  if (path.endsWith("/realtime")) return path
  if (path.endsWith("/realtime/")) return path.slice(0, -1)
  if (path.endsWith("/v1")) return `${path}/realtime`
  if (path.endsWith("/v1/")) return `${path}realtime`
  return path
}

const schemes: Record<string, string> = { "http:": "ws:", "https:": "wss:", "ws:": "ws:", "wss:": "wss:" }

/** application/x-www-form-urlencoded, as the Codex CLI's `query_pairs_mut().append_pair`. */
const encodePair = (key: string, value: string): string => new URLSearchParams([[key, value]]).toString()

/**
 * Builds the realtime URL. `callId` (WebRTC sideband join) forces the model away and appends
 * `call_id=<id>` last.
 * @internal
 */
export const realtimeWebsocketUrl = (options: {
  readonly baseUrl: string
  readonly queryParams?: Readonly<Record<string, string>> | undefined
  readonly parser: EventParser
  readonly model?: string | undefined
  readonly callId?: string | undefined
}): string => {
  let url: URL
  try {
    url = new URL(options.baseUrl)
  } catch {
    throw new RealtimeUrlError(`invalid realtime api_url: ${redactUrl(options.baseUrl)}`)
  }
  const scheme = schemes[url.protocol]
  if (scheme === undefined) {
    throw new RealtimeUrlError(`unsupported realtime api_url scheme: ${url.protocol.slice(0, -1)}`)
  }
  // Swap the scheme textually: WHATWG `URL` refuses to change a special scheme to a non-special one.
  const rest = url.href.slice(url.protocol.length)
  const out = new URL(`${scheme}${rest}`)
  out.pathname = normalizePath(out.pathname)

  const model = options.callId === undefined ? options.model : undefined
  const pairs: Array<string> = []
  if (options.parser === "V1") pairs.push(encodePair("intent", "quicksilver"))
  if (model !== undefined) pairs.push(encodePair("model", model))
  const params = options.queryParams
  if (params !== undefined) {
    for (const key of Object.keys(params)) {
      if (key === "intent" || (model !== undefined && key === "model")) continue
      pairs.push(encodePair(key, params[key] ?? ""))
    }
  }
  if (options.callId !== undefined) pairs.push(encodePair("call_id", options.callId))
  if (pairs.length > 0) {
    const existing = out.search.length > 1 ? out.search.slice(1) : ""
    out.search = existing.length > 0 ? `${existing}&${pairs.join("&")}` : pairs.join("&")
  }
  return out.href
}
