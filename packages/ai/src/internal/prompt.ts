/**
 * `@effect/ai` provider options (prompt, tools, tool choice, response format) → a typed
 * `ResponsesApiRequest`.
 * @internal
 */
import * as ResponsesRequest from "@codex/api/ResponsesRequest"
import type * as ResponseItem from "@codex/protocol/ResponseItem"
import type * as AiError from "@effect/ai/AiError"
import type * as LanguageModel from "@effect/ai/LanguageModel"
import type * as Prompt from "@effect/ai/Prompt"
import * as Tool from "@effect/ai/Tool"
import * as Effect from "effect/Effect"
import * as Encoding from "effect/Encoding"
import type { Config } from "../CodexLanguageModel.js"
import { malformedInput } from "./errors.js"

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * A tool result as `function_call_output.output`: strings as they are, anything else as JSON.
 * @internal
 */
export const toolOutput = (result: unknown): string =>
  typeof result === "string" ? result : (JSON.stringify(result) ?? "null")

const imageUrl = (part: Prompt.FilePart): string => {
  const mediaType = part.mediaType === "image/*" ? "image/png" : part.mediaType
  if (part.data instanceof URL) return part.data.toString()
  if (part.data instanceof Uint8Array) return `data:${mediaType};base64,${Encoding.encodeBase64(part.data)}`
  // A string is a URL (http(s) or data:) when it looks like one, else base64 data.
  return /^(?:https?:|data:)/i.test(part.data) ? part.data : `data:${mediaType};base64,${part.data}`
}

const userContent = (
  message: Prompt.UserMessage,
  method: string
): Effect.Effect<Array<ResponseItem.ContentItem>, AiError.MalformedInput> =>
  Effect.suspend(() => {
    const content: Array<ResponseItem.ContentItem> = []
    for (const part of message.content) {
      if (part.type === "text") content.push({ type: "input_text", text: part.text })
      else if (part.mediaType.startsWith("image/")) content.push({ type: "input_image", image_url: imageUrl(part) })
      else {
        return Effect.fail(
          malformedInput(
            method,
            `file '${part.fileName ?? part.mediaType}' (${part.mediaType}) cannot be sent: only images are supported`
          )
        )
      }
    }
    return Effect.succeed(content)
  })

/** The prompt as Responses input items, and its system messages as instructions. */
const toInput = (
  prompt: Prompt.Prompt,
  method: string
): Effect.Effect<
  { readonly instructions: Array<string>; readonly input: Array<ResponseItem.ResponseItem> },
  AiError.MalformedInput
> =>
  Effect.gen(function* () {
    const instructions: Array<string> = []
    const input: Array<ResponseItem.ResponseItem> = []
    for (const message of prompt.content) {
      switch (message.role) {
        case "system":
          instructions.push(message.content)
          break
        case "user":
          input.push({ type: "message", role: "user", content: yield* userContent(message, method) })
          break
        case "assistant":
          for (const part of message.content) {
            if (part.type === "text") {
              input.push({ type: "message", role: "assistant", content: [{ type: "output_text", text: part.text }] })
            } else if (part.type === "tool-call" && !part.providerExecuted) {
              input.push({
                type: "function_call",
                name: part.name,
                arguments: JSON.stringify(part.params ?? {}),
                call_id: part.id
              })
            }
            // Reasoning (no encrypted content to send back with `store: false`), files and
            // provider-executed tool results are not replayed.
          }
          break
        case "tool":
          for (const part of message.content) {
            input.push({ type: "function_call_output", call_id: part.id, output: toolOutput(part.result) })
          }
          break
      }
    }
    return { instructions, input }
  })

const functionTools = (
  tools: ReadonlyArray<Tool.Any>,
  strict: boolean,
  method: string
): Effect.Effect<Array<Record<string, unknown>>, AiError.MalformedInput> =>
  Effect.suspend(() => {
    const out: Array<Record<string, unknown>> = []
    for (const tool of tools) {
      if (Tool.isProviderDefined(tool)) {
        return Effect.fail(
          malformedInput(method, `tool '${tool.name}' is provider-defined; only function tools can be sent`)
        )
      }
      const description = tool.description ?? Tool.getDescriptionFromSchemaAst(tool.parametersSchema.ast)
      out.push({
        type: "function",
        name: tool.name,
        ...(description === undefined ? {} : { description }),
        strict,
        parameters: Tool.getJsonSchemaFromSchemaAst(tool.parametersSchema.ast)
      })
    }
    return Effect.succeed(out)
  })

/** `{ tool }` becomes `required` over that tool alone (the typed request carries a mode string). */
const toolSelection = (
  options: LanguageModel.ProviderOptions
): { readonly tools: ReadonlyArray<Tool.Any>; readonly toolChoice: string } => {
  const choice = options.toolChoice
  if (options.tools.length === 0) return { tools: [], toolChoice: "auto" }
  if (typeof choice === "string") return { tools: options.tools, toolChoice: choice }
  if ("tool" in choice) {
    return { tools: options.tools.filter((tool) => tool.name === choice.tool), toolChoice: "required" }
  }
  // `oneOf`: @effect/ai already narrowed `tools` to the allowed ones.
  return { tools: options.tools, toolChoice: choice.mode === "required" ? "required" : "auto" }
}

/**
 * The request for one `generateText` / `streamText` call.
 * @internal
 */
export const toRequest = (
  options: LanguageModel.ProviderOptions,
  config: Config.Service & { readonly model: string },
  method: string
): Effect.Effect<ResponsesRequest.ResponsesApiRequest, AiError.MalformedInput> =>
  Effect.gen(function* () {
    const { input, instructions } = yield* toInput(options.prompt, method)
    if (config.instructions !== undefined) instructions.unshift(config.instructions)
    const selection = toolSelection(options)
    const tools = yield* functionTools(selection.tools, config.strictTools ?? false, method)
    const schema =
      options.responseFormat.type === "json"
        ? Tool.getJsonSchemaFromSchemaAst(options.responseFormat.schema.ast)
        : undefined
    const request: Mutable<ResponsesRequest.ResponsesApiRequest> = {
      model: config.model,
      instructions: instructions.join("\n\n"),
      input,
      tools,
      toolChoice: selection.toolChoice,
      parallelToolCalls: config.parallelToolCalls ?? true,
      store: config.store ?? false,
      stream: true,
      include: config.include ?? []
    }
    if (config.reasoning !== undefined) request.reasoning = config.reasoning
    if (config.serviceTier !== undefined) request.serviceTier = config.serviceTier
    if (config.promptCacheKey !== undefined) request.promptCacheKey = config.promptCacheKey
    if (config.clientMetadata !== undefined) request.clientMetadata = config.clientMetadata
    const text = ResponsesRequest.createTextParamForRequest(config.verbosity, schema, config.strictJsonSchema ?? true)
    if (text !== undefined) request.text = text
    return request
  })
