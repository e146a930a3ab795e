/**
 * The request pipeline shared by every HTTP endpoint (spec 2.2). For each attempt, rebuilt from
 * scratch: provider URL + provider headers → caller extra headers (replace by name) → JSON body →
 * endpoint `configure` step → `auth.applyAuth` → transport. Retries per the provider's retry config;
 * `RequestTelemetry` is told about every attempt; spans `endpoint_session.execute_with` /
 * `endpoint_session.stream_with`. Transport failures surface as `ApiError.Transport`.
 * @internal
 */
import type { HttpTransport, Response, StreamResponse } from "@codex/client/HttpTransport"
import type * as Request from "@codex/client/Request"
import type * as Headers from "@effect/platform/Headers"
import type * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type * as ApiError from "../ApiError.js"
import type { AuthProvider } from "../Auth.js"
import type { CurrentProvider } from "../Provider.js"

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

/** @internal */
export declare const execute: (
  request: EndpointRequest
) => Effect.Effect<Response, ApiError.ApiError, HttpTransport | AuthProvider | CurrentProvider>

/** @internal */
export declare const stream: (
  request: EndpointRequest
) => Effect.Effect<StreamResponse, ApiError.ApiError, HttpTransport | AuthProvider | CurrentProvider | Scope.Scope>
