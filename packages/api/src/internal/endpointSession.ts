/**
 * The request pipeline shared by every HTTP endpoint. For each attempt, rebuilt from
 * scratch: provider URL + provider headers → caller extra headers (replace by name) → JSON body →
 * endpoint `configure` step → the wildcard `accept` unless one is set → `auth.applyAuth` → transport.
 * Retried with `Effect.retry` under the `RetrySchedule` service, by default the provider's retry
 * config (`Provider.toRetrySchedule`);
 * `RequestTelemetry` is told about every attempt; spans `endpoint_session.execute_with` /
 * `endpoint_session.stream_with`. Transport failures surface as `ApiError.Transport`.
 * @internal
 */
import { HttpTransport, type Response, type StreamResponse } from "@codex/client/HttpTransport"
import * as Request from "@codex/client/Request"
import * as RequestTelemetry from "@codex/client/RequestTelemetry"
import * as RetrySchedule from "@codex/client/RetrySchedule"
import * as TransportError from "@codex/client/TransportError"
import type * as Headers from "@effect/platform/Headers"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as ApiError from "../ApiError.js"
import { type AuthError, AuthProvider } from "../Auth.js"
import * as Provider from "../Provider.js"
import { mergeReplace, withDefaultAccept } from "./headers.js"

/** @internal */
export interface EndpointRequest {
  readonly method: Request.Method
  /** Path relative to the provider base URL, e.g. `responses`. */
  readonly path: string
  readonly extraHeaders?: Headers.Input | undefined
  readonly body?: unknown
  /** Endpoint-specific last step before auth (Accept header, compression, timeout, URL rewrite...). */
  readonly configure?: ((request: Request.Request) => Request.Request) | undefined
}

/**
 * Steps 1–4 of the pipeline: everything except auth. Pure, so every attempt starts from the same
 * request.
 * @internal
 */
export const buildRequest = (provider: Provider.Provider, request: EndpointRequest): Request.Request => {
  let out: Request.Request = {
    ...Request.make(request.method, Provider.urlForPath(provider, request.path)),
    headers: mergeReplace(provider.headers, request.extraHeaders)
  }
  if (request.body !== undefined) out = Request.withJson(out, request.body)
  if (request.configure !== undefined) out = request.configure(out)
  out = { ...out, headers: withDefaultAccept(out.headers) }
  // Time to headers: the provider's (default: its idle timeout), unless the endpoint set a
  // whole-request timeout, which bounds the headers already.
  return out.timeout === undefined && out.headersTimeout === undefined
    ? Request.withHeadersTimeout(out, provider.headersTimeout ?? provider.streamIdleTimeout)
    : out
}

/**
 * The names of the headers auth added or changed: credentials to drop on a cross-origin redirect.
 * @internal
 */
export const withAuthHeadersMarked = (before: Request.Request, after: Request.Request): Request.Request => {
  const names = Object.keys(after.headers).filter((name) => before.headers[name] !== after.headers[name])
  return names.length === 0 ? after : { ...after, credentialHeaders: [...(after.credentialHeaders ?? []), ...names] }
}

/**
 * Auth failures become transport errors: a build error is a configuration problem (never retried),
 * a transient one behaves like a network failure (retried when transport retries are on).
 * @internal
 */
export const authErrorToTransport = (error: AuthError): TransportError.TransportError =>
  error._tag === "AuthBuildError"
    ? new TransportError.Build({ reason: error.reason, cause: error })
    : new TransportError.Network({ reason: error.reason, cause: error })

const run = <A, R>(
  spanName: string,
  request: EndpointRequest,
  send: (
    transport: HttpTransport["Type"],
    request: Request.Request
  ) => Effect.Effect<A, TransportError.TransportError, R>
): Effect.Effect<A, ApiError.ApiError, HttpTransport | AuthProvider | Provider.CurrentProvider | R> =>
  Effect.gen(function* () {
    const provider = yield* Provider.CurrentProvider
    const auth = yield* AuthProvider
    const transport = yield* HttpTransport
    const schedule = yield* RetrySchedule.getOrElse(() => Provider.toRetrySchedule(provider.retry))
    // Telemetry covers the whole attempt (auth included), so a transient auth failure is reported too.
    return yield* RetrySchedule.retry(schedule, (attempt) =>
      RequestTelemetry.track(
        attempt,
        Effect.suspend(() => {
          const built = buildRequest(provider, request)
          return auth.applyAuth(built).pipe(
            Effect.mapError(authErrorToTransport),
            Effect.flatMap((authed) => send(transport, withAuthHeadersMarked(built, authed)))
          )
        })
      )
    )
  }).pipe(
    Effect.mapError(ApiError.fromTransport),
    Effect.withSpan(spanName, {
      kind: "client",
      attributes: { "http.method": request.method, "api.path": request.path }
    })
  )

/** @internal */
export const execute = (
  request: EndpointRequest
): Effect.Effect<Response, ApiError.ApiError, HttpTransport | AuthProvider | Provider.CurrentProvider> =>
  run("endpoint_session.execute_with", request, (transport, req) => transport.execute(req))

/** @internal */
export const stream = (
  request: EndpointRequest
): Effect.Effect<
  StreamResponse,
  ApiError.ApiError,
  HttpTransport | AuthProvider | Provider.CurrentProvider | Scope.Scope
> => run("endpoint_session.stream_with", request, (transport, req) => transport.stream(req))
