// The Effect floor for size.mjs: what a Responses-streaming Effect program decoding its events with
// effect/Schema carries (the Effect runtime, a Stream, a Layer read from Config, a Schema union
// decoded per element), none of our code.
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"

class Settings extends Context.Tag("Settings")() {}

const Event = Schema.Union(
  Schema.Struct({ type: Schema.Literal("response.output_text.delta"), delta: Schema.String }),
  Schema.Struct({ type: Schema.Literal("response.completed") })
)

const program = Effect.gen(function* () {
  const settings = yield* Settings
  yield* Stream.fromIterable([settings]).pipe(
    Stream.mapEffect(Schema.decodeUnknown(Event)),
    Stream.runForEach((event) => Effect.sync(() => console.log(event)))
  )
})

Effect.runPromise(Effect.provide(program, Layer.effect(Settings, Config.string("OPENAI_API_KEY"))))
