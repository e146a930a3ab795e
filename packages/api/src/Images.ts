/**
 * Image generation and editing: `POST {base}/images/generations`, `POST {base}/images/edits`.
 * Request and response types use the wire names; optional keys are omitted when absent and the
 * response must carry `data`.
 *
 * @since 0.1.0
 */
import type { HttpTransport } from "@codex/client/HttpTransport"
import type * as Headers from "@effect/platform/Headers"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type * as ApiError from "./ApiError.js"
import type { AuthProvider } from "./Auth.js"
import { decodeResponse, encodeBody } from "./internal/endpointJson.js"
import { execute } from "./internal/endpointSession.js"
import type * as Provider from "./Provider.js"

/**
 * The path of the image generation endpoint, relative to the base URL.
 *
 * @since 0.1.0
 * @category constants
 */
export const generationsPath = "images/generations"

/**
 * The path of the image edit endpoint, relative to the base URL.
 *
 * @since 0.1.0
 * @category constants
 */
export const editsPath = "images/edits"

/**
 * Schema of the background setting of a generated image.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ImageBackground = Schema.Literal("transparent", "opaque", "auto")

/**
 * Schema of the quality setting of a generated image.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ImageQuality = Schema.Literal("low", "medium", "high", "auto")

/**
 * An input image: an URL or a data URL.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ImageUrl = Schema.Struct({ image_url: Schema.String })

/**
 * Schema of an image generation request.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ImageGenerationRequest = Schema.Struct({
  prompt: Schema.String,
  background: Schema.optional(ImageBackground),
  model: Schema.String,
  n: Schema.optional(Schema.Number),
  quality: Schema.optional(ImageQuality),
  size: Schema.optional(Schema.String)
})

/**
 * An image generation request: the prompt, model and image settings.
 *
 * @since 0.1.0
 * @category models
 */
export type ImageGenerationRequest = typeof ImageGenerationRequest.Type

/**
 * Schema of an image edit request.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ImageEditRequest = Schema.Struct({
  // first, as on the wire: the generation fields follow in their order
  images: Schema.Array(ImageUrl),
  ...ImageGenerationRequest.fields
})

/**
 * An image edit request: the prompt, the images to edit and the image settings.
 *
 * @since 0.1.0
 * @category models
 */
export type ImageEditRequest = typeof ImageEditRequest.Type

/**
 * Schema of one generated image in a response.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ImageData = Schema.Struct({ b64_json: Schema.String })

/**
 * The response; extra keys (`output_format`, `usage`, ...) are ignored.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ImageResponse = Schema.Struct({
  created: Schema.Number,
  data: Schema.Array(ImageData),
  background: Schema.optional(Schema.String),
  quality: Schema.optional(Schema.String),
  size: Schema.optional(Schema.String)
})

/**
 * The answer to an image request: the generated images.
 *
 * @since 0.1.0
 * @category models
 */
export type ImageResponse = typeof ImageResponse.Type

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
 * The images client: generates and edits images.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Errors: `failed to decode image generation response: …; body: …` and transport errors. */
  readonly generate: (
    request: ImageGenerationRequest,
    options?: CallOptions
  ) => Effect.Effect<ImageResponse, ApiError.ApiError>
  /** Errors: `failed to decode image edit response: …; body: …` and transport errors. */
  readonly edit: (request: ImageEditRequest, options?: CallOptions) => Effect.Effect<ImageResponse, ApiError.ApiError>
}

/**
 * The images client's service tag; provide it with {@link layer}.
 *
 * @since 0.1.0
 * @category tags
 */
export class ImagesClient extends Context.Tag("@codex/api/ImagesClient")<ImagesClient, Service>() {}

const post = <A, I>(
  operation: string,
  endpointPath: string,
  schema: Schema.Schema<A, I, never>,
  request: A,
  options: CallOptions | undefined
): Effect.Effect<ImageResponse, ApiError.ApiError, HttpTransport | AuthProvider | Provider.CurrentProvider> =>
  encodeBody(schema, `${operation} request`, request).pipe(
    Effect.flatMap((body) =>
      execute({ method: "POST", path: endpointPath, extraHeaders: options?.extraHeaders, body })
    ),
    Effect.flatMap((response) => decodeResponse(ImageResponse, operation, response.body))
  )

/**
 * Builds the client from the transport, auth and provider in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, HttpTransport | AuthProvider | Provider.CurrentProvider> = Effect.map(
  Effect.context<HttpTransport | AuthProvider | Provider.CurrentProvider>(),
  (context) =>
    ImagesClient.of({
      generate: (request, options) =>
        post("image generation", generationsPath, ImageGenerationRequest, request, options).pipe(
          Effect.withSpan("images.generate"),
          Effect.provide(context)
        ),
      edit: (request, options) =>
        post("image edit", editsPath, ImageEditRequest, request, options).pipe(
          Effect.withSpan("images.edit"),
          Effect.provide(context)
        )
    })
)

/**
 * A layer providing the {@link ImagesClient}, from the transport, auth and provider.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ImagesClient, never, HttpTransport | AuthProvider | Provider.CurrentProvider> =
  Layer.effect(ImagesClient, make)
