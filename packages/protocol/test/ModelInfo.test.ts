import { assert, describe, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as ModelInfo from "../src/ModelInfo.js"

const model = {
  slug: "gpt-test",
  display_name: "GPT Test",
  description: null,
  default_reasoning_level: "medium",
  supported_reasoning_levels: [
    { effort: "low", description: "fast" },
    { effort: "ultra-custom", description: "custom effort string" }
  ],
  shell_type: "shell_command",
  visibility: "list",
  supported_in_api: true,
  priority: 1,
  availability_nux: null,
  upgrade: null,
  base_instructions: "be helpful",
  supports_reasoning_summaries: true,
  support_verbosity: false,
  default_verbosity: null,
  apply_patch_tool_type: "freeform",
  truncation_policy: { mode: "tokens", limit: 10000 },
  supports_parallel_tool_calls: false,
  experimental_supported_tools: [],
  context_window: 272000,
  input_modalities: ["text", "image"],
  // keys the client does not know must not break parsing
  brand_new_key: { nested: true },
  another_one: [1, 2, 3]
}

describe("ModelInfo", () => {
  it("parses a model with extra keys, keeps them and applies the 95% default", () => {
    const result = ModelInfo.decodeModelsResponse({ models: [model] })
    assert.isTrue(Either.isRight(result))
    if (Either.isLeft(result)) return
    const [parsed] = result.right.models
    assert.strictEqual(parsed?.slug, "gpt-test")
    assert.strictEqual(parsed?.effective_context_window_percent, 95)
    assert.strictEqual(parsed?.supported_reasoning_levels[1]?.effort, "ultra-custom")
    assert.deepStrictEqual((parsed as unknown as Record<string, unknown>).brand_new_key, { nested: true })
  })

  it("an explicit effective_context_window_percent wins", () => {
    const result = ModelInfo.decodeModelsResponse({ models: [{ ...model, effective_context_window_percent: 80 }] })
    assert.strictEqual(Either.getOrThrow(result).models[0]?.effective_context_window_percent, 80)
  })

  it("a missing required key fails", () => {
    const { slug: _slug, ...withoutSlug } = model
    assert.isTrue(Either.isLeft(ModelInfo.decodeModelsResponse({ models: [withoutSlug] })))
    assert.isTrue(Either.isLeft(ModelInfo.decodeModelsResponse({})))
  })

  it("an empty list parses", () => {
    assert.deepStrictEqual(Either.getOrThrow(ModelInfo.decodeModelsResponse({ models: [] })), { models: [] })
  })
})
