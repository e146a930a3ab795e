import * as ResponsesServer from "@codex/testing/ResponsesServer"
import * as Fixture from "@codex/testing/Fixture"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { layerLocal } from "../src/setup.js"
import * as StructuredOutput from "../src/structured-output.js"

describe("structured-output example", () => {
  it.scopedLive("sends the schema as a strict text.format and decodes the JSON answer with the same Schema", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ script: StructuredOutput.script })
      const forecast = yield* Effect.provide(StructuredOutput.program, layerLocal(server))
      expect(forecast).toEqual({ city: "Paris", celsius: 18, sky: "sunny", advice: "Take sunglasses." })
      const body = server.requests[0]?.json as { text: { format: Record<string, any> } }
      expect(body.text.format).toEqual({
        type: "json_schema",
        strict: true,
        name: "codex_output_schema",
        schema: StructuredOutput.forecastJsonSchema
      })
      const schema = body.text.format.schema
      expect(schema.type).toBe("object")
      expect(schema.additionalProperties).toBe(false)
      expect([...schema.required].sort()).toEqual(["advice", "celsius", "city", "sky"])
      expect(schema.properties.sky.enum).toEqual(["sunny", "cloudy", "rain"])
      expect(schema.$schema).toBeUndefined()
    })
  )

  it.scopedLive("an answer that does not match the schema fails with a ParseError", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({
        script: { "/responses": [{ events: Fixture.textAnswer(['{"city":"Paris","celsius":"warm"}']) }] }
      })
      const exit = yield* Effect.exit(Effect.provide(StructuredOutput.program, layerLocal(server)))
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit) && exit.cause._tag === "Fail") expect(exit.cause.error._tag).toBe("ParseError")
      else expect.fail(`expected a ParseError, got ${String(exit)}`)
    })
  )
})
