/**
 * Structured output: ask for JSON that matches a schema (the Responses `text.format` JSON-schema
 * control, strict), then decode the answer with the same `effect/Schema`.
 *
 *   pnpm --filter @codex/examples exec tsx src/structured-output.ts
 */
import * as Responses from "@codex/api/Responses"
import * as ResponsesRequest from "@codex/api/ResponsesRequest"
import * as Fixture from "@codex/testing/Fixture"
import * as Effect from "effect/Effect"
import * as JSONSchema from "effect/JSONSchema"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { runIfMain, userMessage } from "./setup.js"

/** The shape we want back. */
export const Forecast = Schema.Struct({
  city: Schema.String,
  celsius: Schema.Number,
  sky: Schema.Literal("sunny", "cloudy", "rain"),
  advice: Schema.String
})
export type Forecast = typeof Forecast.Type

/** Its JSON schema, as the API wants it for `strict` output (no `$schema` key). */
export const forecastJsonSchema = (() => {
  const { $schema: _, ...schema } = JSONSchema.make(Forecast)
  return schema
})()

/** Local script: the model answers with JSON in three deltas. */
export const script: Fixture.Script = {
  "/responses": [
    { events: Fixture.textAnswer(['{"city":"Paris",', '"celsius":18,"sky":"sunny",', '"advice":"Take sunglasses."}']) }
  ]
}

/** Asks for a forecast as JSON and returns it decoded (a `ParseError` if the answer does not match). */
export const program = Effect.gen(function* () {
  const client = yield* Responses.make
  const answer = yield* client
    .streamRequest({
      model: process.env.OPENAI_MODEL ?? "gpt-5",
      instructions: "Answer with the forecast as JSON.",
      input: [userMessage("What's the weather in Paris today?")],
      tools: [],
      toolChoice: "auto",
      parallelToolCalls: false,
      store: false,
      stream: true,
      include: [],
      text: ResponsesRequest.createTextParamForRequest(undefined, forecastJsonSchema, true)
    })
    .pipe(Stream.runFold("", (text, event) => (event._tag === "OutputTextDelta" ? text + event.delta : text)))
  const forecast = yield* Schema.decodeUnknown(Schema.parseJson(Forecast))(answer)
  console.log(`${forecast.city}: ${forecast.celsius}°C, ${forecast.sky}. ${forecast.advice}`)
  return forecast
})

runIfMain(import.meta.url, program, script)
