/**
 * Conversation compaction: `POST {base}/responses/compact`. Sends the history (typed
 * {@link CompactionInput} or a raw JSON body) with a whole-request timeout and returns the
 * compacted `output` items.
 *
 * @since 0.1.0
 */
import type { HttpTransport } from "@codex/client/HttpTransport"
import * as Request from "@codex/client/Request"
import * as ResponseItem from "@codex/protocol/ResponseItem"
import type * as Headers from "@effect/platform/Headers"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type * as ApiError from "./ApiError.js"
import type { AuthProvider } from "./Auth.js"
import { decodeResponse, encodeBody, Reasoning } from "./internal/endpointJson.js"
import { execute } from "./internal/endpointSession.js"
import type * as Provider from "./Provider.js"

/**
 * Path of the endpoint, relative to the provider base URL.
 *
 * @since 0.1.0
 * @category constants
 */
export const path = "responses/compact"

/**
 * `text` controls: verbosity and an optional JSON-schema output format.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TextControls = Schema.Struct({
  verbosity: Schema.optional(Schema.Literal("low", "medium", "high")),
  format: Schema.optional(
    Schema.Struct({
      type: Schema.Literal("json_schema"),
      strict: Schema.Boolean,
      schema: Schema.Unknown,
      name: Schema.String
    })
  )
})

/**
 * The compaction body (wire names, reference key order). `instructions` is omitted when empty;
 * `tools` and `parallel_tool_calls` are always written; other optional keys are omitted when absent.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CompactionInput = Schema.Struct({
  model: Schema.String,
  input: Schema.Array(ResponseItem.ResponseItemFromWire),
  instructions: Schema.optional(Schema.String),
  tools: Schema.Array(Schema.Unknown),
  parallel_tool_calls: Schema.Boolean,
  reasoning: Schema.optional(Reasoning),
  service_tier: Schema.optional(Schema.String),
  prompt_cache_key: Schema.optional(Schema.String),
  text: Schema.optional(TextControls)
})

/**
 * The body of a compaction request: the model, instructions and the conversation items to compact.
 *
 * @since 0.1.0
 * @category models
 */
export type CompactionInput = typeof CompactionInput.Type

/**
 * `{"output": ResponseItem[]}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CompactResponse = Schema.Struct({ output: Schema.Array(ResponseItem.ResponseItemFromWire) })

/**
 * Per-call options: extra headers and an optional whole-request timeout (none by default).
 *
 * @since 0.1.0
 * @category models
 */
export interface CompactOptions {
  readonly extraHeaders?: Headers.Input | undefined
  /** Whole-request timeout (callers use 4 × the stream idle timeout). No timeout when absent. */
  readonly requestTimeout?: Duration.DurationInput | undefined
}

/**
 * The compact client: asks the server to compact a conversation's history into fewer items.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Posts a raw JSON body. */
  readonly compact: (
    body: unknown,
    options?: CompactOptions
  ) => Effect.Effect<ReadonlyArray<ResponseItem.ResponseItem>, ApiError.ApiError>
  /** Posts a typed body. Encode failures: `failed to encode compaction input: …`. */
  readonly compactInput: (
    input: CompactionInput,
    options?: CompactOptions
  ) => Effect.Effect<ReadonlyArray<ResponseItem.ResponseItem>, ApiError.ApiError>
}

/**
 * The compact client's service tag; provide it with {@link layer}.
 *
 * @since 0.1.0
 * @category tags
 */
export class CompactClient extends Context.Tag("@codex/api/CompactClient")<CompactClient, Service>() {}

const post = (
  body: unknown,
  options: CompactOptions | undefined
): Effect.Effect<
  ReadonlyArray<ResponseItem.ResponseItem>,
  ApiError.ApiError,
  HttpTransport | AuthProvider | Provider.CurrentProvider
> =>
  execute({
    method: "POST",
    path,
    extraHeaders: options?.extraHeaders,
    body,
    configure: (request) =>
      options?.requestTimeout === undefined ? request : Request.withTimeout(request, options.requestTimeout)
  }).pipe(
    Effect.flatMap((response) => decodeResponse(CompactResponse, "compact", response.body)),
    Effect.map((decoded) => decoded.output)
  )

const withoutEmptyInstructions = (input: CompactionInput): CompactionInput =>
  input.instructions === "" ? { ...input, instructions: undefined } : input

/**
 * Builds the client from the transport, auth and provider in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, HttpTransport | AuthProvider | Provider.CurrentProvider> = Effect.map(
  Effect.context<HttpTransport | AuthProvider | Provider.CurrentProvider>(),
  (context) =>
    CompactClient.of({
      compact: (body, options) => post(body, options).pipe(Effect.withSpan("compact.compact"), Effect.provide(context)),
      compactInput: (input, options) =>
        encodeBody(CompactionInput, "compaction input", withoutEmptyInstructions(input)).pipe(
          Effect.flatMap((body) => post(body, options)),
          Effect.withSpan("compact.compact_input"),
          Effect.provide(context)
        )
    })
)

/**
 * A layer providing the {@link CompactClient}, from the transport, auth and provider.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<CompactClient, never, HttpTransport | AuthProvider | Provider.CurrentProvider> =
  Layer.effect(CompactClient, make)
