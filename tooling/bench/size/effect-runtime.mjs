// The Effect runtime alone for size.mjs: one Effect run to completion.
import * as Effect from "effect/Effect"

Effect.runPromise(Effect.sync(() => console.log("done")))
