/**
 * `HttpTransport` directly on the global `fetch`, for `HttpTransport.layerFetch`.
 *
 * Written against `fetch` rather than through `@effect/platform`'s `FetchHttpClient` for the size
 * of browser bundles: the platform's `HttpClient` brings `effect/Schema` along (about 21 KB of a
 * minified + gzipped bundle), which made a Responses-streaming program larger than the
 * openai-node equivalent (`tooling/bench/size.mjs`). Everything but the hop itself (limits, error
 * bodies, redirects, spans, trace context) is the shared transport in `transport.ts`.
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import * as Effect from "effect/Effect"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as HttpTransport from "../HttpTransport.js"
import { fromCause, makeWith, type Incoming, type Outgoing } from "./transport.js"

/** A browser page or worker, where a redirect of a "manual" fetch cannot be read. */
const isBrowser: boolean =
  typeof (globalThis as { document?: unknown }).document !== "undefined" ||
  typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== "undefined"

/**
 * The response headers. A fetch `Headers` lists repeated `Set-Cookie` headers one by one (and a
 * record keeps only the last); they are joined with `, ` as undici delivers them on the Node
 * layers (which `CloudflareCookies` splits).
 */
const responseHeaders = (headers: globalThis.Headers): Headers.Headers => {
  const out = Headers.fromInput(headers as unknown as Headers.Input)
  const cookies = headers.getSetCookie()
  return cookies.length < 2 ? out : Headers.set(out, "set-cookie", cookies.join(", "))
}

const toIncoming = (response: globalThis.Response): Incoming => {
  const body = response.body
  return {
    status: response.status,
    headers: responseHeaders(response.headers),
    stream:
      body === null
        ? Stream.empty
        : Stream.fromReadableStream({ evaluate: () => body, onError: (cause) => fromCause(cause) }),
    bytes: Effect.tryPromise({
      try: () => response.arrayBuffer(),
      catch: (cause) => fromCause(cause)
    }).pipe(Effect.map((buffer) => new Uint8Array(buffer)))
  }
}

const send = (outgoing: Outgoing): Effect.Effect<Incoming, ReturnType<typeof fromCause>, Scope.Scope> =>
  Effect.flatMap(Effect.scope, (scope) => {
    // Closing the request's scope (end of the body, failure, interruption) aborts the fetch.
    const controller = new AbortController()
    const request = (body: BodyInit | undefined) =>
      Effect.tryPromise({
        // `fetch` computes the content length itself (and refuses to be told). It is looked up per
        // call. The transport follows redirects itself (dropping every credential header across
        // origins); a browser hides the redirect of a "manual" fetch (an opaque response with status
        // 0), so there fetch keeps following them with its own rules.
        try: () =>
          globalThis.fetch(outgoing.url, {
            method: outgoing.method,
            headers: Headers.remove(outgoing.headers, "content-length"),
            body,
            signal: controller.signal,
            ...(outgoing.body?._tag === "Stream" ? { duplex: "half" } : {}),
            ...(isBrowser ? {} : { redirect: "manual" })
          } as RequestInit),
        catch: (cause) => fromCause(cause)
      })
    const body = outgoing.body
    return Scope.addFinalizer(
      scope,
      Effect.sync(() => controller.abort())
    ).pipe(
      Effect.zipRight(
        body === undefined
          ? request(undefined)
          : body._tag === "Bytes"
            ? request(body.bytes as Uint8Array<ArrayBuffer>)
            : Effect.flatMap(Stream.toReadableStreamEffect(body.stream), request)
      ),
      Effect.map(toIncoming)
    )
  })

/** @internal */
export const make = (): HttpTransport.Service => makeWith(send)
