/**
 * `HttpTransport` on top of `@effect/platform`'s `HttpClient`.
 * @internal
 */
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type * as HttpTransport from "../HttpTransport.js"
import * as TransportError from "../TransportError.js"
import { describe, findTransportError, fromCause, makeWith, type Outgoing } from "./transport.js"
import { redactUrl, scrubCause } from "./url.js"

const fromClientError = (error: HttpClientError.HttpClientError): TransportError.TransportError =>
  error._tag === "RequestError" && error.reason === "InvalidUrl" && findTransportError(error.cause) === undefined
    ? new TransportError.Build({
        reason: `invalid URL: ${redactUrl(describe(error.cause))}`,
        cause: scrubCause(error.cause)
      })
    : fromCause(error.cause, error.message)

const toClientRequest = (outgoing: Outgoing): HttpClientRequest.HttpClientRequest => {
  const out = HttpClientRequest.make(outgoing.method as HttpClientRequest.HttpClientRequest["method"])(outgoing.url)
  const body = outgoing.body
  const withBody =
    body === undefined
      ? out
      : body._tag === "Bytes"
        ? HttpClientRequest.setBody(out, HttpBody.raw(body.bytes, { contentLength: body.bytes.byteLength }))
        : HttpClientRequest.setBody(
            out,
            HttpBody.stream(body.stream, outgoing.headers["content-type"] ?? "", body.contentLength)
          )
  // The outgoing headers are final (`setBody` added at most the same `content-length`).
  return HttpClientRequest.setHeaders(withBody, outgoing.headers)
}

/** @internal */
export const make = (httpClient: HttpClient.HttpClient): HttpTransport.Service => {
  // The transport opens its own span (and injects `traceparent`), so the platform's is turned off.
  const client = HttpClient.withScope(HttpClient.withTracerDisabledWhen(httpClient, () => true))
  return makeWith((outgoing) =>
    Effect.mapBoth(client.execute(toClientRequest(outgoing)), {
      onFailure: fromClientError,
      onSuccess: (response) => ({
        status: response.status,
        headers: response.headers,
        stream: Stream.mapError(response.stream, fromClientError),
        bytes: Effect.mapBoth(response.arrayBuffer, {
          onFailure: fromClientError,
          onSuccess: (buffer) => new Uint8Array(buffer)
        })
      })
    })
  )
}
