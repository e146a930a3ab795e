// The Responses-streaming program whose bundle size `size.mjs` reports: @codex/api on
// HttpTransport.layerFetch, printing text deltas.
import * as Auth from "@codex/api/Auth"
import * as Provider from "@codex/api/Provider"
import * as Responses from "@codex/api/Responses"
import * as HttpTransport from "@codex/client/HttpTransport"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"

const program = Effect.gen(function* () {
  const client = yield* Responses.make
  yield* client
    .streamRequest({
      model: "gpt-5",
      instructions: "Answer in one sentence.",
      input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "What is Effect?" }] }],
      tools: [],
      toolChoice: "auto",
      parallelToolCalls: false,
      store: false,
      stream: true,
      include: []
    })
    .pipe(
      Stream.runForEach((event) =>
        event._tag === "OutputTextDelta" ? Effect.sync(() => console.log(event.delta)) : Effect.void
      )
    )
})

const services = Layer.mergeAll(Provider.layerConfig, Auth.layerApiKeyConfig, HttpTransport.layerFetch)
Effect.runPromise(Effect.provide(program, services))
