/**
 * A tool-call loop: the model asks for `get_weather`, we run it and send back a
 * `function_call_output`, until the model answers with text.
 *
 *   pnpm --filter @codex/examples exec tsx src/tool-call-loop.ts
 */
import * as Responses from "@codex/api/Responses"
import type { ResponseItem } from "@codex/protocol/ResponseItem"
import * as Fixture from "@codex/testing/Fixture"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { runIfMain, userMessage } from "./setup.js"

/** Local script: a function call first, then the final answer. */
export const script: Fixture.Script = {
  "/responses": [
    { events: Fixture.functionCallTurn("get_weather", { city: "Paris" }, { id: "resp_1", callId: "call_weather" }) },
    { events: Fixture.textAnswer(["It is 18°C ", "and sunny in Paris."], { id: "resp_2" }) }
  ]
}

const tools = [
  {
    type: "function",
    name: "get_weather",
    description: "Current weather for a city",
    strict: true,
    parameters: {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
      additionalProperties: false
    }
  }
]

/** Our "tool": a fixed forecast. */
const getWeather = (args: { readonly city?: string }) => ({ city: args.city ?? "unknown", celsius: 18, sky: "sunny" })

/** Runs turns until one ends without function calls; returns the answer and the number of turns. */
export const program = Effect.gen(function* () {
  const client = yield* Responses.make
  const input: Array<ResponseItem> = [userMessage("What's the weather in Paris?")]
  for (let turn = 1; turn <= 5; turn++) {
    const events = yield* Stream.runCollect(
      client.streamRequest({
        model: process.env.OPENAI_MODEL ?? "gpt-5",
        instructions: "Use the tools when they help.",
        input,
        tools,
        toolChoice: "auto",
        parallelToolCalls: false,
        store: false,
        stream: true,
        include: []
      })
    )
    let text = ""
    const calls: Array<Extract<ResponseItem, { readonly type: "function_call" }>> = []
    for (const event of Chunk.toReadonlyArray(events)) {
      if (event._tag === "OutputTextDelta") text += event.delta
      if (event._tag === "OutputItemDone") {
        input.push(event.item)
        if (event.item.type === "function_call") calls.push(event.item)
      }
    }
    if (calls.length === 0) {
      console.log(text)
      return { answer: text, turns: turn }
    }
    for (const call of calls) {
      const result = getWeather(JSON.parse(call.arguments) as { city?: string })
      console.log(`tool ${call.name}(${call.arguments}) -> ${JSON.stringify(result)}`)
      input.push({ type: "function_call_output", call_id: call.call_id, output: JSON.stringify(result) })
    }
  }
  return yield* Effect.dieMessage("the model kept calling tools for 5 turns")
})

runIfMain(import.meta.url, program, script)
