import { assert, describe, it } from "@effect/vitest"
import * as Schema from "effect/Schema"
import * as ModelVerification from "../src/ModelVerification.js"
import * as Reasoning from "../src/Reasoning.js"
import * as SessionSource from "../src/SessionSource.js"
import * as TokenUsage from "../src/TokenUsage.js"

describe("SessionSource", () => {
  it("computes x-openai-subagent only for sub-agents", () => {
    assert.strictEqual(SessionSource.subagentHeader(SessionSource.subAgent(SessionSource.review)), "review")
    assert.strictEqual(SessionSource.subagentHeader(SessionSource.subAgent(SessionSource.compact)), "compact")
    assert.strictEqual(
      SessionSource.subagentHeader(SessionSource.subAgent(SessionSource.memoryConsolidation)),
      "memory_consolidation"
    )
    assert.strictEqual(
      SessionSource.subagentHeader(
        SessionSource.subAgent(SessionSource.threadSpawn({ parentThreadId: "t", depth: 1 }))
      ),
      "collab_spawn"
    )
    assert.strictEqual(
      SessionSource.subagentHeader(SessionSource.subAgent(SessionSource.other("My Label"))),
      "My Label"
    )
    assert.strictEqual(SessionSource.subagentHeader({ _tag: "Cli" }), undefined)
    assert.strictEqual(SessionSource.subagentHeader(undefined), undefined)
  })
})

describe("Reasoning / ModelVerification / TokenUsage", () => {
  it("reasoning effort accepts custom strings; summary, verbosity and context are closed", () => {
    assert.strictEqual(Schema.decodeUnknownSync(Reasoning.ReasoningEffort)("xhigh"), "xhigh")
    assert.strictEqual(Schema.decodeUnknownSync(Reasoning.ReasoningEffort)("custom"), "custom")
    assert.throws(() => Schema.decodeUnknownSync(Reasoning.ReasoningSummary)("brief"))
    assert.throws(() => Schema.decodeUnknownSync(Reasoning.Verbosity)("max"))
    assert.strictEqual(Schema.decodeUnknownSync(Reasoning.ReasoningContext)("all_turns"), "all_turns")
    assert.throws(() => Schema.decodeUnknownSync(Reasoning.ReasoningContext)("some_turns"))
  })

  it("model verification knows trusted_access_for_cyber only", () => {
    assert.strictEqual(ModelVerification.parse("trusted_access_for_cyber"), "trusted_access_for_cyber")
    assert.strictEqual(ModelVerification.parse("other"), undefined)
  })

  it("token usage requires all five counters", () => {
    const usage = {
      input_tokens: 3,
      cached_input_tokens: 1,
      output_tokens: 2,
      reasoning_output_tokens: 0,
      total_tokens: 5
    }
    assert.deepStrictEqual(Schema.decodeUnknownSync(TokenUsage.TokenUsage)(usage), usage)
    assert.throws(() => Schema.decodeUnknownSync(TokenUsage.TokenUsage)({ input_tokens: 1 }))
  })
})
