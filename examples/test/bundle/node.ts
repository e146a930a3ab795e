// Entry of the Node bundle: streams from the server given as the first argument on
// `HttpTransport.layerNode` (undici) and prints each delta, then a final line with the whole text.
import * as HttpTransport from "@codex/client/HttpTransport"
import * as Effect from "effect/Effect"
import { layer, streamAnswer } from "../../src/any-runtime.js"

const baseUrl = process.argv[2] ?? ""

Effect.runPromise(
  Effect.provide(
    streamAnswer("Which runtimes?", (delta) => process.stdout.write(`delta: ${delta}\n`)),
    layer(baseUrl, HttpTransport.layerNode)
  )
).then(
  (text) => process.stdout.write(`text: ${text}\n`),
  (error) => {
    process.stderr.write(`${String(error)}\n`)
    process.exitCode = 1
  }
)
