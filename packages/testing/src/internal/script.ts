/**
 * Shared by the socket server and the in-memory transport: route normalization, the scripted queue,
 * and rendering a scripted response into status, headers and body chunks.
 * @internal
 */
import type { Defaults, Script, Scripted } from "../Fixture.js"
import { encodeEvent } from "./sse.js"

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** `/v1/responses?x=1` → `/responses`: routes are relative to the base URL, query ignored. @internal */
export const routeOf = (pathWithQuery: string): string => {
  const q = pathWithQuery.indexOf("?")
  let path = q === -1 ? pathWithQuery : pathWithQuery.slice(0, q)
  if (path.startsWith("/v1/") || path === "/v1") path = path.slice(3)
  if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1)
  return path === "" ? "/" : path
}

/** @internal */
export interface Rendered {
  readonly status: number
  readonly headers: Record<string, string>
  readonly chunks: ReadonlyArray<Uint8Array>
  readonly headersDelayMs: number
  readonly chunkDelayMs: number
  /** Total body bytes to send before dropping / stalling; undefined = all. */
  readonly cutAfter: number | undefined
  readonly ending: "end" | "drop" | "stall"
}

const splitBytes = (bytes: Uint8Array, size: number): Array<Uint8Array> => {
  const out: Array<Uint8Array> = []
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, Math.min(bytes.length, i + size)))
  return out
}

const concat = (parts: ReadonlyArray<Uint8Array>): Uint8Array => {
  let total = 0
  for (const p of parts) total += p.length
  const out = new Uint8Array(total)
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

/** @internal */
export const render = (scripted: Scripted, requestId: string): Rendered => {
  const headers: Record<string, string> = {}
  let parts: Array<Uint8Array> = []
  if (scripted.events !== undefined) {
    headers["content-type"] = "text/event-stream"
    parts = scripted.events.map((event) => encoder.encode(encodeEvent(event)))
  } else if (scripted.sse !== undefined) {
    headers["content-type"] = "text/event-stream"
    parts = [encoder.encode(scripted.sse)]
  } else if (scripted.json !== undefined) {
    headers["content-type"] = "application/json"
    parts = [encoder.encode(JSON.stringify(scripted.json))]
  } else if (scripted.body !== undefined) {
    headers["content-type"] = "text/plain; charset=utf-8"
    parts = [typeof scripted.body === "string" ? encoder.encode(scripted.body) : scripted.body]
  }
  headers["x-request-id"] = requestId
  if (scripted.retryAfter !== undefined) headers["retry-after"] = String(scripted.retryAfter)
  for (const [name, value] of Object.entries(scripted.headers ?? {})) headers[name.toLowerCase()] = value
  const chunkSize = scripted.chunkSize
  const chunks =
    chunkSize !== undefined && chunkSize > 0 ? splitBytes(concat(parts), chunkSize) : parts.filter((p) => p.length > 0)
  const ending = scripted.dropAfterBytes !== undefined ? "drop" : scripted.stall === true ? "stall" : "end"
  const cutAfter =
    ending === "drop" ? scripted.dropAfterBytes : ending === "stall" ? scripted.stallAfterBytes : undefined
  return {
    status: scripted.status ?? 200,
    headers,
    chunks: cutAfter === undefined ? chunks : truncate(chunks, cutAfter),
    headersDelayMs: scripted.headersDelayMs ?? 0,
    chunkDelayMs: scripted.chunkDelayMs ?? 0,
    cutAfter,
    ending
  }
}

const truncate = (chunks: ReadonlyArray<Uint8Array>, limit: number): Array<Uint8Array> => {
  const out: Array<Uint8Array> = []
  let left = limit
  for (const chunk of chunks) {
    if (left <= 0) break
    out.push(chunk.length <= left ? chunk : chunk.subarray(0, left))
    left -= chunk.length
  }
  return out
}

/** @internal */
export const notFound = (method: string, route: string): Scripted => ({
  status: 404,
  json: { error: { message: `no scripted response for ${method} ${route}`, type: "not_found" } }
})

/** A mutable per-route queue with fallbacks. @internal */
export class Queue {
  private readonly queues = new Map<string, Array<Scripted>>()
  private readonly defaults: Map<string, Scripted>
  private counter = 0
  constructor(script: Script | undefined, defaults: Defaults | undefined) {
    for (const [route, list] of Object.entries(script ?? {})) this.queues.set(routeOf(route), [...list])
    this.defaults = new Map(Object.entries(defaults ?? {}).map(([route, s]) => [routeOf(route), s]))
  }
  enqueue(route: string, responses: ReadonlyArray<Scripted>): void {
    const key = routeOf(route)
    const list = this.queues.get(key)
    if (list === undefined) this.queues.set(key, [...responses])
    else list.push(...responses)
  }
  next(method: string, route: string): Scripted {
    const list = this.queues.get(route)
    const head = list?.shift()
    if (head !== undefined) return head
    return this.defaults.get(route) ?? notFound(method, route)
  }
  nextRequestId(): string {
    this.counter += 1
    return `req_test_${this.counter}`
  }
}

/** @internal */
export const decodeText = (bytes: Uint8Array): string => decoder.decode(bytes)

/** @internal */
export const parseJson = (text: string): unknown => {
  if (text.length === 0) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** @internal */
export const concatBytes = concat
