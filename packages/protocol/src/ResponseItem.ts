/**
 * `ResponseItem`: the items of a Responses API conversation (request `input`, streamed
 * `response.output_item.*` payloads). Decoded values keep the wire's snake_case field names so the
 * mapping to JSON stays obvious and decoding stays cheap.
 *
 * Wire quirks kept from the Codex CLI:
 * - most `id` fields are read but never written by {@link toWire} (only `image_generation_call`
 *   writes its id); {@link itemId} exposes them for the Azure re-attachment path;
 * - unknown `type` values decode to {@link Other} (raw JSON kept) and encode as `{"type":"other"}`;
 * - `compaction_summary` is accepted as an alias of `compaction`;
 * - a `reasoning` item without `content` writes `"content": null`; one whose `content` has no
 *   `reasoning_text` entry omits `content`.
 *
 * The schemas are marked `#__PURE__` so that bundlers drop those a program does not use;
 * {@link fromWire} decodes items without them.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

// ---------------------------------------------------------------------------------------------
// content items
// ---------------------------------------------------------------------------------------------

/**
 * Image detail level of an `input_image` content item.
 *
 * @since 0.1.0
 * @category models
 */
export const ImageDetail = /*#__PURE__*/ Schema.Literal("auto", "low", "high", "original")

/**
 * Image detail level of an `input_image` content item: `"auto"`, `"low"`, `"high"` or `"original"`.
 *
 * @since 0.1.0
 * @category models
 */
export type ImageDetail = typeof ImageDetail.Type

const optional = <S extends Schema.Schema.Any>(schema: S) =>
  /*#__PURE__*/ Schema.optionalWith(schema, { nullable: true })

/**
 * Schema of an `input_text` content item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const InputText = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.Literal("input_text"),
  text: Schema.String
})

/**
 * Schema of an `input_image` content item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const InputImage = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.Literal("input_image"),
  image_url: Schema.String,
  detail: /*#__PURE__*/ optional(ImageDetail)
})

/**
 * Schema of an `output_text` content item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OutputText = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.Literal("output_text"),
  text: Schema.String
})

/**
 * Content of a `message` item (tagged by `type`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContentItem = /*#__PURE__*/ Schema.Union(InputText, InputImage, OutputText)

/**
 * Content of a `message` item: input text, input image or output text.
 *
 * @since 0.1.0
 * @category models
 */
export type ContentItem = typeof ContentItem.Type

/**
 * Schema of an encrypted content item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EncryptedContent = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.Literal("encrypted_content"),
  encrypted_content: Schema.String
})

/**
 * One entry of an array-shaped function-call output.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FunctionCallOutputContentItem = /*#__PURE__*/ Schema.Union(InputText, InputImage, EncryptedContent)

/**
 * One entry of an array-shaped function-call output: text, image or encrypted content.
 *
 * @since 0.1.0
 * @category models
 */
export type FunctionCallOutputContentItem = typeof FunctionCallOutputContentItem.Type

/**
 * Output of a (custom) tool call: a bare JSON string or an array of content items (untagged on
 * the wire; decoding accepts either).
 *
 * @since 0.1.0
 * @category schemas
 */
export const FunctionCallOutputPayload = /*#__PURE__*/ Schema.Union(
  Schema.String,
  /*#__PURE__*/ Schema.Array(FunctionCallOutputContentItem)
)

/**
 * Output of a (custom) tool call: a string or an array of content items.
 *
 * @since 0.1.0
 * @category models
 */
export type FunctionCallOutputPayload = typeof FunctionCallOutputPayload.Type

// ---------------------------------------------------------------------------------------------
// variants
// ---------------------------------------------------------------------------------------------

const nullDefault = <S extends Schema.Schema.Any>(schema: S) =>
  /*#__PURE__*/ Schema.optionalWith(/*#__PURE__*/ Schema.NullOr(schema), { default: () => null })

/**
 * Assistant message phase.
 *
 * @since 0.1.0
 * @category models
 */
export const MessagePhase = /*#__PURE__*/ Schema.Literal("commentary", "final_answer")

/**
 * Schema of a `message` item: a role and its content items.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Message = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.Literal("message"),
  id: /*#__PURE__*/ optional(Schema.String),
  role: Schema.String,
  content: /*#__PURE__*/ Schema.Array(ContentItem),
  phase: /*#__PURE__*/ optional(MessagePhase)
})

/**
 * A `message` item: a role (`user`, `assistant`, `system`, `developer`) and its content items.
 *
 * @since 0.1.0
 * @category models
 */
export type Message = typeof Message.Type

/**
 * Schema of an `agent_message` item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AgentMessage = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.Literal("agent_message"),
  author: Schema.String,
  recipient: Schema.String,
  content: /*#__PURE__*/ Schema.Array(EncryptedContent)
})

/**
 * An `agent_message` item: a message from another agent.
 *
 * @since 0.1.0
 * @category models
 */
export type AgentMessage = typeof AgentMessage.Type

/**
 * Schema of one reasoning summary text.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReasoningSummaryText = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.Literal("summary_text"),
  text: Schema.String
})

/**
 * Schema of one reasoning content item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReasoningContentItem = /*#__PURE__*/ Schema.Union(
  /*#__PURE__*/ Schema.Struct({ type: /*#__PURE__*/ Schema.Literal("reasoning_text"), text: Schema.String }),
  /*#__PURE__*/ Schema.Struct({ type: /*#__PURE__*/ Schema.Literal("text"), text: Schema.String })
)

/**
 * Schema of a `reasoning` item: summary, optional content and encrypted content.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Reasoning = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.Literal("reasoning"),
  id: /*#__PURE__*/ optional(Schema.String),
  summary: /*#__PURE__*/ Schema.Array(ReasoningSummaryText),
  content: /*#__PURE__*/ optional(/*#__PURE__*/ Schema.Array(ReasoningContentItem)),
  encrypted_content: /*#__PURE__*/ nullDefault(Schema.String)
})

/**
 * A `reasoning` item: the model's reasoning summary, optional content and encrypted content.
 *
 * @since 0.1.0
 * @category models
 */
export type Reasoning = typeof Reasoning.Type

/**
 * Schema of the status of a local shell call.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LocalShellStatus = /*#__PURE__*/ Schema.Literal("completed", "in_progress", "incomplete")

/**
 * Schema of the command of a local shell call.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LocalShellExecAction = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.Literal("exec"),
  command: /*#__PURE__*/ Schema.Array(Schema.String),
  timeout_ms: /*#__PURE__*/ nullDefault(Schema.Number),
  working_directory: /*#__PURE__*/ nullDefault(Schema.String),
  env: /*#__PURE__*/ nullDefault(/*#__PURE__*/ Schema.Record({ key: Schema.String, value: Schema.String })),
  user: /*#__PURE__*/ nullDefault(Schema.String)
})

/**
 * Schema of a `local_shell_call` item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LocalShellCall = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.Literal("local_shell_call"),
  id: /*#__PURE__*/ optional(Schema.String),
  call_id: /*#__PURE__*/ nullDefault(Schema.String),
  status: LocalShellStatus,
  action: LocalShellExecAction
})

/**
 * A `local_shell_call` item: a shell command the model asks to run locally.
 *
 * @since 0.1.0
 * @category models
 */
export type LocalShellCall = typeof LocalShellCall.Type

/**
 * Schema of a `function_call` item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FunctionCall = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.Literal("function_call"),
  id: /*#__PURE__*/ optional(Schema.String),
  name: Schema.String,
  namespace: /*#__PURE__*/ optional(Schema.String),
  arguments: Schema.String,
  call_id: Schema.String
})

/**
 * A `function_call` item: the model calls a function tool by name with JSON arguments.
 *
 * @since 0.1.0
 * @category models
 */
export type FunctionCall = typeof FunctionCall.Type

/**
 * Schema of a `tool_search_call` item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ToolSearchCall = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.Literal("tool_search_call"),
  id: /*#__PURE__*/ optional(Schema.String),
  call_id: /*#__PURE__*/ nullDefault(Schema.String),
  status: /*#__PURE__*/ optional(Schema.String),
  execution: Schema.String,
  arguments: Schema.Unknown
})

/**
 * A `tool_search_call` item: the model searches the available tools.
 *
 * @since 0.1.0
 * @category models
 */
export type ToolSearchCall = typeof ToolSearchCall.Type

/**
 * Schema of a `function_call_output` item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FunctionCallOutput = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.Literal("function_call_output"),
  call_id: Schema.String,
  output: FunctionCallOutputPayload
})

/**
 * A `function_call_output` item: your answer to a function call, matched by `call_id`.
 *
 * @since 0.1.0
 * @category models
 */
export type FunctionCallOutput = typeof FunctionCallOutput.Type

/**
 * Schema of a `custom_tool_call` item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CustomToolCall = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.Literal("custom_tool_call"),
  id: /*#__PURE__*/ optional(Schema.String),
  status: /*#__PURE__*/ optional(Schema.String),
  call_id: Schema.String,
  name: Schema.String,
  input: Schema.String
})

/**
 * A `custom_tool_call` item: the model calls a custom (free-form input) tool.
 *
 * @since 0.1.0
 * @category models
 */
export type CustomToolCall = typeof CustomToolCall.Type

/**
 * Schema of a `custom_tool_call_output` item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CustomToolCallOutput = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.Literal("custom_tool_call_output"),
  call_id: Schema.String,
  name: /*#__PURE__*/ optional(Schema.String),
  output: FunctionCallOutputPayload
})

/**
 * A `custom_tool_call_output` item: your answer to a custom tool call, matched by `call_id`.
 *
 * @since 0.1.0
 * @category models
 */
export type CustomToolCallOutput = typeof CustomToolCallOutput.Type

/**
 * Schema of a `tool_search_output` item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ToolSearchOutput = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.Literal("tool_search_output"),
  call_id: /*#__PURE__*/ nullDefault(Schema.String),
  status: Schema.String,
  execution: Schema.String,
  tools: /*#__PURE__*/ Schema.Array(Schema.Unknown)
})

/**
 * A `tool_search_output` item: the result of a tool search.
 *
 * @since 0.1.0
 * @category models
 */
export type ToolSearchOutput = typeof ToolSearchOutput.Type

const webSearchActionTypes: ReadonlySet<string> = /*#__PURE__*/ new Set(["search", "open_page", "find_in_page"])

/**
 * Action of a `web_search_call`. Unknown action types decode to `{"type":"other"}`; a known type
 * with malformed fields (e.g. `{"type":"search","query":42}`) fails to decode, as in the Codex CLI,
 * so the whole item fails and a stream skips it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WebSearchAction = /*#__PURE__*/ Schema.Union(
  /*#__PURE__*/ Schema.Struct({
    type: /*#__PURE__*/ Schema.Literal("search"),
    query: /*#__PURE__*/ optional(Schema.String),
    queries: /*#__PURE__*/ optional(/*#__PURE__*/ Schema.Array(Schema.String))
  }),
  /*#__PURE__*/ Schema.Struct({
    type: /*#__PURE__*/ Schema.Literal("open_page"),
    url: /*#__PURE__*/ optional(Schema.String)
  }),
  /*#__PURE__*/ Schema.Struct({
    type: /*#__PURE__*/ Schema.Literal("find_in_page"),
    url: /*#__PURE__*/ optional(Schema.String),
    pattern: /*#__PURE__*/ optional(Schema.String)
  }),
  /*#__PURE__*/ Schema.transform(
    /*#__PURE__*/ Schema.Struct({
      type: /*#__PURE__*/ Schema.String.pipe(
        /*#__PURE__*/ Schema.filter((type) => !webSearchActionTypes.has(type), {
          message: () => "a known web search action type with invalid fields"
        })
      )
    }),
    /*#__PURE__*/ Schema.Struct({ type: /*#__PURE__*/ Schema.Literal("other") }),
    {
      strict: true,
      decode: () => ({ type: "other" as const }),
      encode: (a) => a
    }
  )
)

/**
 * Action of a `web_search_call`: search, open a page, find in a page, or other.
 *
 * @since 0.1.0
 * @category models
 */
export type WebSearchAction = typeof WebSearchAction.Type

/**
 * Schema of a `web_search_call` item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WebSearchCall = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.Literal("web_search_call"),
  id: /*#__PURE__*/ optional(Schema.String),
  status: /*#__PURE__*/ optional(Schema.String),
  action: /*#__PURE__*/ optional(WebSearchAction)
})

/**
 * A `web_search_call` item: a web search the server ran, with its status and action.
 *
 * @since 0.1.0
 * @category models
 */
export type WebSearchCall = typeof WebSearchCall.Type

/**
 * Schema of an `image_generation_call` item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ImageGenerationCall = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.Literal("image_generation_call"),
  id: Schema.String,
  status: Schema.String,
  revised_prompt: /*#__PURE__*/ optional(Schema.String),
  result: Schema.String
})

/**
 * An `image_generation_call` item: an image the server generated, with its status and result.
 *
 * @since 0.1.0
 * @category models
 */
export type ImageGenerationCall = typeof ImageGenerationCall.Type

/**
 * `compaction`; the legacy type name `compaction_summary` decodes to it as well.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Compaction = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.transform(
    /*#__PURE__*/ Schema.Literal("compaction", "compaction_summary"),
    /*#__PURE__*/ Schema.Literal("compaction"),
    {
      strict: true,
      decode: () => "compaction" as const,
      encode: (a) => a
    }
  ),
  encrypted_content: Schema.String
})

/**
 * A `compaction` item: the encrypted summary that replaces compacted history.
 *
 * @since 0.1.0
 * @category models
 */
export type Compaction = typeof Compaction.Type

/**
 * Schema of a `compaction_trigger` item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CompactionTrigger = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.Literal("compaction_trigger")
})

/**
 * A `compaction_trigger` item: asks the server to compact the history at this point.
 *
 * @since 0.1.0
 * @category models
 */
export type CompactionTrigger = typeof CompactionTrigger.Type

/**
 * Schema of a `context_compaction` item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContextCompaction = /*#__PURE__*/ Schema.Struct({
  type: /*#__PURE__*/ Schema.Literal("context_compaction"),
  encrypted_content: /*#__PURE__*/ optional(Schema.String)
})

/**
 * A `context_compaction` item: marks where the context was compacted, with optional encrypted
 * content.
 *
 * @since 0.1.0
 * @category models
 */
export type ContextCompaction = typeof ContextCompaction.Type

/**
 * An item of an unknown `type`. `raw` is the JSON as received; it re-serializes as
 * `{"type":"other"}`, as in the Codex CLI.
 *
 * @since 0.1.0
 * @category models
 */
export interface Other {
  readonly type: "other"
  readonly raw: unknown
}

/**
 * One item of a conversation, as sent in a request's `input` or received in a response's output:
 * messages, reasoning, tool calls and their outputs, compaction markers, and unknown items.
 *
 * @since 0.1.0
 * @category models
 */
export type ResponseItem =
  | Message
  | AgentMessage
  | Reasoning
  | LocalShellCall
  | FunctionCall
  | ToolSearchCall
  | FunctionCallOutput
  | CustomToolCall
  | CustomToolCallOutput
  | ToolSearchOutput
  | WebSearchCall
  | ImageGenerationCall
  | Compaction
  | CompactionTrigger
  | ContextCompaction
  | Other

// ---------------------------------------------------------------------------------------------
// decoding
// ---------------------------------------------------------------------------------------------

type Decoder = (u: unknown) => Either.Either<ResponseItem, ParseResult.ParseError>

// The variant schemas by wire `type`. Their parsers are compiled on first use (compiling all of them
// when the module loads cost every program that imports it, most of which never call `decode`).
const variants: Record<string, Schema.Schema.AnyNoContext> = {
  message: Message,
  agent_message: AgentMessage,
  reasoning: Reasoning,
  local_shell_call: LocalShellCall,
  function_call: FunctionCall,
  tool_search_call: ToolSearchCall,
  function_call_output: FunctionCallOutput,
  custom_tool_call: CustomToolCall,
  custom_tool_call_output: CustomToolCallOutput,
  tool_search_output: ToolSearchOutput,
  web_search_call: WebSearchCall,
  image_generation_call: ImageGenerationCall,
  compaction: Compaction,
  compaction_summary: Compaction,
  compaction_trigger: CompactionTrigger,
  context_compaction: ContextCompaction
}

const decoders = /*#__PURE__*/ new Map<string, Decoder>()

/** The decoder of a known `type`, compiled once. */
const variantDecoder = (type: string): Decoder | undefined => {
  let decoder = decoders.get(type)
  if (decoder === undefined && Object.hasOwn(variants, type)) {
    decoder = Schema.decodeUnknownEither(variants[type]!) as Decoder
    decoders.set(type, decoder)
  }
  return decoder
}

let decodeTagged: ((u: unknown) => Either.Either<{ readonly type: string }, ParseResult.ParseError>) | undefined

/**
 * The item types this module knows (plus the `compaction_summary` alias).
 *
 * @since 0.1.0
 * @category constants
 */
export const knownTypes: ReadonlySet<string> = /*#__PURE__*/ new Set(/*#__PURE__*/ Object.keys(variants))

/**
 * Decodes one wire item. Dispatches on `type` straight to that variant's schema (one lookup, no
 * union trial), so the per-event cost is one struct decode. An unknown `type` yields {@link Other};
 * a known `type` with malformed fields is a `ParseError` (like the Codex CLI, which never falls
 * back to `Other` for a known tag).
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = (u: unknown): Either.Either<ResponseItem, ParseResult.ParseError> => {
  const type = typeof u === "object" && u !== null ? (u as { readonly type?: unknown }).type : undefined
  if (typeof type === "string") {
    const variant = variantDecoder(type)
    return variant === undefined ? Either.right({ type: "other", raw: u }) : variant(u)
  }
  // Not an object with a string `type`: let the schema produce the error.
  decodeTagged ??= Schema.decodeUnknownEither(Schema.Struct({ type: Schema.String }))
  return Either.flatMap(decodeTagged(u), () => Either.right({ type: "other", raw: u }))
}

// ---------------------------------------------------------------------------------------------
// decoding without effect/Schema
// ---------------------------------------------------------------------------------------------

// A hand-written twin of the schemas above, for `fromWire`. It exists for the size of browser
// bundles: a program that streams Responses decodes every `response.output_item.*` item, and
// decoding them with the schemas would put `effect/Schema` (about 15 KB of a minified + gzipped
// bundle, `tooling/bench/size.mjs`) into every such bundle. The schemas stay the definition:
// test/ResponseItemFromWire.test.ts checks on generated valid and invalid items that both accept
// and reject the same inputs and decode them to the same values. Each check returns the decoded
// value or `invalid`.

const invalid: unique symbol = Symbol.for("@codex/protocol/ResponseItem/invalid")
type Check = (u: unknown) => unknown

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

const hasOwn = (u: object, key: string): boolean => Object.hasOwn(u, key)

const string: Check = (u) => (typeof u === "string" ? u : invalid)
const number: Check = (u) => (typeof u === "number" ? u : invalid)
const unknown: Check = (u) => u
const literal =
  (...values: ReadonlyArray<string>): Check =>
  (u) =>
    values.includes(u as string) ? u : invalid

const array =
  (item: Check): Check =>
  (u) => {
    if (!Array.isArray(u)) return invalid
    const out: Array<unknown> = []
    for (const element of u) {
      const value = item(element)
      if (value === invalid) return invalid
      out.push(value)
    }
    return out
  }

/** `Schema.Record({ key: Schema.String, value })`. */
const record =
  (value: Check): Check =>
  (u) => {
    if (!isRecord(u)) return invalid
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(u)) {
      const decoded = value(u[key])
      if (decoded === invalid) return invalid
      out[key] = decoded
    }
    return out
  }

/** How a struct field is read: as the schemas' plain field, `optional(...)` or `nullDefault(...)`. */
enum Field {
  /** Always read (a missing key is `undefined`). */
  Required,
  /** A missing key or `null` is left out; `undefined` is kept. */
  Optional,
  /** A missing key, `undefined` or `null` is `null`. */
  NullDefault
}

/** `Schema.Struct`: a record; known fields decoded in declaration order, other keys dropped. */
const struct =
  (fields: ReadonlyArray<readonly [name: string, field: Field, check: Check]>): Check =>
  (u) => {
    if (!isRecord(u)) return invalid
    const out: Record<string, unknown> = {}
    for (const [name, field, check] of fields) {
      const value = u[name]
      if (field !== Field.Required && (!hasOwn(u, name) || value === null || value === undefined)) {
        if (field === Field.NullDefault) out[name] = null
        else if (value === undefined && hasOwn(u, name)) out[name] = undefined
        continue
      }
      const decoded = check(value)
      if (decoded === invalid) return invalid
      out[name] = decoded
    }
    return out
  }

/** A union of structs told apart by their own `type` key. */
const tagged =
  (variants: Record<string, Check>): Check =>
  (u) =>
    isRecord(u) && hasOwn(u, "type") && hasOwn(variants, String(u.type)) ? variants[String(u.type)]!(u) : invalid

const typed = (type: string, fields: ReadonlyArray<readonly [string, Field, Check]>) =>
  struct([["type", Field.Required, literal(type)], ...fields])

const text = (type: string) => typed(type, [["text", Field.Required, string]])
const inputImage = typed("input_image", [
  ["image_url", Field.Required, string],
  ["detail", Field.Optional, literal("auto", "low", "high", "original")]
])
const encryptedContent = typed("encrypted_content", [["encrypted_content", Field.Required, string]])
const functionCallOutputItems = array(
  tagged({ input_text: text("input_text"), input_image: inputImage, encrypted_content: encryptedContent })
)
const payload: Check = (u) => (typeof u === "string" ? u : functionCallOutputItems(u))

const webSearchActions: Record<string, Check> = {
  search: typed("search", [
    ["query", Field.Optional, string],
    ["queries", Field.Optional, array(string)]
  ]),
  open_page: typed("open_page", [["url", Field.Optional, string]]),
  find_in_page: typed("find_in_page", [
    ["url", Field.Optional, string],
    ["pattern", Field.Optional, string]
  ])
}
const webSearchAction: Check = (u) => {
  if (!isRecord(u)) return invalid
  if (hasOwn(u, "type") && hasOwn(webSearchActions, String(u.type))) return webSearchActions[String(u.type)]!(u)
  return typeof u.type === "string" ? { type: "other" } : invalid
}

const compaction = struct([
  ["type", Field.Required, (u) => (u === "compaction" || u === "compaction_summary" ? "compaction" : invalid)],
  ["encrypted_content", Field.Required, string]
])

const fromWireVariants: Record<string, Check> = {
  message: typed("message", [
    ["id", Field.Optional, string],
    ["role", Field.Required, string],
    [
      "content",
      Field.Required,
      array(tagged({ input_text: text("input_text"), input_image: inputImage, output_text: text("output_text") }))
    ],
    ["phase", Field.Optional, literal("commentary", "final_answer")]
  ]),
  agent_message: typed("agent_message", [
    ["author", Field.Required, string],
    ["recipient", Field.Required, string],
    ["content", Field.Required, array(encryptedContent)]
  ]),
  reasoning: typed("reasoning", [
    ["id", Field.Optional, string],
    ["summary", Field.Required, array(text("summary_text"))],
    ["content", Field.Optional, array(tagged({ reasoning_text: text("reasoning_text"), text: text("text") }))],
    ["encrypted_content", Field.NullDefault, string]
  ]),
  local_shell_call: typed("local_shell_call", [
    ["id", Field.Optional, string],
    ["call_id", Field.NullDefault, string],
    ["status", Field.Required, literal("completed", "in_progress", "incomplete")],
    [
      "action",
      Field.Required,
      typed("exec", [
        ["command", Field.Required, array(string)],
        ["timeout_ms", Field.NullDefault, number],
        ["working_directory", Field.NullDefault, string],
        ["env", Field.NullDefault, record(string)],
        ["user", Field.NullDefault, string]
      ])
    ]
  ]),
  function_call: typed("function_call", [
    ["id", Field.Optional, string],
    ["name", Field.Required, string],
    ["namespace", Field.Optional, string],
    ["arguments", Field.Required, string],
    ["call_id", Field.Required, string]
  ]),
  tool_search_call: typed("tool_search_call", [
    ["id", Field.Optional, string],
    ["call_id", Field.NullDefault, string],
    ["status", Field.Optional, string],
    ["execution", Field.Required, string],
    ["arguments", Field.Required, unknown]
  ]),
  function_call_output: typed("function_call_output", [
    ["call_id", Field.Required, string],
    ["output", Field.Required, payload]
  ]),
  custom_tool_call: typed("custom_tool_call", [
    ["id", Field.Optional, string],
    ["status", Field.Optional, string],
    ["call_id", Field.Required, string],
    ["name", Field.Required, string],
    ["input", Field.Required, string]
  ]),
  custom_tool_call_output: typed("custom_tool_call_output", [
    ["call_id", Field.Required, string],
    ["name", Field.Optional, string],
    ["output", Field.Required, payload]
  ]),
  tool_search_output: typed("tool_search_output", [
    ["call_id", Field.NullDefault, string],
    ["status", Field.Required, string],
    ["execution", Field.Required, string],
    ["tools", Field.Required, array(unknown)]
  ]),
  web_search_call: typed("web_search_call", [
    ["id", Field.Optional, string],
    ["status", Field.Optional, string],
    ["action", Field.Optional, webSearchAction]
  ]),
  image_generation_call: typed("image_generation_call", [
    ["id", Field.Required, string],
    ["status", Field.Required, string],
    ["revised_prompt", Field.Optional, string],
    ["result", Field.Required, string]
  ]),
  compaction,
  compaction_summary: compaction,
  compaction_trigger: typed("compaction_trigger", []),
  context_compaction: typed("context_compaction", [["encrypted_content", Field.Optional, string]])
}

/**
 * Decodes one wire item like {@link decode}, without building a `ParseError`: the item, or
 * `undefined` where `decode` fails. It accepts and rejects exactly what the schemas do, with the
 * same decoded values; it is written without `effect/Schema` so that programs which only stream
 * responses (the Responses clients use it for `response.output_item.*` events) bundle without it.
 *
 * @example
 * ```ts
 * import * as ResponseItem from "@codex/protocol/ResponseItem"
 *
 * // { type: "message", role: "assistant", content: [{ type: "output_text", text: "Hi" }] }
 * ResponseItem.fromWire({ type: "message", role: "assistant", content: [{ type: "output_text", text: "Hi" }] })
 * // undefined: a known type with a malformed field
 * ResponseItem.fromWire({ type: "function_call", name: 42 })
 * ```
 *
 * @since 0.1.0
 * @category decoding
 */
export const fromWire = (u: unknown): ResponseItem | undefined => {
  const type = typeof u === "object" && u !== null ? (u as { readonly type?: unknown }).type : undefined
  if (typeof type !== "string") return undefined
  if (!hasOwn(fromWireVariants, type)) return { type: "other", raw: u }
  const decoded = fromWireVariants[type]!(u)
  return decoded === invalid ? undefined : (decoded as ResponseItem)
}

/**
 * Effectful {@link decode}.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeUnknown = (u: unknown): Effect.Effect<ResponseItem, ParseResult.ParseError> => {
  const result = decode(u)
  return Either.isRight(result) ? Effect.succeed(result.right) : Effect.fail(result.left)
}

// ---------------------------------------------------------------------------------------------
// encoding
// ---------------------------------------------------------------------------------------------

const contentItemToWire = (item: ContentItem | FunctionCallOutputContentItem): Record<string, unknown> => {
  switch (item.type) {
    case "input_image":
      return item.detail === undefined
        ? { type: "input_image", image_url: item.image_url }
        : { type: "input_image", image_url: item.image_url, detail: item.detail }
    case "encrypted_content":
      return { type: "encrypted_content", encrypted_content: item.encrypted_content }
    default:
      return { type: item.type, text: item.text }
  }
}

const payloadToWire = (payload: FunctionCallOutputPayload): unknown =>
  typeof payload === "string" ? payload : payload.map(contentItemToWire)

const webSearchActionToWire = (action: WebSearchAction): Record<string, unknown> => {
  switch (action.type) {
    case "search": {
      const out: Record<string, unknown> = { type: "search" }
      if (action.query !== undefined) out.query = action.query
      if (action.queries !== undefined) out.queries = [...action.queries]
      return out
    }
    case "open_page":
      return action.url === undefined ? { type: "open_page" } : { type: "open_page", url: action.url }
    case "find_in_page": {
      const out: Record<string, unknown> = { type: "find_in_page" }
      if (action.url !== undefined) out.url = action.url
      if (action.pattern !== undefined) out.pattern = action.pattern
      return out
    }
    default:
      return { type: "other" }
  }
}

/**
 * The exact wire JSON of an item (key order as the Codex CLI writes it). Read-only ids are
 * not written, except `image_generation_call`'s.
 *
 * @since 0.1.0
 * @category encoding
 */
export const toWire = (item: ResponseItem): Record<string, unknown> => {
  switch (item.type) {
    case "message": {
      const out: Record<string, unknown> = {
        type: "message",
        role: item.role,
        content: item.content.map(contentItemToWire)
      }
      if (item.phase !== undefined) out.phase = item.phase
      return out
    }
    case "agent_message":
      return {
        type: "agent_message",
        author: item.author,
        recipient: item.recipient,
        content: item.content.map(contentItemToWire)
      }
    case "reasoning": {
      const out: Record<string, unknown> = {
        type: "reasoning",
        summary: item.summary.map((s) => ({ type: "summary_text", text: s.text }))
      }
      // Reference quirk: absent content → null; content without any reasoning_text → omitted.
      if (item.content === undefined) out.content = null
      else if (item.content.some((c) => c.type === "reasoning_text"))
        out.content = item.content.map((c) => ({ type: c.type, text: c.text }))
      out.encrypted_content = item.encrypted_content
      return out
    }
    case "local_shell_call":
      return {
        type: "local_shell_call",
        call_id: item.call_id,
        status: item.status,
        action: {
          type: "exec",
          command: [...item.action.command],
          timeout_ms: item.action.timeout_ms,
          working_directory: item.action.working_directory,
          env: item.action.env,
          user: item.action.user
        }
      }
    case "function_call": {
      const out: Record<string, unknown> = { type: "function_call", name: item.name }
      if (item.namespace !== undefined) out.namespace = item.namespace
      out.arguments = item.arguments
      out.call_id = item.call_id
      return out
    }
    case "tool_search_call": {
      const out: Record<string, unknown> = { type: "tool_search_call", call_id: item.call_id }
      if (item.status !== undefined) out.status = item.status
      out.execution = item.execution
      out.arguments = item.arguments
      return out
    }
    case "function_call_output":
      return { type: "function_call_output", call_id: item.call_id, output: payloadToWire(item.output) }
    case "custom_tool_call": {
      const out: Record<string, unknown> = { type: "custom_tool_call" }
      if (item.status !== undefined) out.status = item.status
      out.call_id = item.call_id
      out.name = item.name
      out.input = item.input
      return out
    }
    case "custom_tool_call_output": {
      const out: Record<string, unknown> = { type: "custom_tool_call_output", call_id: item.call_id }
      if (item.name !== undefined) out.name = item.name
      out.output = payloadToWire(item.output)
      return out
    }
    case "tool_search_output":
      return {
        type: "tool_search_output",
        call_id: item.call_id,
        status: item.status,
        execution: item.execution,
        tools: [...item.tools]
      }
    case "web_search_call": {
      const out: Record<string, unknown> = { type: "web_search_call" }
      if (item.status !== undefined) out.status = item.status
      if (item.action !== undefined) out.action = webSearchActionToWire(item.action)
      return out
    }
    case "image_generation_call": {
      const out: Record<string, unknown> = { type: "image_generation_call", id: item.id, status: item.status }
      if (item.revised_prompt !== undefined) out.revised_prompt = item.revised_prompt
      out.result = item.result
      return out
    }
    case "compaction":
      return { type: "compaction", encrypted_content: item.encrypted_content }
    case "compaction_trigger":
      return { type: "compaction_trigger" }
    case "context_compaction":
      return item.encrypted_content === undefined
        ? { type: "context_compaction" }
        : { type: "context_compaction", encrypted_content: item.encrypted_content }
    case "other":
      return { type: "other" }
  }
}

/**
 * The item's id when it has a non-empty one (`reasoning`, `message`, `web_search_call`,
 * `function_call`, `tool_search_call`, `local_shell_call`, `custom_tool_call`): exactly the items
 * whose ids the Azure `store: true` path re-attaches. Other variants return `undefined`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const itemId = (item: ResponseItem): string | undefined => {
  switch (item.type) {
    case "reasoning":
    case "message":
    case "web_search_call":
    case "function_call":
    case "tool_search_call":
    case "local_shell_call":
    case "custom_tool_call":
      return item.id === undefined || item.id === "" ? undefined : item.id
    default:
      return undefined
  }
}

/**
 * {@link toWire} plus `"id"` when {@link itemId} has one (Azure re-attachment).
 *
 * @since 0.1.0
 * @category encoding
 */
export const toWireWithId = (item: ResponseItem): Record<string, unknown> => {
  const out = toWire(item)
  const id = itemId(item)
  if (id !== undefined) out.id = id
  return out
}

/**
 * Schema from wire JSON to {@link ResponseItem} (decode = {@link decode}, encode = {@link toWire}).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ResponseItemFromWire: Schema.Schema<ResponseItem, unknown> = /*#__PURE__*/ Schema.transformOrFail(
  Schema.Unknown,
  /*#__PURE__*/ Schema.declare((u): u is ResponseItem => typeof u === "object" && u !== null && "type" in u, {
    identifier: "ResponseItem"
  }),
  {
    strict: true,
    decode: (u) => Either.mapLeft(decode(u), (e) => e.issue),
    encode: (item) => ParseResult.succeed(toWire(item))
  }
).annotations({ identifier: "@codex/protocol/ResponseItem" })
