// A program importing the package entries (`@codex/api`, `@codex/client`) rather than module paths;
// bundled for the browser and for edge runtimes by the test, never run.
import { Auth, Provider, Responses } from "@codex/api"
import { HttpTransport } from "@codex/client"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"

const program = Effect.gen(function* () {
  const client = yield* Responses.make
  yield* client
    .streamRequest({
      model: "gpt-5",
      instructions: "Answer in one sentence.",
      input: [],
      tools: [],
      toolChoice: "auto",
      parallelToolCalls: false,
      store: false,
      stream: true,
      include: []
    })
    .pipe(Stream.runDrain)
})

export const run = (baseUrl: string) =>
  Effect.runPromise(
    Effect.provide(
      program,
      Layer.mergeAll(Provider.layer(Provider.make({ baseUrl })), Auth.layerNone, HttpTransport.layerFetch)
    )
  )
