/**
 * Rate-limit aware calls: opt in to retrying 429s (the server's `retry-after-ms` / `retry-after`
 * sets the wait, capped by `maxRetryAfter`), then read the rate-limit windows the response reports.
 *
 *   pnpm --filter @codex/examples exec tsx src/rate-limit-retry.ts
 */
import * as Provider from "@codex/api/Provider"
import type { RateLimitSnapshot } from "@codex/api/RateLimits"
import * as Responses from "@codex/api/Responses"
import * as Fixture from "@codex/testing/Fixture"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { runIfMain, userMessage } from "./setup.js"

/** Local script: a 429 asking to wait 50 ms, then an answer with rate-limit headers. */
export const script: Fixture.Script = {
  "/responses": [
    { status: 429, headers: { "retry-after-ms": "50" }, json: { error: { message: "Rate limit reached" } } },
    {
      headers: { "x-codex-primary-used-percent": "87.5", "x-codex-primary-window-minutes": "300" },
      events: Fixture.textAnswer(["Done."])
    }
  ]
}

/** Returns the answer and the rate-limit snapshot reported with it. */
export const program = Effect.gen(function* () {
  const client = yield* Responses.make
  let text = ""
  let limits: RateLimitSnapshot | undefined
  yield* Stream.runForEach(
    client.streamRequest({
      model: process.env.OPENAI_MODEL ?? "gpt-5",
      instructions: "",
      input: [userMessage("Say done.")],
      tools: [],
      toolChoice: "auto",
      parallelToolCalls: false,
      store: false,
      stream: true,
      include: []
    }),
    (event) =>
      Effect.sync(() => {
        if (event._tag === "OutputTextDelta") text += event.delta
        if (event._tag === "RateLimits" && event.snapshot.limit_id === "codex") limits = event.snapshot
      })
  )
  const primary = limits?.primary
  console.log(text)
  if (primary !== undefined) {
    console.log(`primary window: ${primary.used_percent}% used of ${primary.window_minutes ?? "?"} minutes`)
    if (primary.used_percent > 80) console.log("over 80% used: slow down before the window resets")
  }
  return { text, limits }
}).pipe(
  // Per-program override of the provider's retry configuration: retry 429s too, at most 3 times,
  // waiting what the server asks for up to 10 s.
  Effect.updateService(Provider.CurrentProvider, (provider) => ({
    ...provider,
    retry: { ...provider.retry, maxAttempts: 3, retry429: true, maxRetryAfter: Duration.seconds(10) }
  }))
)

runIfMain(import.meta.url, program, script)
