// Entry of the browser bundle: streams from the server named by `?baseUrl=` on `fetch`, appends
// each delta to the page and leaves the outcome in `window.codexResult` for the test to read.
import * as Effect from "effect/Effect"
import { layer, streamAnswer } from "../../src/any-runtime.js"

const target = globalThis as typeof globalThis & { codexResult?: { text: string } | { error: string } }
const baseUrl = new URL(location.href).searchParams.get("baseUrl") ?? ""
const output = document.getElementById("output")

Effect.runPromise(
  Effect.provide(
    streamAnswer("Which runtimes?", (delta) => output?.append(delta)),
    layer(baseUrl)
  )
).then(
  (text) => {
    target.codexResult = { text }
  },
  (error) => {
    target.codexResult = { error: String(error) }
  }
)
