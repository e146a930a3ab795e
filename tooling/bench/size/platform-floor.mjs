// The Effect floor (effect-floor.mjs) plus a request through @effect/platform's FetchHttpClient,
// the HTTP client HttpTransport.layerFetch runs on: what that client adds, without our code.
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import "./effect-floor.mjs"

const request = HttpClientRequest.setBody(
  HttpClientRequest.post("http://127.0.0.1:1/v1/responses"),
  HttpBody.raw(new TextEncoder().encode("{}"))
)

const program = Effect.gen(function* () {
  const client = yield* HttpClient.HttpClient
  const response = yield* client.execute(request)
  yield* Stream.runDrain(response.stream)
})

Effect.runPromise(Effect.scoped(program).pipe(Effect.provide(FetchHttpClient.layer)))
