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
export const ImageDetail = Schema.Literal("auto", "low", "high", "original")

/**
 * Image detail level of an `input_image` content item: `"auto"`, `"low"`, `"high"` or `"original"`.
 *
 * @since 0.1.0
 * @category models
 */
export type ImageDetail = typeof ImageDetail.Type

const optional = <S extends Schema.Schema.Any>(schema: S) => Schema.optionalWith(schema, { nullable: true })

/**
 * Schema of an `input_text` content item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const InputText = Schema.Struct({ type: Schema.Literal("input_text"), text: Schema.String })

/**
 * Schema of an `input_image` content item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const InputImage = Schema.Struct({
  type: Schema.Literal("input_image"),
  image_url: Schema.String,
  detail: optional(ImageDetail)
})

/**
 * Schema of an `output_text` content item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OutputText = Schema.Struct({ type: Schema.Literal("output_text"), text: Schema.String })

/**
 * Content of a `message` item (tagged by `type`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContentItem = Schema.Union(InputText, InputImage, OutputText)

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
export const EncryptedContent = Schema.Struct({
  type: Schema.Literal("encrypted_content"),
  encrypted_content: Schema.String
})

/**
 * One entry of an array-shaped function-call output.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FunctionCallOutputContentItem = Schema.Union(InputText, InputImage, EncryptedContent)

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
export const FunctionCallOutputPayload = Schema.Union(Schema.String, Schema.Array(FunctionCallOutputContentItem))

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
  Schema.optionalWith(Schema.NullOr(schema), { default: () => null })

/**
 * Assistant message phase.
 *
 * @since 0.1.0
 * @category models
 */
export const MessagePhase = Schema.Literal("commentary", "final_answer")

/**
 * Schema of a `message` item: a role and its content items.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Message = Schema.Struct({
  type: Schema.Literal("message"),
  id: optional(Schema.String),
  role: Schema.String,
  content: Schema.Array(ContentItem),
  phase: optional(MessagePhase)
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
export const AgentMessage = Schema.Struct({
  type: Schema.Literal("agent_message"),
  author: Schema.String,
  recipient: Schema.String,
  content: Schema.Array(EncryptedContent)
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
export const ReasoningSummaryText = Schema.Struct({ type: Schema.Literal("summary_text"), text: Schema.String })

/**
 * Schema of one reasoning content item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReasoningContentItem = Schema.Union(
  Schema.Struct({ type: Schema.Literal("reasoning_text"), text: Schema.String }),
  Schema.Struct({ type: Schema.Literal("text"), text: Schema.String })
)

/**
 * Schema of a `reasoning` item: summary, optional content and encrypted content.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Reasoning = Schema.Struct({
  type: Schema.Literal("reasoning"),
  id: optional(Schema.String),
  summary: Schema.Array(ReasoningSummaryText),
  content: optional(Schema.Array(ReasoningContentItem)),
  encrypted_content: nullDefault(Schema.String)
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
export const LocalShellStatus = Schema.Literal("completed", "in_progress", "incomplete")

/**
 * Schema of the command of a local shell call.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LocalShellExecAction = Schema.Struct({
  type: Schema.Literal("exec"),
  command: Schema.Array(Schema.String),
  timeout_ms: nullDefault(Schema.Number),
  working_directory: nullDefault(Schema.String),
  env: nullDefault(Schema.Record({ key: Schema.String, value: Schema.String })),
  user: nullDefault(Schema.String)
})

/**
 * Schema of a `local_shell_call` item.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LocalShellCall = Schema.Struct({
  type: Schema.Literal("local_shell_call"),
  id: optional(Schema.String),
  call_id: nullDefault(Schema.String),
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
export const FunctionCall = Schema.Struct({
  type: Schema.Literal("function_call"),
  id: optional(Schema.String),
  name: Schema.String,
  namespace: optional(Schema.String),
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
export const ToolSearchCall = Schema.Struct({
  type: Schema.Literal("tool_search_call"),
  id: optional(Schema.String),
  call_id: nullDefault(Schema.String),
  status: optional(Schema.String),
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
export const FunctionCallOutput = Schema.Struct({
  type: Schema.Literal("function_call_output"),
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
export const CustomToolCall = Schema.Struct({
  type: Schema.Literal("custom_tool_call"),
  id: optional(Schema.String),
  status: optional(Schema.String),
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
export const CustomToolCallOutput = Schema.Struct({
  type: Schema.Literal("custom_tool_call_output"),
  call_id: Schema.String,
  name: optional(Schema.String),
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
export const ToolSearchOutput = Schema.Struct({
  type: Schema.Literal("tool_search_output"),
  call_id: nullDefault(Schema.String),
  status: Schema.String,
  execution: Schema.String,
  tools: Schema.Array(Schema.Unknown)
})

/**
 * A `tool_search_output` item: the result of a tool search.
 *
 * @since 0.1.0
 * @category models
 */
export type ToolSearchOutput = typeof ToolSearchOutput.Type

const webSearchActionTypes: ReadonlySet<string> = new Set(["search", "open_page", "find_in_page"])

/**
 * Action of a `web_search_call`. Unknown action types decode to `{"type":"other"}`; a known type
 * with malformed fields (e.g. `{"type":"search","query":42}`) fails to decode, as in the Codex CLI,
 * so the whole item fails and a stream skips it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WebSearchAction = Schema.Union(
  Schema.Struct({
    type: Schema.Literal("search"),
    query: optional(Schema.String),
    queries: optional(Schema.Array(Schema.String))
  }),
  Schema.Struct({ type: Schema.Literal("open_page"), url: optional(Schema.String) }),
  Schema.Struct({
    type: Schema.Literal("find_in_page"),
    url: optional(Schema.String),
    pattern: optional(Schema.String)
  }),
  Schema.transform(
    Schema.Struct({
      type: Schema.String.pipe(
        Schema.filter((type) => !webSearchActionTypes.has(type), {
          message: () => "a known web search action type with invalid fields"
        })
      )
    }),
    Schema.Struct({ type: Schema.Literal("other") }),
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
export const WebSearchCall = Schema.Struct({
  type: Schema.Literal("web_search_call"),
  id: optional(Schema.String),
  status: optional(Schema.String),
  action: optional(WebSearchAction)
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
export const ImageGenerationCall = Schema.Struct({
  type: Schema.Literal("image_generation_call"),
  id: Schema.String,
  status: Schema.String,
  revised_prompt: optional(Schema.String),
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
export const Compaction = Schema.Struct({
  type: Schema.transform(Schema.Literal("compaction", "compaction_summary"), Schema.Literal("compaction"), {
    strict: true,
    decode: () => "compaction" as const,
    encode: (a) => a
  }),
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
export const CompactionTrigger = Schema.Struct({ type: Schema.Literal("compaction_trigger") })

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
export const ContextCompaction = Schema.Struct({
  type: Schema.Literal("context_compaction"),
  encrypted_content: optional(Schema.String)
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

const variants: Record<string, Decoder> = {
  message: Schema.decodeUnknownEither(Message),
  agent_message: Schema.decodeUnknownEither(AgentMessage),
  reasoning: Schema.decodeUnknownEither(Reasoning),
  local_shell_call: Schema.decodeUnknownEither(LocalShellCall),
  function_call: Schema.decodeUnknownEither(FunctionCall),
  tool_search_call: Schema.decodeUnknownEither(ToolSearchCall),
  function_call_output: Schema.decodeUnknownEither(FunctionCallOutput),
  custom_tool_call: Schema.decodeUnknownEither(CustomToolCall),
  custom_tool_call_output: Schema.decodeUnknownEither(CustomToolCallOutput),
  tool_search_output: Schema.decodeUnknownEither(ToolSearchOutput),
  web_search_call: Schema.decodeUnknownEither(WebSearchCall),
  image_generation_call: Schema.decodeUnknownEither(ImageGenerationCall),
  compaction: Schema.decodeUnknownEither(Compaction),
  compaction_summary: Schema.decodeUnknownEither(Compaction),
  compaction_trigger: Schema.decodeUnknownEither(CompactionTrigger),
  context_compaction: Schema.decodeUnknownEither(ContextCompaction)
}

const decodeTagged = Schema.decodeUnknownEither(Schema.Struct({ type: Schema.String }))

/**
 * The item types this module knows (plus the `compaction_summary` alias).
 *
 * @since 0.1.0
 * @category constants
 */
export const knownTypes: ReadonlySet<string> = new Set(Object.keys(variants))

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
    const variant = Object.hasOwn(variants, type) ? variants[type] : undefined
    return variant === undefined ? Either.right({ type: "other", raw: u }) : variant(u)
  }
  // Not an object with a string `type`: let the schema produce the error.
  return Either.flatMap(decodeTagged(u), () => Either.right({ type: "other", raw: u }))
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
export const ResponseItemFromWire: Schema.Schema<ResponseItem, unknown> = Schema.transformOrFail(
  Schema.Unknown,
  Schema.declare((u): u is ResponseItem => typeof u === "object" && u !== null && "type" in u, {
    identifier: "ResponseItem"
  }),
  {
    strict: true,
    decode: (u) => Either.mapLeft(decode(u), (e) => e.issue),
    encode: (item) => ParseResult.succeed(toWire(item))
  }
).annotations({ identifier: "@codex/protocol/ResponseItem" })
