/**
 * `ResponseItem.fromWire` (hand-written, no effect/Schema) against `ResponseItem.decode` (the
 * schemas): on generated valid items, on mutations of them and on hand-picked inputs, both must
 * accept and reject the same inputs and decode them to the same values (same keys, same order,
 * `undefined`-valued keys included).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as ResponseItem from "../src/ResponseItem.js"

/** Every key path of a value in order, so that two values with the same keys in another order differ. */
const keyPaths = (value: unknown, path = "", out: Array<string> = []): Array<string> => {
  if (typeof value === "object" && value !== null) {
    for (const key of Object.keys(value)) {
      out.push(`${path}/${key}`)
      keyPaths((value as Record<string, unknown>)[key], `${path}/${key}`, out)
    }
  }
  return out
}

/** Both decoders agree on `u`; returns whether the schemas accepted it. */
const agree = (u: unknown): boolean => {
  const schema = ResponseItem.decode(u)
  const fast = ResponseItem.fromWire(u)
  if (Either.isLeft(schema)) {
    expect(fast, `fromWire accepted what the schema rejects: ${String(schema.left.message)}`).toBeUndefined()
    return false
  }
  expect(fast, "fromWire rejected what the schema accepts").toStrictEqual(schema.right)
  expect(keyPaths(fast)).toEqual(keyPaths(schema.right))
  return true
}

const variants = {
  message: ResponseItem.Message,
  agent_message: ResponseItem.AgentMessage,
  reasoning: ResponseItem.Reasoning,
  local_shell_call: ResponseItem.LocalShellCall,
  function_call: ResponseItem.FunctionCall,
  tool_search_call: ResponseItem.ToolSearchCall,
  function_call_output: ResponseItem.FunctionCallOutput,
  custom_tool_call: ResponseItem.CustomToolCall,
  custom_tool_call_output: ResponseItem.CustomToolCallOutput,
  tool_search_output: ResponseItem.ToolSearchOutput,
  web_search_call: ResponseItem.WebSearchCall,
  image_generation_call: ResponseItem.ImageGenerationCall,
  compaction: ResponseItem.Compaction,
  compaction_trigger: ResponseItem.CompactionTrigger,
  context_compaction: ResponseItem.ContextCompaction
}

/** Wire items of every variant: the encoded side of each schema, as the server could send it. */
const wireItem: FastCheck.Arbitrary<unknown> = FastCheck.oneof(
  ...Object.values(variants).map((schema) => Arbitrary.make(Schema.encodedSchema(schema as Schema.Schema.AnyNoContext)))
)

/** The field names of every variant and content item. */
const fieldNames = [
  "type",
  "id",
  "role",
  "content",
  "phase",
  "text",
  "image_url",
  "detail",
  "encrypted_content",
  "author",
  "recipient",
  "summary",
  "call_id",
  "status",
  "action",
  "command",
  "timeout_ms",
  "working_directory",
  "env",
  "user",
  "name",
  "namespace",
  "arguments",
  "execution",
  "output",
  "input",
  "tools",
  "query",
  "queries",
  "url",
  "pattern",
  "revised_prompt",
  "result"
]

const typeNames = [
  ...ResponseItem.knownTypes,
  "input_text",
  "input_image",
  "output_text",
  "encrypted_content",
  "summary_text",
  "reasoning_text",
  "text",
  "exec",
  "search",
  "open_page",
  "find_in_page",
  "something_new"
]

/** Values a field can take when the server sends something unexpected. */
const junk: FastCheck.Arbitrary<unknown> = FastCheck.oneof(
  FastCheck.constantFrom(null, undefined, true, 0, -1, 1.5, "", "x", [], {}, ["x"], [1], [null], { type: 1 }),
  FastCheck.constantFrom(...typeNames),
  FastCheck.constantFrom(...typeNames).map((type) => ({ type })),
  FastCheck.constantFrom(...typeNames).map((type) => [{ type, text: "t" }]),
  FastCheck.jsonValue({ maxDepth: 2 })
)

type Mutation =
  | { readonly _tag: "delete"; readonly at: number; readonly key: string }
  | { readonly _tag: "set"; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly _tag: "replace"; readonly at: number; readonly value: unknown }

const mutation: FastCheck.Arbitrary<Mutation> = FastCheck.oneof(
  FastCheck.record({
    _tag: FastCheck.constant("delete" as const),
    at: FastCheck.nat(),
    key: FastCheck.constantFrom(...fieldNames)
  }),
  FastCheck.record({
    _tag: FastCheck.constant("set" as const),
    at: FastCheck.nat(),
    key: FastCheck.constantFrom(...fieldNames),
    value: junk
  }),
  FastCheck.record({ _tag: FastCheck.constant("replace" as const), at: FastCheck.nat(), value: junk })
)

/** The objects and arrays inside `value` (itself first), to pick a mutation target from. */
const containers = (value: unknown, out: Array<Record<string, unknown> | Array<unknown>> = []) => {
  if (typeof value === "object" && value !== null) {
    out.push(value as Record<string, unknown>)
    for (const child of Object.values(value)) containers(child, out)
  }
  return out
}

/** A deep copy of `item` with the mutations applied (each on one object or array inside it). */
const mutate = (item: unknown, mutations: ReadonlyArray<Mutation>): unknown => {
  const root = structuredClone({ item })
  for (const m of mutations) {
    const targets = containers(root.item)
    if (targets.length === 0) break
    const target = targets[m.at % targets.length]! as Record<string, unknown>
    switch (m._tag) {
      case "delete":
        delete target[Array.isArray(target) ? String(m.at % Math.max(1, target.length)) : m.key]
        break
      case "set":
        target[m.key] = structuredClone(m.value)
        break
      case "replace": {
        // replace one child of the target (an element or a field) by a junk value
        const keys = Object.keys(target)
        if (keys.length > 0) target[keys[m.at % keys.length]!] = structuredClone(m.value)
      }
    }
  }
  return root.item
}

describe("ResponseItem.fromWire agrees with the schemas (ResponseItem.decode)", () => {
  it("on generated wire items of every variant", () => {
    let accepted = 0
    FastCheck.assert(
      FastCheck.property(wireItem, (u) => {
        if (agree(u)) accepted++
      }),
      { numRuns: 3000 }
    )
    // the encoded side of the schemas is not always valid (e.g. a known web search action type
    // with other fields), but most generated items are
    expect(accepted).toBeGreaterThan(2000)
  })

  it("on mutated wire items (fields deleted, set to unexpected values, types swapped)", () => {
    let accepted = 0
    let rejected = 0
    FastCheck.assert(
      FastCheck.property(wireItem, FastCheck.array(mutation, { minLength: 1, maxLength: 3 }), (u, mutations) => {
        if (agree(mutate(u, mutations))) accepted++
        else rejected++
      }),
      { numRuns: 6000 }
    )
    // both outcomes are exercised many times
    expect(accepted).toBeGreaterThan(500)
    expect(rejected).toBeGreaterThan(500)
  })

  it("on arbitrary values and objects with a known type", () => {
    FastCheck.assert(
      FastCheck.property(
        FastCheck.oneof(
          FastCheck.anything(),
          FastCheck.dictionary(FastCheck.constantFrom(...fieldNames), junk).chain((fields) =>
            FastCheck.constantFrom(...typeNames).map((type) => ({ ...fields, type }))
          )
        ),
        (u) => {
          agree(u)
        }
      ),
      { numRuns: 3000 }
    )
  })

  it("on hand-picked items and edge cases", () => {
    const accepted = [
      {
        type: "message",
        role: "user",
        content: [
          { type: "input_text", text: "hi" },
          { type: "input_image", image_url: "data:image/png;base64,AA", detail: "original" },
          { type: "input_image", image_url: "u", detail: null },
          { type: "output_text", text: "out", extra: 1 }
        ],
        phase: "final_answer",
        id: "msg_1"
      },
      { phase: undefined, id: undefined, content: [], role: "user", type: "message" },
      { type: "reasoning", summary: [{ type: "summary_text", text: "s" }], content: null, encrypted_content: null },
      { type: "reasoning", summary: [], content: [{ type: "text", text: "t" }], encrypted_content: undefined },
      {
        type: "local_shell_call",
        status: "completed",
        action: { type: "exec", command: ["ls"], env: { b: "x", a: "y" } }
      },
      {
        type: "local_shell_call",
        call_id: null,
        status: "in_progress",
        action: { type: "exec", command: [], user: undefined }
      },
      { type: "tool_search_call", execution: "x" },
      { type: "tool_search_output", status: "s", execution: "e", tools: [1, { a: 2 }] },
      { type: "web_search_call", action: { type: "weird", x: 1 } },
      { type: "web_search_call", action: { type: "search", query: null, queries: ["a"] } },
      { type: "web_search_call", action: null, status: "completed" },
      { type: "compaction_summary", encrypted_content: "e" },
      { type: "function_call_output", call_id: "c", output: "plain" },
      {
        type: "custom_tool_call_output",
        call_id: "c",
        name: null,
        output: [{ type: "encrypted_content", encrypted_content: "x" }]
      },
      { type: "image_generation_call", id: "ig", status: "completed", revised_prompt: null, result: "b64" },
      { type: "something_new", anything: [1, 2] },
      { type: "context_compaction" }
    ]
    const rejected = [
      null,
      1,
      "x",
      [],
      {},
      { type: 3 },
      [{ type: "message" }],
      { type: "message" },
      { type: "message", role: "user", content: [{ type: "bogus" }] },
      { type: "message", role: "u", content: [{ type: "input_image", image_url: "u", detail: "huge" }] },
      { type: "message", role: "u", content: {} },
      { type: "function_call", name: "n", arguments: {}, call_id: "c" },
      {
        type: "function_call_output",
        call_id: "c",
        output: [
          { type: "input_text", text: "u" },
          { type: "output_text", text: "x" }
        ]
      },
      { type: "function_call_output", call_id: "c", output: 1 },
      { type: "local_shell_call", status: "completed", action: { type: "exec", command: ["ls"], env: ["a"] } },
      { type: "local_shell_call", status: "completed", action: { type: "exec", command: ["ls"], env: { a: 1 } } },
      { type: "local_shell_call", status: "done", action: { type: "exec", command: [] } },
      { type: "web_search_call", action: { type: "search", query: 42 } },
      { type: "web_search_call", action: { type: "search", queries: "not-an-array" } },
      { type: "web_search_call", action: { type: "open_page", url: { href: "x" } } },
      { type: "web_search_call", action: { type: 5 } },
      { type: "web_search_call", action: { query: "q" } },
      { type: "web_search_call", action: [] },
      { type: "compaction" },
      { type: "compaction", encrypted_content: null },
      { type: "image_generation_call", status: "s", result: "r" },
      { type: "tool_search_output", status: "s", execution: "e", tools: {} }
    ]
    for (const u of accepted) expect(agree(u), JSON.stringify(u)).toBe(true)
    for (const u of rejected) expect(agree(u), JSON.stringify(u)).toBe(false)
  })
})
