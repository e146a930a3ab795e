/**
 * The Responses client over HTTP/SSE: `POST {base}/responses` with `Accept: text/event-stream`,
 * decoded into typed {@link ResponseEvent}s.
 *
 * Differences from the Codex CLI (deliberate): a complete final SSE event without a trailing
 * blank line is delivered; `response.failed` / `response.incomplete` / an unparsable
 * `response.completed` fail the stream at once; `Completed` ends the stream without waiting for the
 * server to close the connection, and ending or interrupting the stream aborts the HTTP request.
 *
 * @since 0.1.0
 */
import type { HttpTransport } from "@codex/client/HttpTransport"
import * as IdleTimeout from "@codex/client/IdleTimeout"
import * as Request from "@codex/client/Request"
import type * as Headers from "@effect/platform/Headers"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as ApiError from "./ApiError.js"
import type { AuthProvider } from "./Auth.js"
import * as EndpointSession from "./internal/endpointSession.js"
import { decodeBody, unwrapScoped } from "./internal/responsesSse.js"
import * as Provider from "./Provider.js"
import * as RateLimits from "./RateLimits.js"
import { ResponseEvent } from "./ResponseEvent.js"
import * as ResponsesRequest from "./ResponsesRequest.js"

/**
 * A started Responses stream: the upstream request id (`x-request-id`) is known as soon as the
 * response headers arrived; `events` starts with the header-derived events.
 *
 * @since 0.1.0
 * @category models
 */
export interface ResponseStream {
  readonly upstreamRequestId: string | undefined
  readonly events: Stream.Stream<ResponseEvent, ApiError.ApiError>
}

/**
 * Options of the raw-body {@link Service.stream} call.
 *
 * @since 0.1.0
 * @category models
 */
export interface RawOptions {
  readonly extraHeaders?: Headers.Input | undefined
  readonly compression?: Request.Compression | undefined
  /** Set from the `x-codex-turn-state` response header when still empty (first value wins). */
  readonly turnState?: Ref.Ref<Option.Option<string>> | undefined
}

/**
 * The Responses client: stream a request (typed or a raw JSON body) as {@link
 * ResponseEvent.ResponseEvent}s, with the provider's retries and idle timeout.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Streams a raw JSON body. */
  readonly stream: (body: unknown, options?: RawOptions) => Stream.Stream<ResponseEvent, ApiError.ApiError>
  /** Streams a typed request: its options become headers, the request the JSON body (with Azure item ids re-attached when needed). */
  readonly streamRequest: (
    request: ResponsesRequest.ResponsesApiRequest,
    options?: ResponsesRequest.ResponsesOptions
  ) => Stream.Stream<ResponseEvent, ApiError.ApiError>
  /** Like {@link Service.stream}, returning once headers arrived; the request lives in the `Scope`. */
  readonly open: (body: unknown, options?: RawOptions) => Effect.Effect<ResponseStream, ApiError.ApiError, Scope.Scope>
  /** Like {@link Service.streamRequest}, returning once headers arrived; the request lives in the `Scope`. */
  readonly openRequest: (
    request: ResponsesRequest.ResponsesApiRequest,
    options?: ResponsesRequest.ResponsesOptions
  ) => Effect.Effect<ResponseStream, ApiError.ApiError, Scope.Scope>
}

/**
 * The Responses client's service tag. Get the client with `yield* ResponsesClient` and provide it
 * with {@link layer}, or build one directly with {@link make}.
 *
 * @example
 * ```ts
 * import * as Auth from "@codex/api/Auth"
 * import * as Provider from "@codex/api/Provider"
 * import * as Responses from "@codex/api/Responses"
 * import * as HttpTransport from "@codex/client/HttpTransport"
 * import { Effect, Layer, Stream } from "effect"
 *
 * // Depend on the client as a service; provide it once with `Responses.layer`.
 * const ask = (question: string) =>
 *   Effect.gen(function* () {
 *     const client = yield* Responses.ResponsesClient
 *     return yield* client
 *       .stream({ model: "gpt-5", input: question })
 *       .pipe(Stream.runFold("", (text, event) => (event._tag === "OutputTextDelta" ? text + event.delta : text)))
 *   })
 *
 * const ClientLive = Responses.layer.pipe(
 *   Layer.provide(Layer.mergeAll(Provider.layerConfig, Auth.layerApiKeyConfig, HttpTransport.layerNode))
 * )
 *
 * export const main = ask("What is Effect?").pipe(Effect.provide(ClientLive))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class ResponsesClient extends Context.Tag("@codex/api/ResponsesClient")<ResponsesClient, Service>() {}

/**
 * The events announced by the response headers, in the order the Codex CLI emits them: `ServerModel`
 * (`openai-model`), one `RateLimits` per snapshot (always at least the default `codex` one),
 * `ModelsEtag` (`x-models-etag`), `ServerReasoningIncluded` (`x-reasoning-included`).
 *
 * @since 0.1.0
 * @category decoding
 */
export const headerEvents = (headers: Headers.Headers): Array<ResponseEvent> => {
  const out: Array<ResponseEvent> = []
  const model = headers["openai-model"]
  if (model !== undefined) out.push(ResponseEvent.ServerModel({ model }))
  for (const snapshot of RateLimits.parseAll(headers)) out.push(ResponseEvent.RateLimits({ snapshot }))
  const etag = headers["x-models-etag"]
  if (etag !== undefined) out.push(ResponseEvent.ModelsEtag({ etag }))
  if (headers["x-reasoning-included"] !== undefined) out.push(ResponseEvent.ServerReasoningIncluded({ included: true }))
  return out
}

const acceptEventStream = (compression: Request.Compression) => (request: Request.Request) =>
  Request.withCompression(Request.setHeader(request, "accept", "text/event-stream"), compression)

/**
 * Builds the client from the transport, auth and provider in context.
 *
 * @example
 * ```ts
 * import * as Auth from "@codex/api/Auth"
 * import * as Provider from "@codex/api/Provider"
 * import * as Responses from "@codex/api/Responses"
 * import * as HttpTransport from "@codex/client/HttpTransport"
 * import { Effect, Layer, Stream } from "effect"
 *
 * // Stream a response and collect its text.
 * const program = Effect.gen(function* () {
 *   const client = yield* Responses.make
 *   return yield* client
 *     .stream({ model: "gpt-5", input: "Say hello", stream: true })
 *     .pipe(Stream.runFold("", (text, event) => (event._tag === "OutputTextDelta" ? text + event.delta : text)))
 * })
 *
 * // OPENAI_API_KEY and OPENAI_BASE_URL come from the environment (Config).
 * export const main = program.pipe(
 *   Effect.provide(Layer.mergeAll(Provider.layerConfig, Auth.layerApiKeyConfig, HttpTransport.layerNode))
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, HttpTransport | AuthProvider | Provider.CurrentProvider> = Effect.gen(
  function* () {
    const context = yield* Effect.context<HttpTransport | AuthProvider | Provider.CurrentProvider>()
    const provider = Context.get(context, Provider.CurrentProvider)

    const openWith = (
      body: unknown,
      extraHeaders: Headers.Input | undefined,
      compression: Request.Compression,
      turnState: Ref.Ref<Option.Option<string>> | undefined
    ): Effect.Effect<ResponseStream, ApiError.ApiError, Scope.Scope> =>
      Effect.gen(function* () {
        const response = yield* EndpointSession.stream({
          method: "POST",
          path: "responses",
          extraHeaders,
          body,
          configure: acceptEventStream(compression)
        })
        const headers = response.headers
        const turn = headers["x-codex-turn-state"]
        if (turnState !== undefined && turn !== undefined) {
          yield* Ref.update(turnState, (current) => (Option.isSome(current) ? current : Option.some(turn)))
        }
        const first = headerEvents(headers)
        const idleTimeout = yield* IdleTimeout.getOrElse(provider.streamIdleTimeout)
        const events = Stream.concat(
          Stream.fromIterable(first),
          decodeBody(response.body, {
            idleTimeout,
            maxEventSize: provider.maxSseEventSize
          })
        )
        return { upstreamRequestId: headers["x-request-id"], events }
      }).pipe(Effect.provide(context))

    const open = (body: unknown, options: RawOptions = {}) =>
      openWith(body, options.extraHeaders, options.compression ?? "none", options.turnState).pipe(
        Effect.withSpan("responses.stream", { kind: "client" })
      )

    const openRequest = (
      request: ResponsesRequest.ResponsesApiRequest,
      options: ResponsesRequest.ResponsesOptions = {}
    ) =>
      Effect.suspend(() => {
        const azure = Provider.isAzureResponsesProvider(provider.name, provider.baseUrl)
        const body = ResponsesRequest.toWire(request, { azure })
        const headers = ResponsesRequest.buildHeaders(options)
        return open(body, { extraHeaders: headers, compression: options.compression, turnState: options.turnState })
      }).pipe(Effect.withSpan("responses.stream_request", { kind: "client", attributes: { model: request.model } }))

    const toStream = (effect: Effect.Effect<ResponseStream, ApiError.ApiError, Scope.Scope>) =>
      unwrapScoped(Effect.map(effect, (opened) => opened.events))

    return {
      open,
      openRequest,
      stream: (body, options) => toStream(open(body, options)),
      streamRequest: (request, options) => toStream(openRequest(request, options))
    }
  }
)

/**
 * A layer providing the {@link ResponsesClient}, built with {@link make} from the transport, auth
 * and provider services.
 *
 * @example
 * ```ts
 * import * as Auth from "@codex/api/Auth"
 * import * as Provider from "@codex/api/Provider"
 * import * as Responses from "@codex/api/Responses"
 * import * as HttpTransport from "@codex/client/HttpTransport"
 * import { Layer } from "effect"
 *
 * // A `ResponsesClient` for a local server without auth, over `fetch`.
 * export const ClientLive = Responses.layer.pipe(
 *   Layer.provide(
 *     Layer.mergeAll(
 *       Provider.layer(Provider.make({ baseUrl: "http://127.0.0.1:8080/v1" })),
 *       Auth.layerNone,
 *       HttpTransport.layerFetch
 *     )
 *   )
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ResponsesClient, never, HttpTransport | AuthProvider | Provider.CurrentProvider> =
  Layer.effect(ResponsesClient, make)
