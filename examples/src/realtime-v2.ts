/**
 * A realtime V2 session that speaks about the background agent's output: two standalone assistant
 * messages go through `RealtimeOutputForwarder` (`[BACKEND] ` items), and the second
 * `response.create` waits until the first response is done, so the server never sees two at once.
 *
 *   pnpm --filter @codex/examples exec tsx src/realtime-v2.ts
 *
 * Without `OPENAI_API_KEY` it talks to a small local realtime server (`ws`, below) that answers
 * each response with "Noted: <last item text>".
 */
import * as Provider from "@codex/api/Provider"
import * as RealtimeOutputForwarder from "@codex/api/RealtimeOutputForwarder"
import * as RealtimeWebsocket from "@codex/api/RealtimeWebsocket"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type { AddressInfo } from "node:net"
import { pathToFileURL } from "node:url"
import { type WebSocket, WebSocketServer } from "ws"

const messages = ["The build passed.", "All 42 tests are green."]

/** Connects, forwards the messages, and collects the model's answers until both responses are done. */
export const program = Effect.scoped(
  Effect.gen(function* () {
    const provider = yield* Provider.CurrentProvider
    const apiKey = yield* Config.option(Config.redacted("OPENAI_API_KEY"))
    const connection = yield* RealtimeWebsocket.make(provider).connect(
      {
        instructions: "Tell the user, in a few words, what the background agent reports.",
        model: process.env.OPENAI_REALTIME_MODEL ?? "gpt-realtime-1.5",
        eventParser: "RealtimeV2",
        sessionMode: "Conversational",
        outputModality: "text",
        voice: "marin"
      },
      Option.isSome(apiKey) ? { authorization: `Bearer ${Redacted.value(apiKey.value)}` } : {}
    )
    const forwarder = yield* RealtimeOutputForwarder.make(connection)
    for (const text of messages) yield* forwarder.forwardAssistantMessage(text)

    const answers: Array<string> = []
    let sessionId: string | undefined
    let done = 0
    while (done < messages.length) {
      const next = yield* connection.nextEvent
      if (Option.isNone(next)) break
      const event = next.value
      yield* forwarder.observe(event)
      if (event._tag === "SessionUpdated") sessionId = event.realtimeSessionId
      else if (event._tag === "OutputTranscriptDone") {
        answers.push(event.text)
        yield* Console.log(`model: ${event.text}`)
      } else if (event._tag === "ResponseDone") done++
      else if (event._tag === "Error") yield* Console.error(`server error: ${event.message}`)
    }
    yield* connection.close
    return { sessionId, answers }
  })
)

// ---------------------------------------------------------------------------------------------
// a local realtime V2 server
// ---------------------------------------------------------------------------------------------

/** What the local server saw: every client frame's `type`, and how many `response.create` it refused. */
export interface LocalServer {
  readonly baseUrl: string
  readonly received: Array<string>
  readonly refused: () => number
}

/** Answers like the realtime V2 API, one response at a time (a second `response.create` is refused). */
export const localServer: Effect.Effect<LocalServer, never, import("effect/Scope").Scope> = Effect.gen(function* () {
  const received: Array<string> = []
  let refused = 0
  const wss = yield* Effect.acquireRelease(
    Effect.async<WebSocketServer>((resume) => {
      const server = new WebSocketServer({ host: "127.0.0.1", port: 0 })
      server.on("listening", () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.async<void>((resume) => {
        for (const client of server.clients) client.terminate()
        server.close(() => resume(Effect.void))
      })
  )
  wss.on("connection", (socket: WebSocket) => {
    const send = (value: unknown) => socket.send(JSON.stringify(value))
    let lastText = ""
    let active: string | undefined
    let responses = 0
    socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as {
        type: string
        session?: { instructions?: string }
        item?: { content?: Array<{ text?: string }> }
      }
      received.push(frame.type)
      switch (frame.type) {
        case "session.update":
          send({ type: "session.updated", session: { id: "sess_local", instructions: frame.session?.instructions } })
          break
        case "conversation.item.create":
          lastText = (frame.item?.content?.[0]?.text ?? "").replace(/^\[BACKEND\] /, "")
          break
        case "response.create": {
          if (active !== undefined) {
            refused++
            send({
              type: "error",
              error: {
                type: "invalid_request_error",
                code: "conversation_already_has_active_response",
                message: `Conversation already has an active response in progress: ${active}. Wait until the response is finished before creating a new one.`
              }
            })
            break
          }
          const id = `resp_${++responses}`
          const text = `Noted: ${lastText}`
          active = id
          send({ type: "response.created", response: { id } })
          // The answer streams a little later, as a real model's would.
          setTimeout(() => {
            for (const word of text.split(/(?<= )/)) send({ type: "response.output_text.delta", delta: word })
            send({ type: "response.output_text.done", text })
            active = undefined
            send({ type: "response.done", response: { id } })
          }, 20)
          break
        }
      }
    })
  })
  const { port } = wss.address() as AddressInfo
  return { baseUrl: `http://127.0.0.1:${port}`, received, refused: () => refused }
})

/** The provider for the local server. */
export const layerLocal = (server: LocalServer) => Provider.layer(Provider.make({ baseUrl: server.baseUrl }))

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const services = process.env.OPENAI_API_KEY
    ? Provider.layerConfig
    : Layer.unwrapScoped(
        Effect.map(
          Effect.tap(localServer, (server) =>
            Console.error(`(OPENAI_API_KEY is not set: using a local realtime server at ${server.baseUrl})`)
          ),
          layerLocal
        )
      )
  NodeRuntime.runMain(program.pipe(Effect.provide(services)))
}
