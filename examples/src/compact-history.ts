/**
 * Compact a conversation history with `POST /responses/compact` and continue from the compacted
 * items.
 *
 *   pnpm --filter @codex/examples exec tsx src/compact-history.ts
 */
import * as Compact from "@codex/api/Compact"
import type * as Fixture from "@codex/testing/Fixture"
import * as Effect from "effect/Effect"
import { runIfMain, userMessage } from "./setup.js"

/** Local script: one compaction item. */
export const script: Fixture.Script = {
  "/responses/compact": [{ json: { output: [{ type: "compaction", encrypted_content: "c3VtbWFyeQ==" }] } }]
}

const history = [
  userMessage("Let's plan a trip to Lisbon."),
  { type: "message", role: "assistant", content: [{ type: "output_text", text: "Sure: when do you go?" }] },
  userMessage("In May, for four days.")
] as const

/** Returns the compacted items (what to send as `input` next time). */
export const program = Effect.gen(function* () {
  const client = yield* Compact.make
  const items = yield* client.compactInput(
    {
      model: process.env.OPENAI_MODEL ?? "gpt-5",
      input: history,
      tools: [],
      parallel_tool_calls: false
    },
    { requestTimeout: "2 minutes" }
  )
  console.log(`${history.length} items compacted into ${items.length}: ${items.map((item) => item.type).join(", ")}`)
  return items
})

runIfMain(import.meta.url, program, script)
