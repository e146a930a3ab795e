/**
 * Replace the retry policy with your own `Schedule`: jittered exponential backoff, at most four
 * retries of the errors the default policy retries, and a circuit breaker shared by all requests
 * that stops retrying after three failed attempts in a row (fed by `RequestTelemetry`, which sees
 * every attempt). The `RetrySchedule` layer applies to every endpoint client.
 *
 *   pnpm --filter @codex/examples exec tsx src/custom-retry-schedule.ts
 */
import * as CodexError from "@codex/api/CodexError"
import * as Responses from "@codex/api/Responses"
import * as RequestTelemetry from "@codex/client/RequestTelemetry"
import * as RetryPolicy from "@codex/client/RetryPolicy"
import * as RetrySchedule from "@codex/client/RetrySchedule"
import type { TransportError } from "@codex/client/TransportError"
import * as Fixture from "@codex/testing/Fixture"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import { runIfMain, userMessage } from "./setup.js"

/** Local script: two 503s then an answer (first request); three 503s (second request). */
export const script: Fixture.Script = {
  "/responses": [
    { status: 503, json: { error: { message: "overloaded" } } },
    { status: 503, json: { error: { message: "overloaded" } } },
    { events: Fixture.textAnswer(["Done."]) },
    { status: 503, json: { error: { message: "overloaded" } } },
    { status: 503, json: { error: { message: "overloaded" } } },
    { status: 503, json: { error: { message: "overloaded" } } }
  ]
}

/** Consecutive failed attempts after which retries stop. */
const breakerThreshold = 3

/** The schedule and the telemetry that feeds its breaker, sharing one counter. */
const layerRetry = Layer.unwrapEffect(
  Effect.map(Ref.make(0), (consecutiveFailures) => {
    const schedule = Schedule.exponential("50 millis").pipe(
      Schedule.jittered,
      Schedule.intersect(Schedule.recurs(4)),
      Schedule.whileInput((error: TransportError) => RetryPolicy.isRetryable(RetryPolicy.defaultPolicy, error)),
      Schedule.checkEffect(() => Effect.map(Ref.get(consecutiveFailures), (failures) => failures < breakerThreshold))
    )
    const telemetry = RequestTelemetry.layer((event) =>
      Effect.zipRight(
        Console.log(`  attempt ${event.attempt}: ${event.status ?? "no response"}`),
        event.error === undefined ? Ref.set(consecutiveFailures, 0) : Ref.update(consecutiveFailures, (n) => n + 1)
      )
    )
    return Layer.merge(RetrySchedule.layer(schedule), telemetry)
  })
)

const ask = (client: Responses.Service) =>
  client
    .streamRequest({
      model: process.env.OPENAI_MODEL ?? "gpt-5",
      instructions: "",
      input: [userMessage("Say done.")],
      tools: [],
      toolChoice: "auto",
      parallelToolCalls: false,
      store: false,
      stream: true,
      include: []
    })
    .pipe(
      Stream.runFold("", (text, event) => (event._tag === "OutputTextDelta" ? text + event.delta : text)),
      Effect.either
    )

/** Two requests under the custom schedule: the first recovers, the second trips the breaker. */
export const program = Effect.gen(function* () {
  const client = yield* Responses.make
  const first = yield* ask(client)
  const answer = first._tag === "Right" ? first.right : undefined
  yield* Console.log(
    first._tag === "Right"
      ? `answer: ${first.right}`
      : `first request failed: ${CodexError.mapApiError(first.left).message}`
  )
  const second = yield* ask(client)
  const secondFailed = second._tag === "Left"
  yield* Console.log(
    second._tag === "Left"
      ? `second request failed: ${CodexError.mapApiError(second.left).message}`
      : "second request succeeded"
  )
  return { answer, secondFailed }
}).pipe(Effect.provide(layerRetry))

runIfMain(import.meta.url, program, script)
