/**
 * `ApiError` → `AiError`: what the server said (status, `x-request-id`, body, the classified
 * message) stays on the error the `@effect/ai` program sees.
 * @internal
 */
import type * as ApiError from "@codex/api/ApiError"
import * as CodexError from "@codex/api/CodexError"
import { secretHeaderNames } from "@codex/client/TransportError"
import * as AiError from "@effect/ai/AiError"
import type * as Headers from "@effect/platform/Headers"
import * as Option from "effect/Option"

/** @internal */
export const moduleName = "CodexLanguageModel"

/** @internal */
export interface ErrorContext {
  /** `generateText` / `streamText`. */
  readonly method: string
  /** The Responses URL, for errors that do not carry one. */
  readonly url: string
  /** `x-request-id` of the response, once its headers arrived. */
  readonly requestId?: string | undefined
}

const secretNames = new Set(secretHeaderNames)

/** A plain record of the response headers with secret values replaced. */
const displayHeaders = (headers: Headers.Headers | undefined): Record<string, string> => {
  const out: Record<string, string> = {}
  if (headers === undefined) return out
  for (const name of Object.keys(headers)) {
    out[name] = secretNames.has(name.toLowerCase()) ? "<redacted>" : (headers[name] ?? "")
  }
  return out
}

const requestDetails = (url: string): typeof AiError.HttpRequestDetails.Type => ({
  method: "POST",
  url,
  urlParams: [],
  hash: Option.none(),
  // The request headers carry credentials; none are copied onto the error.
  headers: {}
})

const withRequestId = (message: string, requestId: string | undefined): string =>
  requestId === undefined || message.includes(requestId) ? message : `${message} (request id: ${requestId})`

/**
 * Maps an `ApiError` of the Responses client:
 * - an HTTP status (after the provider's retries) → `HttpResponseError` (`StatusCode`) with the
 *   status, the (redacted) response headers, the body and the classified message, which names the
 *   request id;
 * - network failures and timeouts → `HttpRequestError` (`Transport`), a request that could not be
 *   built → `HttpRequestError` (`Encode`), both with the `ApiError` as `cause`;
 * - errors reported inside the stream (`response.failed`: context window, quota, rate limit,
 *   invalid request...; idle timeout; broken stream) → `UnknownError` with the classified message,
 *   the request id and the `ApiError` as `cause` (match on `cause._tag`).
 * @internal
 */
export const toAiError = (error: ApiError.ApiError, context: ErrorContext): AiError.AiError => {
  const description = withRequestId(CodexError.mapApiError(error).message, context.requestId)
  if (error._tag === "Transport") {
    const transport = error.error
    switch (transport._tag) {
      case "Http":
        return new AiError.HttpResponseError({
          module: moduleName,
          method: context.method,
          reason: "StatusCode",
          request: requestDetails(transport.url ?? context.url),
          response: { status: transport.status, headers: displayHeaders(transport.headers) },
          ...(transport.body === undefined ? {} : { body: transport.body }),
          description
        })
      case "Build":
        return new AiError.HttpRequestError({
          module: moduleName,
          method: context.method,
          reason: "Encode",
          request: requestDetails(context.url),
          description,
          cause: error
        })
      default:
        return new AiError.HttpRequestError({
          module: moduleName,
          method: context.method,
          reason: "Transport",
          request: requestDetails(context.url),
          description,
          cause: error
        })
    }
  }
  return new AiError.UnknownError({ module: moduleName, method: context.method, description, cause: error })
}

/**
 * A prompt or tool this provider cannot send.
 * @internal
 */
export const malformedInput = (method: string, description: string): AiError.MalformedInput =>
  new AiError.MalformedInput({ module: moduleName, method, description })
