/**
 * Stream a Responses call and print the answer as it arrives.
 *
 *   pnpm --filter @codex/examples exec tsx src/stream-text.ts
 */
import * as Responses from "@codex/api/Responses"
import * as Fixture from "@codex/testing/Fixture"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { runIfMain, userMessage } from "./setup.js"

/** Local script: a short answer in three deltas. */
export const script: Fixture.Script = {
  "/responses": [{ events: Fixture.textAnswer(["Streaming ", "with ", "Effect."], { usage: { input: 9, output: 3 } }) }]
}

/** Streams the answer to stdout and returns it with the token usage. */
export const program = Effect.gen(function* () {
  const client = yield* Responses.make
  let text = ""
  let totalTokens: number | undefined
  yield* client
    .streamRequest({
      model: process.env.OPENAI_MODEL ?? "gpt-5",
      instructions: "Answer in one sentence.",
      input: [userMessage("What is Effect?")],
      tools: [],
      toolChoice: "auto",
      parallelToolCalls: false,
      store: false,
      stream: true,
      include: []
    })
    .pipe(
      Stream.runForEach((event) =>
        Effect.sync(() => {
          if (event._tag === "OutputTextDelta") {
            text += event.delta
            process.stdout.write(event.delta)
          } else if (event._tag === "Completed") {
            totalTokens = event.tokenUsage?.total_tokens
          }
        })
      )
    )
  process.stdout.write(`\n(total tokens: ${totalTokens ?? "unknown"})\n`)
  return { text, totalTokens }
})

runIfMain(import.meta.url, program, script)
