/**
 * One Responses program for every runtime. `HttpTransport.layerFetch` brings no Node module along,
 * so this file bundles as it is for browsers, Deno, Bun and edge runtimes; with
 * `HttpTransport.layerNode` instead it bundles for Node into a single ES module file.
 * `test/bundle.test.ts` bundles it with esbuild both ways and streams from the local server, in
 * headless Chromium and in Node.
 */
import * as Auth from "@codex/api/Auth"
import * as Provider from "@codex/api/Provider"
import * as Responses from "@codex/api/Responses"
import * as HttpTransport from "@codex/client/HttpTransport"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"

/** Streams the answer to `question`, handing each text delta to `onDelta`; returns the whole text. */
export const streamAnswer = (question: string, onDelta: (delta: string) => void) =>
  Effect.gen(function* () {
    const client = yield* Responses.make
    let text = ""
    yield* client
      .streamRequest({
        model: "gpt-5",
        instructions: "Answer in one sentence.",
        input: [{ type: "message", role: "user", content: [{ type: "input_text", text: question }] }],
        tools: [],
        toolChoice: "auto",
        parallelToolCalls: false,
        store: false,
        stream: true,
        include: []
      })
      .pipe(
        Stream.runForEach((event) =>
          Effect.sync(() => {
            if (event._tag === "OutputTextDelta") {
              text += event.delta
              onDelta(event.delta)
            }
          })
        )
      )
    return text
  })

/** The services for a server without auth (a local one) on the given transport, `fetch` by default. */
export const layer = (
  baseUrl: string,
  transport: Layer.Layer<HttpTransport.HttpTransport> = HttpTransport.layerFetch
) => Layer.mergeAll(Provider.layer(Provider.make({ baseUrl })), Auth.layerNone, transport)
