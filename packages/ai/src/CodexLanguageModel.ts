/**
 * An `@effect/ai` `LanguageModel` backed by the Responses client of `@codex/api`: any `@effect/ai`
 * program (`LanguageModel.generateText`, `streamText`, `generateObject`, `Chat`, toolkits) runs on
 * the Codex / OpenAI Responses backend with the provider's retries, stream idle timeout and
 * rate-limit snapshots.
 *
 * The layer needs a `ResponsesClient` (`Responses.layer`, which itself needs an `HttpTransport`, an
 * `AuthProvider` and a `CurrentProvider`); it never builds one itself.
 *
 * What maps to what:
 * - prompt: system messages → `instructions` (after `config.instructions`), user text and images →
 *   `message` items, assistant text → `message` items, assistant tool calls → `function_call`
 *   items, tool results → `function_call_output` items (strings as they are, other values as JSON);
 *   reasoning parts are not sent back;
 * - tools: `Tool.make` tools → function tools (JSON schema of the parameters); `toolChoice`
 *   `{ tool }` sends only that tool with `tool_choice: "required"`;
 * - `generateObject` → `text.format` JSON schema (strict unless `strictJsonSchema: false`);
 * - the stream: text and reasoning deltas, `tool-call` parts for `function_call` items, then a
 *   `response-metadata` part (response id, server model; `metadata.codex` has the request id and
 *   the rate-limit snapshots) and the `finish` part (`"tool-calls"` when the model called a tool,
 *   else `"stop"`; `"length"` / `"content-filter"` for an incomplete response) with the token usage;
 * - errors: an HTTP status (after retries) → `AiError.HttpResponseError` with the status, the
 *   response headers (secrets redacted), the body and a message naming the request id; network
 *   failures → `AiError.HttpRequestError`; failures reported inside the stream (context window,
 *   quota, idle timeout, ...) → `AiError.UnknownError` whose `cause` is the `@codex/api`
 *   `ApiError` (match on `cause._tag`).
 *
 * @example
 * ```ts
 * import * as CodexLanguageModel from "@codex/ai/CodexLanguageModel"
 * import * as Auth from "@codex/api/Auth"
 * import * as Provider from "@codex/api/Provider"
 * import * as Responses from "@codex/api/Responses"
 * import * as HttpTransport from "@codex/client/HttpTransport"
 * import * as LanguageModel from "@effect/ai/LanguageModel"
 * import * as Effect from "effect/Effect"
 * import * as Layer from "effect/Layer"
 *
 * const program = Effect.gen(function* () {
 *   const response = yield* LanguageModel.generateText({ prompt: "What is Effect?" })
 *   return response.text
 * })
 *
 * const ResponsesLive = Responses.layer.pipe(
 *   Layer.provide(Layer.mergeAll(Provider.layerConfig, Auth.layerApiKeyConfig, HttpTransport.layerNode))
 * )
 * const ModelLive = CodexLanguageModel.layer({ model: "gpt-5" }).pipe(Layer.provide(ResponsesLive))
 *
 * // Run it with `NodeRuntime.runMain(main)` (OPENAI_API_KEY set).
 * export const main = Effect.provide(program, ModelLive)
 * ```
 *
 * @since 0.1.0
 */
import type { RateLimitSnapshot } from "@codex/api/RateLimits"
import { ResponsesClient } from "@codex/api/Responses"
import type * as ResponsesRequest from "@codex/api/ResponsesRequest"
import type { Verbosity } from "@codex/protocol/Reasoning"
import * as AiError from "@effect/ai/AiError"
import * as LanguageModel from "@effect/ai/LanguageModel"
import * as AiModel from "@effect/ai/Model"
import type * as Response from "@effect/ai/Response"
import * as Telemetry from "@effect/ai/Telemetry"
import * as Chunk from "effect/Chunk"
import * as Config_ from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { toAiError } from "./internal/errors.js"
import { collectParts, makeMapper } from "./internal/parts.js"
import { toRequest } from "./internal/prompt.js"

// =============================================================================
// Provider metadata
// =============================================================================

declare module "@effect/ai/Response" {
  /**
   * `metadata.codex` of the `response-metadata` part.
   */
  export interface ResponseMetadataPartMetadata extends ProviderMetadata {
    readonly codex?:
      | {
          /** The `x-request-id` of the response (quote it when reporting a problem). */
          readonly requestId?: string | undefined
          /** The model that served the request, when the server named it. */
          readonly serverModel?: string | undefined
          /** The rate-limit snapshots of the response headers (the default `codex` one first). */
          readonly rateLimits: ReadonlyArray<RateLimitSnapshot>
        }
      | undefined
  }

  /**
   * `metadata.codex` of the `finish` part.
   */
  export interface FinishPartMetadata extends ProviderMetadata {
    readonly codex?:
      | {
          /** `response.end_turn`, when the server sent it. */
          readonly endTurn?: boolean | undefined
        }
      | undefined
  }

  /**
   * `metadata.codex` of a `tool-call` part.
   */
  export interface ToolCallPartMetadata extends ProviderMetadata {
    readonly codex?:
      | {
          /** The id of the `function_call` item. */
          readonly itemId?: string | undefined
        }
      | undefined
  }
}

// =============================================================================
// Configuration
// =============================================================================

/**
 * Request settings: given to {@link layer} and overridable per call with
 * {@link withConfigOverride}.
 *
 * @since 0.1.0
 * @category context
 */
export class Config extends Context.Tag("@codex/ai/CodexLanguageModel/Config")<Config, Config.Service>() {}

/**
 * Types of the {@link Config} service: the request settings it carries.
 *
 * @since 0.1.0
 */
export declare namespace Config {
  /**
   * Request settings. Every field is optional; the defaults are those of a Codex request.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** The model to request (the layer's `model` unless overridden). */
    readonly model?: string | undefined
    /** Instructions placed before the prompt's system messages. Default: none. */
    readonly instructions?: string | undefined
    /** `reasoning` (effort, summary). Default: not sent (`null`). */
    readonly reasoning?: ResponsesRequest.Reasoning | undefined
    /** `text.verbosity`. Default: not sent. */
    readonly verbosity?: Verbosity | undefined
    /** `service_tier`. Default: not sent. */
    readonly serviceTier?: string | undefined
    /** `prompt_cache_key`. Default: not sent. */
    readonly promptCacheKey?: string | undefined
    /** `store`. Default `false`. */
    readonly store?: boolean | undefined
    /** `include`. Default `[]`. */
    readonly include?: ReadonlyArray<string> | undefined
    /** `parallel_tool_calls`. Default `true`. */
    readonly parallelToolCalls?: boolean | undefined
    /** `strict` of every function tool (needs every parameter required). Default `false`. */
    readonly strictTools?: boolean | undefined
    /** `strict` of the `generateObject` JSON schema. Default `true`. */
    readonly strictJsonSchema?: boolean | undefined
    /** `client_metadata`. Default: not sent. */
    readonly clientMetadata?: Readonly<Record<string, string>> | undefined
    /** Per-request headers and options of the Responses client (session / thread ids, compression, ...). */
    readonly requestOptions?: ResponsesRequest.ResponsesOptions | undefined
  }
}

/**
 * Runs `self` with request settings merged over the current ones (field by field).
 *
 * @example
 * ```ts
 * import * as CodexLanguageModel from "@codex/ai/CodexLanguageModel"
 * import * as LanguageModel from "@effect/ai/LanguageModel"
 *
 * const terse = LanguageModel.generateText({ prompt: "Summarize Effect in one line" }).pipe(
 *   CodexLanguageModel.withConfigOverride({ verbosity: "low", reasoning: { effort: "low" } })
 * )
 * ```
 *
 * @since 0.1.0
 * @category configuration
 */
export const withConfigOverride: {
  (overrides: Config.Service): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, overrides: Config.Service): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, overrides: Config.Service): Effect.Effect<A, E, R> =>
    Effect.flatMap(Effect.serviceOption(Config), (current) =>
      Effect.provideService(self, Config, { ...Option.getOrElse(current, () => ({})), ...overrides })
    )
)

// =============================================================================
// Constructors
// =============================================================================

/**
 * Options of {@link make} / {@link layer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The model to request, e.g. `gpt-5`. */
  readonly model: string
  /** Default request settings (see {@link Config.Service}). */
  readonly config?: Omit<Config.Service, "model"> | undefined
}

/**
 * The provider name of {@link model} (`Model.ProviderName`).
 *
 * @since 0.1.0
 * @category constants
 */
export const providerName = "codex"

/** Relative endpoint named in errors that carry no URL of their own. */
const responsesPath = "/responses"

/**
 * Builds the `LanguageModel` service on the `ResponsesClient` in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<LanguageModel.Service, never, ResponsesClient> =>
  Effect.gen(function* () {
    const client = yield* ResponsesClient

    const parts = (
      providerOptions: LanguageModel.ProviderOptions,
      method: string
    ): Stream.Stream<Response.StreamPartEncoded, AiError.AiError> =>
      Stream.unwrapScoped(
        Effect.gen(function* () {
          const override = Option.getOrUndefined(yield* Effect.serviceOption(Config))
          const config = { ...options.config, ...override, model: override?.model ?? options.model }
          const request = yield* toRequest(providerOptions, config, method)
          Telemetry.addGenAIAnnotations(providerOptions.span, {
            system: providerName,
            operation: { name: "chat" },
            request: { model: request.model }
          })
          const opened = yield* client
            .openRequest(request, config.requestOptions)
            .pipe(Effect.mapError((error) => toAiError(error, { method, url: responsesPath })))
          const requestId = opened.upstreamRequestId
          const mapper = makeMapper({ model: request.model, requestId, method })
          return opened.events.pipe(
            Stream.mapChunksEffect((events) => {
              const out: Array<Response.StreamPartEncoded> = []
              for (const event of events) {
                const error = mapper.push(event, out)
                if (error !== undefined) return Effect.fail(error)
              }
              return Effect.succeed(Chunk.unsafeFromArray(out))
            }),
            Stream.catchAll((error) => {
              if (AiError.isAiError(error)) return Stream.fail(error)
              const out: Array<Response.StreamPartEncoded> = []
              return mapper.pushIncomplete(error, out)
                ? Stream.fromIterable(out)
                : Stream.fail(toAiError(error, { method, url: responsesPath, requestId }))
            }),
            Stream.tap((part) => Effect.sync(() => annotateResponse(providerOptions, part)))
          )
        })
      )

    return yield* LanguageModel.make({
      generateText: (providerOptions) =>
        Stream.runCollect(parts(providerOptions, "generateText")).pipe(
          Effect.map((chunk) => collectParts(Chunk.toReadonlyArray(chunk)))
        ),
      streamText: (providerOptions) => parts(providerOptions, "streamText")
    })
  })

const annotateResponse = (options: LanguageModel.ProviderOptions, part: Response.StreamPartEncoded): void => {
  if (part.type === "response-metadata") {
    Telemetry.addGenAIAnnotations(options.span, { response: { id: part.id, model: part.modelId } })
  } else if (part.type === "finish") {
    Telemetry.addGenAIAnnotations(options.span, {
      response: { finishReasons: [part.reason] },
      usage: { inputTokens: part.usage.inputTokens, outputTokens: part.usage.outputTokens }
    })
  }
}

/**
 * The `LanguageModel` layer; needs a `ResponsesClient`.
 *
 * @example
 * ```ts
 * import * as CodexLanguageModel from "@codex/ai/CodexLanguageModel"
 *
 * const ModelLive = CodexLanguageModel.layer({ model: "gpt-5", config: { reasoning: { effort: "low" } } })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<LanguageModel.LanguageModel, never, ResponsesClient> =>
  Layer.effect(LanguageModel.LanguageModel, make(options))

/**
 * {@link layer} with its options read from configuration.
 *
 * @example
 * ```ts
 * import * as CodexLanguageModel from "@codex/ai/CodexLanguageModel"
 * import * as Config from "effect/Config"
 *
 * const ModelLive = CodexLanguageModel.layerConfig({
 *   model: Config.string("OPENAI_MODEL").pipe(Config.withDefault("gpt-5"))
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Config_.Config.Wrap<Options>
): Layer.Layer<LanguageModel.LanguageModel, ConfigError.ConfigError, ResponsesClient> =>
  Layer.unwrapEffect(Effect.map(Config_.unwrap(options), layer))

/**
 * An `@effect/ai` `Model` (a layer that also provides `Model.ProviderName`, `"codex"`).
 *
 * @example
 * ```ts
 * import * as CodexLanguageModel from "@codex/ai/CodexLanguageModel"
 *
 * const Gpt5 = CodexLanguageModel.model("gpt-5")
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export const model = (
  name: string,
  config?: Omit<Config.Service, "model">
): AiModel.Model<typeof providerName, LanguageModel.LanguageModel, ResponsesClient> =>
  AiModel.make(providerName, layer({ model: name, config }))
