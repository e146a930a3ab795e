import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as ResponseItem from "../src/ResponseItem.js"

const decodeOk = (u: unknown): ResponseItem.ResponseItem => {
  const result = ResponseItem.decode(u)
  if (Either.isLeft(result)) throw new Error(`decode failed: ${result.left.message}`)
  return result.right
}

/** wire → decode → toWire must give back the same JSON (for items without read-only ids). */
const roundTrip = (wire: Record<string, unknown>) => {
  assert.deepStrictEqual(JSON.stringify(ResponseItem.toWire(decodeOk(wire))), JSON.stringify(wire))
}

describe("ResponseItem", () => {
  describe("round trips every variant with the exact key order", () => {
    it("message (all content item kinds, phase)", () => {
      roundTrip({
        type: "message",
        role: "user",
        content: [
          { type: "input_text", text: "hi" },
          { type: "input_image", image_url: "data:image/png;base64,AA", detail: "original" },
          { type: "input_image", image_url: "https://x/y.png" },
          { type: "output_text", text: "out" }
        ],
        phase: "final_answer"
      })
      roundTrip({ type: "message", role: "assistant", content: [{ type: "output_text", text: "x" }] })
    })

    it("agent_message", () => {
      roundTrip({
        type: "agent_message",
        author: "a",
        recipient: "b",
        content: [{ type: "encrypted_content", encrypted_content: "enc" }]
      })
    })

    it("reasoning with reasoning_text content", () => {
      roundTrip({
        type: "reasoning",
        summary: [{ type: "summary_text", text: "s" }],
        content: [
          { type: "reasoning_text", text: "r" },
          { type: "text", text: "t" }
        ],
        encrypted_content: "enc"
      })
    })

    it("local_shell_call writes null for absent action fields and call_id", () => {
      roundTrip({
        type: "local_shell_call",
        call_id: "c1",
        status: "completed",
        action: {
          type: "exec",
          command: ["ls", "-la"],
          timeout_ms: 1000,
          working_directory: "/tmp",
          env: { A: "b" },
          user: "me"
        }
      })
      const item = decodeOk({
        type: "local_shell_call",
        id: "ls_1",
        status: "in_progress",
        action: { type: "exec", command: ["pwd"] }
      })
      assert.deepStrictEqual(ResponseItem.toWire(item), {
        type: "local_shell_call",
        call_id: null,
        status: "in_progress",
        action: { type: "exec", command: ["pwd"], timeout_ms: null, working_directory: null, env: null, user: null }
      })
    })

    it("function_call keeps arguments as a string and namespace optional", () => {
      roundTrip({ type: "function_call", name: "shell", namespace: "ns", arguments: '{"a":1}', call_id: "c" })
      roundTrip({ type: "function_call", name: "shell", arguments: "{}", call_id: "c" })
    })

    it("tool_search_call / tool_search_output", () => {
      roundTrip({
        type: "tool_search_call",
        call_id: "c",
        status: "completed",
        execution: "server",
        arguments: { q: ["x"] }
      })
      roundTrip({ type: "tool_search_call", call_id: null, execution: "client", arguments: "raw" })
      roundTrip({
        type: "tool_search_output",
        call_id: null,
        status: "completed",
        execution: "client",
        tools: [{ name: "t" }]
      })
    })

    it("function_call_output as a bare string and as an array", () => {
      roundTrip({ type: "function_call_output", call_id: "c", output: "plain text" })
      roundTrip({
        type: "function_call_output",
        call_id: "c",
        output: [
          { type: "input_text", text: "a" },
          { type: "input_image", image_url: "u", detail: "low" },
          { type: "encrypted_content", encrypted_content: "e" }
        ]
      })
      const item = decodeOk({ type: "function_call_output", call_id: "c", output: "x" })
      assert.strictEqual(item.type === "function_call_output" && typeof item.output, "string")
    })

    it("custom_tool_call / custom_tool_call_output", () => {
      roundTrip({ type: "custom_tool_call", status: "completed", call_id: "c", name: "apply_patch", input: "*** x" })
      roundTrip({ type: "custom_tool_call", call_id: "c", name: "n", input: "" })
      roundTrip({ type: "custom_tool_call_output", call_id: "c", name: "n", output: "ok" })
      roundTrip({ type: "custom_tool_call_output", call_id: "c", output: [{ type: "input_text", text: "ok" }] })
    })

    it("web_search_call with every action kind", () => {
      roundTrip({
        type: "web_search_call",
        status: "completed",
        action: { type: "search", query: "q", queries: ["a"] }
      })
      roundTrip({ type: "web_search_call", action: { type: "open_page", url: "https://x" } })
      roundTrip({ type: "web_search_call", action: { type: "find_in_page", url: "u", pattern: "p" } })
      roundTrip({ type: "web_search_call" })
      const item = decodeOk({ type: "web_search_call", action: { type: "scroll", by: 3 } })
      assert.deepStrictEqual(ResponseItem.toWire(item), { type: "web_search_call", action: { type: "other" } })
    })

    it("web_search_call: a known action type with malformed fields fails to decode (never becomes other)", () => {
      for (const action of [
        { type: "search", query: 42 },
        { type: "search", queries: "not-an-array" },
        { type: "open_page", url: { href: "x" } },
        { type: "find_in_page", pattern: 1 }
      ]) {
        assert.isTrue(Either.isLeft(ResponseItem.decode({ type: "web_search_call", action })), JSON.stringify(action))
      }
      // an action without a string type is malformed too
      assert.isTrue(Either.isLeft(ResponseItem.decode({ type: "web_search_call", action: { query: "q" } })))
    })

    it("image_generation_call writes its id", () => {
      roundTrip({ type: "image_generation_call", id: "ig_1", status: "completed", revised_prompt: "p", result: "b64" })
      roundTrip({ type: "image_generation_call", id: "ig_1", status: "generating", result: "" })
    })

    it("compaction, compaction_trigger, context_compaction", () => {
      roundTrip({ type: "compaction", encrypted_content: "e" })
      roundTrip({ type: "compaction_trigger" })
      roundTrip({ type: "context_compaction", encrypted_content: "e" })
      roundTrip({ type: "context_compaction" })
    })
  })

  describe("quirks", () => {
    it("compaction_summary is an alias of compaction", () => {
      const item = decodeOk({ type: "compaction_summary", encrypted_content: "abc" })
      assert.deepStrictEqual(item, { type: "compaction", encrypted_content: "abc" })
      assert.deepStrictEqual(ResponseItem.toWire(item), { type: "compaction", encrypted_content: "abc" })
    })

    it("unknown type decodes to Other keeping the raw JSON and re-serializes as {type:other}", () => {
      const raw = { type: "item_reference", id: "x", extra: [1, 2] }
      const item = decodeOk(raw)
      assert.deepStrictEqual(item, { type: "other", raw })
      assert.deepStrictEqual(ResponseItem.toWire(item), { type: "other" })
      assert.strictEqual(ResponseItem.itemId(item), undefined)
    })

    it("reasoning content: absent → null, no reasoning_text → omitted, encrypted_content null", () => {
      const absent = decodeOk({ type: "reasoning", id: "rs_1", summary: [] })
      assert.strictEqual(
        JSON.stringify(ResponseItem.toWire(absent)),
        '{"type":"reasoning","summary":[],"content":null,"encrypted_content":null}'
      )
      const onlyText = decodeOk({ type: "reasoning", summary: [], content: [{ type: "text", text: "t" }] })
      assert.strictEqual(
        JSON.stringify(ResponseItem.toWire(onlyText)),
        '{"type":"reasoning","summary":[],"encrypted_content":null}'
      )
      const empty = decodeOk({ type: "reasoning", summary: [], content: [], encrypted_content: "e" })
      assert.isFalse("content" in ResponseItem.toWire(empty))
      const nullContent = decodeOk({ type: "reasoning", summary: [], content: null })
      assert.strictEqual(ResponseItem.toWire(nullContent).content, null)
    })

    it("read-only ids are read, never written, and exposed by itemId / toWireWithId", () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ type: "message", id: "msg_1", role: "user", content: [] }, "msg_1"],
        [{ type: "reasoning", id: "rs_1", summary: [] }, "rs_1"],
        [{ type: "function_call", id: "fc_1", name: "n", arguments: "{}", call_id: "c" }, "fc_1"],
        [{ type: "custom_tool_call", id: "ct_1", call_id: "c", name: "n", input: "" }, "ct_1"],
        [{ type: "web_search_call", id: "ws_1" }, "ws_1"],
        [{ type: "tool_search_call", id: "ts_1", execution: "e", arguments: null }, "ts_1"],
        [
          {
            type: "local_shell_call",
            id: "lsh_1",
            call_id: "c",
            status: "completed",
            action: { type: "exec", command: [] }
          },
          "lsh_1"
        ]
      ]
      for (const [wire, id] of cases) {
        const item = decodeOk(wire)
        assert.strictEqual(ResponseItem.itemId(item), id)
        assert.isFalse("id" in ResponseItem.toWire(item), `${wire.type} must not write id`)
        assert.strictEqual(ResponseItem.toWireWithId(item).id, id)
      }
      // empty ids count as absent
      assert.strictEqual(ResponseItem.itemId(decodeOk({ type: "reasoning", id: "", summary: [] })), undefined)
      // image_generation_call writes its id but is not part of the re-attachment set
      const ig = decodeOk({ type: "image_generation_call", id: "ig", status: "s", result: "r" })
      assert.strictEqual(ResponseItem.itemId(ig), undefined)
      assert.strictEqual(ResponseItem.toWire(ig).id, "ig")
    })

    it("phase is omitted when absent and null optional fields decode as absent", () => {
      const item = decodeOk({ type: "message", role: "assistant", content: [], phase: null })
      assert.deepStrictEqual(ResponseItem.toWire(item), { type: "message", role: "assistant", content: [] })
      const fc = decodeOk({ type: "function_call", name: "n", namespace: null, arguments: "{}", call_id: "c" })
      assert.isFalse("namespace" in ResponseItem.toWire(fc))
    })

    it("unknown fields are dropped from known variants", () => {
      const item = decodeOk({ type: "function_call", name: "n", arguments: "{}", call_id: "c", metadata: { a: 1 } })
      assert.deepStrictEqual(ResponseItem.toWire(item), {
        type: "function_call",
        name: "n",
        arguments: "{}",
        call_id: "c"
      })
    })
  })

  describe("errors", () => {
    it("a known type with malformed fields fails (no fallback to Other)", () => {
      assert.isTrue(
        Either.isLeft(ResponseItem.decode({ type: "function_call", name: "n", arguments: {}, call_id: "c" }))
      )
      assert.isTrue(Either.isLeft(ResponseItem.decode({ type: "message", role: "user", content: [{ type: "bogus" }] })))
      assert.isTrue(
        Either.isLeft(
          ResponseItem.decode({
            type: "message",
            role: "u",
            content: [{ type: "input_image", image_url: "u", detail: "huge" }]
          })
        )
      )
    })

    it("non-objects and objects without a string type fail", () => {
      for (const u of [null, 1, "x", [], {}, { type: 3 }]) {
        assert.isTrue(Either.isLeft(ResponseItem.decode(u)), JSON.stringify(u))
      }
    })

    it.effect("decodeUnknown fails with a ParseError", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(ResponseItem.decodeUnknown({ type: "compaction" }))
        assert.strictEqual(error._tag, "ParseError")
        const ok = yield* ResponseItem.decodeUnknown({ type: "compaction_trigger" })
        assert.deepStrictEqual(ok, { type: "compaction_trigger" })
      })
    )
  })

  it("ResponseItemFromWire schema decodes and encodes", () => {
    const item = Schema.decodeUnknownSync(ResponseItem.ResponseItemFromWire)({
      type: "function_call",
      id: "fc",
      name: "n",
      arguments: "{}",
      call_id: "c"
    })
    assert.strictEqual(ResponseItem.itemId(item), "fc")
    assert.deepStrictEqual(Schema.encodeSync(ResponseItem.ResponseItemFromWire)(item), {
      type: "function_call",
      name: "n",
      arguments: "{}",
      call_id: "c"
    })
    assert.throws(() => Schema.decodeUnknownSync(ResponseItem.ResponseItemFromWire)({ type: "message" }))
  })
})
