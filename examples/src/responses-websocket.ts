/**
 * Several sequential turns of one conversation over a single Responses WebSocket connection. After
 * the first turn, each request carries only the new user message and `previous_response_id`, and
 * says the connection was reused (which `WebsocketTelemetry` reports).
 *
 *   pnpm --filter @codex/examples exec tsx src/responses-websocket.ts
 */
import type * as ResponseEvent from "@codex/api/ResponseEvent"
import * as ResponsesWebsocket from "@codex/api/ResponsesWebsocket"
import * as Fixture from "@codex/testing/Fixture"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { runIfMain, userMessage } from "./setup.js"

const questions = ["Name a prime number.", "And the next one?", "Their sum?"]

/** Local script: one answer per turn (the server plays them in order on the socket). */
export const script: Fixture.Script = {
  "/responses": [
    { events: Fixture.textAnswer(["Two."], { id: "resp_1" }) },
    { events: Fixture.textAnswer(["Three."], { id: "resp_2" }) },
    { events: Fixture.textAnswer(["Five."], { id: "resp_3" }) }
  ]
}

/** Streams one turn: prints the text as it arrives, returns it with the response id. */
const turn = (
  connection: ResponsesWebsocket.ResponsesWebsocketConnection,
  question: string,
  previousResponseId: string | undefined
) =>
  Effect.gen(function* () {
    let text = ""
    let responseId: string | undefined
    process.stdout.write(`> ${question}\n`)
    yield* connection
      .streamRequest(
        {
          model: process.env.OPENAI_MODEL ?? "gpt-5",
          instructions: "Answer in one short sentence.",
          previousResponseId,
          input: [userMessage(question)],
          tools: [],
          toolChoice: "auto",
          parallelToolCalls: false,
          store: false,
          stream: true,
          include: []
        },
        previousResponseId !== undefined
      )
      .pipe(
        Stream.runForEach((event: ResponseEvent.ResponseEvent) =>
          Effect.sync(() => {
            if (event._tag === "OutputTextDelta") {
              text += event.delta
              process.stdout.write(event.delta)
            } else if (event._tag === "Completed") {
              responseId = event.responseId
            }
          })
        )
      )
    process.stdout.write("\n")
    return { text, responseId }
  })

/** Runs the conversation on one connection; returns each answer and response id. */
export const program = Effect.scoped(
  Effect.gen(function* () {
    const client = yield* ResponsesWebsocket.make
    const connection = yield* client.connect()
    const answers: Array<string> = []
    const responseIds: Array<string> = []
    let previous: string | undefined
    for (const question of questions) {
      const result = yield* turn(connection, question, previous)
      answers.push(result.text)
      if (result.responseId !== undefined) responseIds.push(result.responseId)
      previous = result.responseId
    }
    return { answers, responseIds }
  })
)

runIfMain(import.meta.url, program, script)
