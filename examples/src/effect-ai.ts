/**
 * An `@effect/ai` program on the Responses backend (`@codex/ai`): a `Chat` with a `Toolkit`. The
 * model calls `get_weather`, the toolkit's handler answers it, and the next turn (which carries the
 * `function_call_output`) gets the final answer; then the answer is streamed once more with
 * `streamText`.
 *
 *   pnpm --filter @codex/examples exec tsx src/effect-ai.ts
 */
import * as CodexLanguageModel from "@codex/ai/CodexLanguageModel"
import * as Responses from "@codex/api/Responses"
import * as Fixture from "@codex/testing/Fixture"
import * as Chat from "@effect/ai/Chat"
import * as LanguageModel from "@effect/ai/LanguageModel"
import * as Tool from "@effect/ai/Tool"
import * as Toolkit from "@effect/ai/Toolkit"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { runIfMain } from "./setup.js"

/** Local script: a function call, the answer to its output, then a short streamed answer. */
export const script: Fixture.Script = {
  "/responses": [
    { events: Fixture.functionCallTurn("get_weather", { city: "Paris" }, { id: "resp_1", callId: "call_weather" }) },
    { events: Fixture.textAnswer(["It is 18°C ", "and sunny in Paris."], { id: "resp_2" }) },
    { events: Fixture.textAnswer(["Take ", "sunglasses."], { id: "resp_3" }) }
  ]
}

const GetWeather = Tool.make("get_weather", {
  description: "Current weather for a city",
  parameters: { city: Schema.String },
  success: Schema.Struct({ city: Schema.String, celsius: Schema.Number, sky: Schema.String })
})

const WeatherToolkit = Toolkit.make(GetWeather)

/** Our "tool": a fixed forecast. */
const WeatherHandlers = WeatherToolkit.toLayer({
  get_weather: ({ city }) => Effect.succeed({ city, celsius: 18, sky: "sunny" })
})

/** The `LanguageModel` on the Responses client (which uses the provider, auth and transport in context). */
const ModelLive = CodexLanguageModel.layer({ model: process.env.OPENAI_MODEL ?? "gpt-5" }).pipe(
  Layer.provide(Responses.layer)
)

/** Chats until the model stops calling tools, then streams a follow-up; returns what it saw. */
export const program = Effect.gen(function* () {
  const chat = yield* Chat.empty
  let response = yield* chat.generateText({ prompt: "What's the weather in Paris?", toolkit: WeatherToolkit })
  let turns = 1
  while (response.finishReason === "tool-calls" && turns < 5) {
    for (const result of response.toolResults) console.log(`tool ${result.name} -> ${JSON.stringify(result.result)}`)
    response = yield* chat.generateText({ prompt: [], toolkit: WeatherToolkit })
    turns++
  }
  console.log(response.text)

  let advice = ""
  yield* LanguageModel.streamText({ prompt: "What should I bring?" }).pipe(
    Stream.runForEach((part) =>
      Effect.sync(() => {
        if (part.type === "text-delta") {
          advice += part.delta
          process.stdout.write(part.delta)
        }
      })
    )
  )
  process.stdout.write("\n")
  return { answer: response.text, turns, finishReason: response.finishReason, advice }
}).pipe(Effect.provide(Layer.merge(ModelLive, WeatherHandlers)))

runIfMain(import.meta.url, program, script)
