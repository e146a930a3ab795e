/**
 * Memory summarization: `POST {base}/memories/trace_summarize`. The input's `raw_memories` go on
 * the wire under the key `traces` (wire compatibility with the backend); each output entry's
 * summary is read from `trace_summary` or its older name `raw_memory`.
 *
 * @since 0.1.0
 */
import type { HttpTransport } from "@codex/client/HttpTransport"
import type * as Headers from "@effect/platform/Headers"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
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
export const path = "memories/trace_summarize"

/**
 * Schema of the metadata of a raw memory.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RawMemoryMetadata = Schema.Struct({ source_path: Schema.String })

/**
 * One trace to summarize; `items` are response items as raw JSON.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RawMemory = Schema.Struct({
  id: Schema.String,
  metadata: RawMemoryMetadata,
  items: Schema.Array(Schema.Unknown)
})

/**
 * A raw memory to summarize: its id, metadata and items.
 *
 * @since 0.1.0
 * @category models
 */
export type RawMemory = typeof RawMemory.Type

/**
 * The request body; `raw_memories` is written as `traces`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MemorySummarizeInput = Schema.Struct({
  model: Schema.String,
  raw_memories: Schema.propertySignature(Schema.Array(RawMemory)).pipe(Schema.fromKey("traces")),
  reasoning: Schema.optional(Reasoning)
})

/**
 * The body of a summarize request: the model, the raw memories and reasoning settings.
 *
 * @since 0.1.0
 * @category models
 */
export type MemorySummarizeInput = typeof MemorySummarizeInput.Type

/**
 * One summarized memory: the trace summary and the memory summary.
 *
 * @since 0.1.0
 * @category models
 */
export interface MemorySummarizeOutput {
  /** Wire key `trace_summary` (alias `raw_memory`). */
  readonly raw_memory: string
  readonly memory_summary: string
}

const OutputWire = Schema.Struct({
  trace_summary: Schema.optional(Schema.String),
  raw_memory: Schema.optional(Schema.String),
  memory_summary: Schema.String
})

/**
 * One output entry: `{"trace_summary" | "raw_memory": string, "memory_summary": string}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MemorySummarizeOutput: Schema.Schema<MemorySummarizeOutput, typeof OutputWire.Encoded> =
  Schema.transformOrFail(OutputWire, Schema.Struct({ raw_memory: Schema.String, memory_summary: Schema.String }), {
    strict: true,
    decode: (wire) => {
      const summary = wire.trace_summary ?? wire.raw_memory
      return summary === undefined
        ? ParseResult.fail(
            new ParseResult.Pointer("trace_summary", wire, new ParseResult.Missing(new AST.Type(Schema.String.ast)))
          )
        : ParseResult.succeed({ raw_memory: summary, memory_summary: wire.memory_summary })
    },
    encode: (output) => ParseResult.succeed({ trace_summary: output.raw_memory, memory_summary: output.memory_summary })
  })

/**
 * `{"output": MemorySummarizeOutput[]}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MemorySummarizeResponse = Schema.Struct({ output: Schema.Array(MemorySummarizeOutput) })

/**
 * Per-call options: extra headers added to (and replacing same-named) provider headers.
 *
 * @since 0.1.0
 * @category models
 */
export interface SummarizeOptions {
  readonly extraHeaders?: Headers.Input | undefined
}

/**
 * The memories client: sends traces to be summarized into memories.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * Posts a raw JSON body (sent as given). Errors: `failed to decode memory summarize response: …;
   * body: …`, transport errors after retries.
   */
  readonly summarize: (
    body: unknown,
    options?: SummarizeOptions
  ) => Effect.Effect<ReadonlyArray<MemorySummarizeOutput>, ApiError.ApiError>
  /**
   * Summarizes typed traces. Errors: those of {@link Service.summarize}, and
   * `failed to encode memory summarize input: …`.
   */
  readonly summarizeInput: (
    input: MemorySummarizeInput,
    options?: SummarizeOptions
  ) => Effect.Effect<ReadonlyArray<MemorySummarizeOutput>, ApiError.ApiError>
}

/**
 * The memories client's service tag; provide it with {@link layer}.
 *
 * @since 0.1.0
 * @category tags
 */
export class MemoriesClient extends Context.Tag("@codex/api/MemoriesClient")<MemoriesClient, Service>() {}

const post = (
  body: unknown,
  options: SummarizeOptions | undefined
): Effect.Effect<
  ReadonlyArray<MemorySummarizeOutput>,
  ApiError.ApiError,
  HttpTransport | AuthProvider | Provider.CurrentProvider
> =>
  execute({ method: "POST", path, extraHeaders: options?.extraHeaders, body }).pipe(
    Effect.flatMap((response) => decodeResponse(MemorySummarizeResponse, "memory summarize", response.body)),
    Effect.map((decoded) => decoded.output)
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
    MemoriesClient.of({
      summarize: (body, options) =>
        post(body, options).pipe(Effect.withSpan("memories.summarize"), Effect.provide(context)),
      summarizeInput: (input, options) =>
        encodeBody(MemorySummarizeInput, "memory summarize input", input).pipe(
          Effect.flatMap((body) => post(body, options)),
          Effect.withSpan("memories.summarize_input"),
          Effect.provide(context)
        )
    })
)

/**
 * A layer providing the {@link MemoriesClient}, from the transport, auth and provider.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<MemoriesClient, never, HttpTransport | AuthProvider | Provider.CurrentProvider> =
  Layer.effect(MemoriesClient, make)
