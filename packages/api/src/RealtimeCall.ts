/**
 * WebRTC call creation: `POST {base}/realtime/calls`. The offer is sent as a raw SDP body, or
 * together with a session: as JSON `{"sdp","session"}` on the ChatGPT backend (`/backend-api` base
 * URLs) and as an exact `multipart/form-data` body elsewhere. The answer SDP is the response body;
 * the call id is read from the `Location` header.
 *
 * @since 0.1.0
 */
import type { HttpTransport } from "@codex/client/HttpTransport"
import * as Request from "@codex/client/Request"
import type * as Headers from "@effect/platform/Headers"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ApiError from "./ApiError.js"
import type { AuthProvider } from "./Auth.js"
import { execute } from "./internal/endpointSession.js"
import * as Provider from "./Provider.js"
import { type RealtimeSessionConfig, sessionUpdateSessionJson } from "./RealtimeSession.js"

/**
 * The path of the realtime call endpoint, relative to the base URL.
 *
 * @since 0.1.0
 * @category constants
 */
export const path = "realtime/calls"

/**
 * Boundary of the multipart body sent to API (non-backend) base URLs.
 *
 * @since 0.1.0
 * @category constants
 */
export const multipartBoundary = "codex-realtime-call-boundary"

/**
 * The answer to a realtime call: the SDP answer and the call id from the `Location` header.
 *
 * @since 0.1.0
 * @category models
 */
export interface RealtimeCallResponse {
  /** The SDP answer. */
  readonly sdp: string
  /** The call id (`rtc_…`) from the `Location` header. */
  readonly callId: string
}

/**
 * Per-call options: extra headers added to (and replacing same-named) provider headers.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallOptions {
  readonly extraHeaders?: Headers.Input | undefined
}

/**
 * The realtime call client: starts a WebRTC realtime call from an SDP offer.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Sends the SDP offer as `Content-Type: application/sdp`. */
  readonly create: (sdp: string, options?: CallOptions) => Effect.Effect<RealtimeCallResponse, ApiError.ApiError>
  /** Sends the SDP offer with the session built from `config` (without its `id`). */
  readonly createWithSession: (
    sdp: string,
    config: RealtimeSessionConfig,
    options?: CallOptions
  ) => Effect.Effect<RealtimeCallResponse, ApiError.ApiError>
}

/**
 * The realtime call client's service tag; provide it with {@link layer}.
 *
 * @since 0.1.0
 * @category tags
 */
export class RealtimeCallClient extends Context.Tag("@codex/api/RealtimeCallClient")<RealtimeCallClient, Service>() {}

/**
 * The call id in a `Location` value: the last path segment (query ignored) that starts with `rtc_`
 * and has more than 4 characters.
 *
 * @since 0.1.0
 * @category parsing
 */
export const callIdFromLocation = (location: string): string | undefined => {
  const queryAt = location.indexOf("?")
  const segments = (queryAt === -1 ? location : location.slice(0, queryAt)).split("/")
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i]!
    if (segment.startsWith("rtc_") && segment.length > 4) return segment
  }
  return undefined
}

/**
 * The exact multipart body: an `sdp` part (`application/sdp`) and a `session` part (`application/json`).
 *
 * @since 0.1.0
 * @category encoding
 */
export const multipartBody = (sdp: string, sessionJson: string): string =>
  `--${multipartBoundary}\r\n` +
  `Content-Disposition: form-data; name="sdp"\r\n` +
  `Content-Type: application/sdp\r\n\r\n` +
  `${sdp}\r\n` +
  `--${multipartBoundary}\r\n` +
  `Content-Disposition: form-data; name="session"\r\n` +
  `Content-Type: application/json\r\n\r\n` +
  `${sessionJson}\r\n` +
  `--${multipartBoundary}--\r\n`

/**
 * The session JSON used by call creation: `sessionUpdateSessionJson(config)` with `id` removed.
 *
 * @since 0.1.0
 * @category encoding
 */
export const callSessionJson = (config: RealtimeSessionConfig): Record<string, unknown> => {
  const { id: _id, ...session } = sessionUpdateSessionJson(config)
  return session
}

const textEncoder = new TextEncoder()
const strictUtf8 = new TextDecoder("utf-8", { fatal: true })

const withRawBody =
  (contentType: string, body: string) =>
  (request: Request.Request): Request.Request =>
    Request.setHeader(Request.withRawBody(request, textEncoder.encode(body)), "content-type", contentType)

const send = (
  configure: (request: Request.Request) => Request.Request,
  options: CallOptions | undefined
): Effect.Effect<RealtimeCallResponse, ApiError.ApiError, HttpTransport | AuthProvider | Provider.CurrentProvider> =>
  execute({ method: "POST", path, extraHeaders: options?.extraHeaders, configure }).pipe(
    Effect.flatMap((response) => {
      let sdp: string
      try {
        sdp = strictUtf8.decode(response.body)
      } catch (cause) {
        return Effect.fail(
          ApiError.stream(`failed to decode realtime call SDP response: ${(cause as Error).message}`, cause)
        )
      }
      const location = response.headers.location
      if (location === undefined) return Effect.fail(ApiError.stream("realtime call response missing Location"))
      const callId = callIdFromLocation(location)
      if (callId === undefined) {
        return Effect.fail(ApiError.stream(`realtime call Location does not contain a call id: ${location}`))
      }
      return Effect.succeed({ sdp, callId })
    }),
    Effect.withSpan("realtime_call.create", { attributes: { "http.method": "POST", "api.path": path } })
  )

const createWithSession = (
  sdp: string,
  config: RealtimeSessionConfig,
  options: CallOptions | undefined
): Effect.Effect<RealtimeCallResponse, ApiError.ApiError, HttpTransport | AuthProvider | Provider.CurrentProvider> =>
  Effect.gen(function* () {
    const provider = yield* Provider.CurrentProvider
    const session = callSessionJson(config)
    const sessionText = yield* Effect.try({
      try: () => JSON.stringify(session),
      catch: (cause) => new ApiError.InvalidRequest({ reason: `failed to encode realtime call session: ${cause}` })
    })
    const configure = provider.baseUrl.includes("/backend-api")
      ? (request: Request.Request) => Request.withJson(request, { sdp, session })
      : withRawBody(`multipart/form-data; boundary=${multipartBoundary}`, multipartBody(sdp, sessionText))
    return yield* send(configure, options)
  })

/**
 * Builds the client from the transport, auth and provider in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, HttpTransport | AuthProvider | Provider.CurrentProvider> = Effect.map(
  Effect.context<HttpTransport | AuthProvider | Provider.CurrentProvider>(),
  (context) =>
    RealtimeCallClient.of({
      create: (sdp, options) => Effect.provide(send(withRawBody("application/sdp", sdp), options), context),
      createWithSession: (sdp, config, options) => Effect.provide(createWithSession(sdp, config, options), context)
    })
)

/**
 * A layer providing the {@link RealtimeCallClient}, from the transport, auth and provider.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<RealtimeCallClient, never, HttpTransport | AuthProvider | Provider.CurrentProvider> =
  Layer.effect(RealtimeCallClient, make)
