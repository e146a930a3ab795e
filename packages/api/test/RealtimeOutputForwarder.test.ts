import * as Provider from "@codex/api/Provider"
import { RealtimeEvent } from "@codex/api/RealtimeEvent"
import * as RealtimeOutputForwarder from "@codex/api/RealtimeOutputForwarder"
import type * as RealtimeSession from "@codex/api/RealtimeSession"
import * as RealtimeWebsocket from "@codex/api/RealtimeWebsocket"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import type { AddressInfo } from "node:net"
import { type WebSocket, WebSocketServer } from "ws"

// A real `ws` server that records every text frame of its single client and can push frames to it.
const listen = Effect.gen(function* () {
  const received = yield* Queue.unbounded<any>()
  const sockets: Array<WebSocket> = []
  const server = yield* Effect.acquireRelease(
    Effect.async<WebSocketServer>((resume) => {
      const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 })
      wss.on("connection", (socket) => {
        sockets.push(socket)
        socket.on("message", (data, isBinary) => {
          if (!isBinary) Queue.unsafeOffer(received, JSON.parse(data.toString()))
        })
      })
      wss.on("listening", () => resume(Effect.succeed(wss)))
    }),
    (wss) =>
      Effect.async<void>((resume) => {
        for (const client of wss.clients) client.terminate()
        wss.close(() => resume(Effect.void))
      })
  )
  const { port } = server.address() as AddressInfo
  const push = (frame: unknown) => Effect.sync(() => sockets[0]!.send(JSON.stringify(frame)))
  return { received, push, baseUrl: `http://127.0.0.1:${port}` }
})

const config = (eventParser: RealtimeSession.RealtimeSessionConfig["eventParser"]) => ({
  instructions: "prompt",
  eventParser,
  sessionMode: "Conversational" as const,
  outputModality: "audio" as const,
  voice: "cedar" as const
})

const setup = (parser: RealtimeSession.RealtimeSessionConfig["eventParser"]) =>
  Effect.gen(function* () {
    const server = yield* listen
    const connection = yield* RealtimeWebsocket.make(Provider.make({ baseUrl: server.baseUrl })).connect(config(parser))
    expect((yield* Queue.take(server.received)).type).toBe("session.update")
    const forwarder = yield* RealtimeOutputForwarder.make(connection)
    const sentinel = Effect.gen(function* () {
      yield* connection.sendPayload(JSON.stringify({ type: "sentinel" }))
      return yield* Queue.take(server.received)
    })
    // The server pushes `frame`; the client reads the next event and feeds it to the forwarder.
    const serverSends = (frame: unknown) =>
      Effect.gen(function* () {
        yield* server.push(frame)
        const event = yield* connection.nextEvent
        expect(Option.isSome(event)).toBe(true)
        yield* forwarder.observe(Option.getOrThrow(event))
        return Option.getOrThrow(event)
      })
    return { received: server.received, forwarder, connection, sentinel, serverSends }
  })

const preamble = "I'll look at the failing tests first."
const bigAnswer = `${"x".repeat(6_000)}MIDDLE${"y".repeat(5_994)}`
const utf8Length = (text: string) => new TextEncoder().encode(text).length

describe("RealtimeOutputForwarder.truncateMiddle", () => {
  const split = (out: string) => {
    const match = /…\d+ tokens truncated…/.exec(out)
    expect(match).not.toBeNull()
    return {
      head: out.slice(0, match!.index),
      marker: match![0],
      tail: out.slice(match!.index + match![0].length)
    }
  }
  // [name, text, prefix, head bytes, marker, tail bytes]
  const cases: ReadonlyArray<readonly [string, string, string, number, string, number]> = [
    ["ASCII (V1)", "long output ".repeat(1000), "", 1986, "…2007 tokens truncated…", 1986],
    [
      "ASCII with the V2 prefix counted in the head",
      "long output ".repeat(1000),
      "[BACKEND] ",
      1986,
      "…2010 tokens truncated…",
      1986
    ],
    ["2-byte characters", "é".repeat(6001), "", 1986, "…2008 tokens truncated…", 1986],
    [
      "2-byte characters, head cut before a character",
      `a${"é".repeat(6000)}`,
      "",
      1985,
      "…2008 tokens truncated…",
      1986
    ],
    ["3-byte characters", "€".repeat(4001), "", 1986, "…2007 tokens truncated…", 1986],
    [
      "3-byte characters, head cut before a character",
      `ab${"€".repeat(4000)}`,
      "",
      1985,
      "…2008 tokens truncated…",
      1986
    ],
    ["4-byte characters", "🙂".repeat(1500), "", 1984, "…507 tokens truncated…", 1984],
    ["4-byte characters, odd length", `x${"🙂".repeat(1500)}`, "", 1985, "…507 tokens truncated…", 1988],
    ["4-byte characters with the V2 prefix", "🙂".repeat(1500), "[BACKEND] ", 1986, "…509 tokens truncated…", 1988]
  ]
  for (const [name, text, prefix, headBytes, marker, tailBytes] of cases) {
    it(`${name}: ${headBytes} B + ${marker} + ${tailBytes} B`, () => {
      const out = RealtimeOutputForwarder.truncateMiddle(text, 1000, prefix)
      const parts = split(out)
      expect(utf8Length(parts.head)).toBe(headBytes)
      expect(parts.marker).toBe(marker)
      expect(utf8Length(parts.tail)).toBe(tailBytes)
      const full = prefix + text
      expect(full.startsWith(parts.head)).toBe(true)
      expect(full.endsWith(parts.tail)).toBe(true)
      expect(out).not.toContain("\uFFFD")
      expect(RealtimeOutputForwarder.approxTokens(out)).toBeLessThanOrEqual(1000)
    })
  }

  it("keeps text within the budget unchanged", () => {
    expect(RealtimeOutputForwarder.truncateMiddle("hello", 1000, "[BACKEND] ")).toBe("[BACKEND] hello")
    const exact = "a".repeat(4000 - 10)
    expect(RealtimeOutputForwarder.truncateMiddle(exact, 1000, "[BACKEND] ")).toBe(`[BACKEND] ${exact}`)
    expect(RealtimeOutputForwarder.truncateMiddle(`${exact}a`, 1000, "[BACKEND] ")).toContain("tokens truncated")
  })

  it("with no room for any content, keeps the marker alone if it fits, else nothing", () => {
    expect(RealtimeOutputForwarder.truncateMiddle("abcdefghijklmnopqrstuvwxyz".repeat(40), 7)).toBe(
      "…260 tokens truncated…"
    )
    expect(RealtimeOutputForwarder.truncateMiddle("abcdef", 0)).toBe("")
    expect(RealtimeOutputForwarder.truncateMiddle("abcdefghijklmnopqrstuvwxyz".repeat(40), 5)).toBe("")
  })

  it("cuts the middle of a 12,000-byte message, prefix included in the cap", () => {
    expect(utf8Length(bigAnswer)).toBe(12_000)
    const out = RealtimeOutputForwarder.truncateMiddle(bigAnswer, 1000, "[BACKEND] ")
    expect(out.startsWith("[BACKEND] xxx")).toBe(true)
    expect(out.endsWith("yyy")).toBe(true)
    expect(out).not.toContain("MIDDLE")
    expect(utf8Length(out)).toBe(3999)
  })
})

describe("RealtimeOutputForwarder", () => {
  it.scoped("V1: handoff.append with handoff id codex, no prefix, capped; no response.create", () =>
    Effect.gen(function* () {
      const { received, forwarder, sentinel } = yield* setup("V1")
      yield* forwarder.forwardAssistantMessage(preamble)
      yield* forwarder.forwardAssistantMessage(bigAnswer)
      const first = yield* Queue.take(received)
      expect(first).toEqual({ type: "conversation.handoff.append", handoff_id: "codex", output_text: preamble })
      const second = yield* Queue.take(received)
      expect(second.type).toBe("conversation.handoff.append")
      expect(second.handoff_id).toBe("codex")
      expect(second.output_text).toContain("tokens truncated")
      expect(second.output_text.startsWith("[BACKEND]")).toBe(false)
      expect(utf8Length(second.output_text)).toBeLessThanOrEqual(4000)
      expect((yield* sentinel).type).toBe("sentinel")
    })
  )

  it.scoped(
    "V2: two quick messages send item.create, response.create, item.create; the second response.create waits for response.done",
    () =>
      Effect.gen(function* () {
        const { received, forwarder, sentinel, serverSends } = yield* setup("RealtimeV2")
        yield* forwarder.forwardAssistantMessage(preamble)
        yield* forwarder.forwardAssistantMessage(bigAnswer)
        expect(yield* Queue.take(received)).toEqual({
          type: "conversation.item.create",
          item: { type: "message", role: "user", content: [{ type: "input_text", text: `[BACKEND] ${preamble}` }] }
        })
        expect(yield* Queue.take(received)).toEqual({ type: "response.create" })
        const big = yield* Queue.take(received)
        const text: string = big.item.content[0].text
        expect(big.type).toBe("conversation.item.create")
        expect(text.startsWith("[BACKEND] ")).toBe(true)
        expect(text).toContain("tokens truncated")
        expect(utf8Length(text)).toBeLessThanOrEqual(4000)
        // Held back: the first response is active from the moment its response.create went out.
        expect((yield* sentinel).type).toBe("sentinel")
        expect(yield* forwarder.hasPendingResponseCreate).toBe(true)
        yield* serverSends({ type: "response.created", response: { id: "resp_1" } })
        expect((yield* sentinel).type).toBe("sentinel")
        yield* serverSends({ type: "response.done", response: { id: "resp_1" } })
        expect(yield* Queue.take(received)).toEqual({ type: "response.create" })
        expect(yield* forwarder.hasPendingResponseCreate).toBe(false)
      })
  )

  it.scoped("V2: a response.create refused with 'active response in progress' is sent again after response.done", () =>
    Effect.gen(function* () {
      const { received, forwarder, sentinel, serverSends } = yield* setup("RealtimeV2")
      // A response the forwarder did not start (e.g. server VAD) is running; the first
      // response.done releases the forwarder's own request...
      yield* forwarder.forwardAssistantMessage("first")
      expect((yield* Queue.take(received)).item.content[0].text).toBe("[BACKEND] first")
      expect(yield* Queue.take(received)).toEqual({ type: "response.create" })
      // ...but the server refuses it because its own response is still in progress.
      const refused = yield* serverSends({
        type: "error",
        error: {
          type: "invalid_request_error",
          code: "conversation_already_has_active_response",
          message:
            "Conversation already has an active response in progress: resp_vad. Wait until the response is finished before creating a new one."
        }
      })
      expect(refused._tag).toBe("Error")
      expect(yield* forwarder.hasPendingResponseCreate).toBe(true)
      yield* forwarder.forwardAssistantMessage("second")
      expect((yield* Queue.take(received)).item.content[0].text).toBe("[BACKEND] second")
      expect((yield* sentinel).type).toBe("sentinel")
      yield* serverSends({ type: "response.done", response: { id: "resp_vad" } })
      expect(yield* Queue.take(received)).toEqual({ type: "response.create" })
      expect((yield* sentinel).type).toBe("sentinel")
    })
  )

  it.scoped("V2: other server errors do not hold response.create back", () =>
    Effect.gen(function* () {
      const { received, forwarder, serverSends } = yield* setup("RealtimeV2")
      yield* serverSends({ type: "error", error: { message: "something else went wrong" } })
      expect(yield* forwarder.hasPendingResponseCreate).toBe(false)
      yield* forwarder.forwardAssistantMessage("after an error")
      expect((yield* Queue.take(received)).item.content[0].text).toBe("[BACKEND] after an error")
      expect(yield* Queue.take(received)).toEqual({ type: "response.create" })
    })
  )

  it.scoped("V2: response.cancelled and response.done each release the held-back response.create", () =>
    Effect.gen(function* () {
      const { received, forwarder, sentinel, serverSends } = yield* setup("RealtimeV2")
      const itemText = Effect.map(Queue.take(received), (frame) => frame.item.content[0].text as string)
      yield* forwarder.forwardAssistantMessage("one")
      expect(yield* itemText).toBe("[BACKEND] one")
      expect(yield* Queue.take(received)).toEqual({ type: "response.create" })
      yield* forwarder.forwardAssistantMessage("two")
      yield* forwarder.forwardAssistantMessage("three")
      expect(yield* itemText).toBe("[BACKEND] two")
      expect(yield* itemText).toBe("[BACKEND] three")
      expect((yield* sentinel).type).toBe("sentinel")
      // One response covers both held-back items.
      yield* serverSends({ type: "response.cancelled", response: { id: "resp_1" } })
      expect(yield* Queue.take(received)).toEqual({ type: "response.create" })
      expect((yield* sentinel).type).toBe("sentinel")
      yield* forwarder.forwardAssistantMessage("four")
      expect(yield* itemText).toBe("[BACKEND] four")
      expect((yield* sentinel).type).toBe("sentinel")
      yield* serverSends({ type: "response.done", response: { id: "resp_2" } })
      expect(yield* Queue.take(received)).toEqual({ type: "response.create" })
      // Nothing is pending any more: the next done releases nothing, the next message goes at once.
      yield* serverSends({ type: "response.done", response: { id: "resp_3" } })
      expect((yield* sentinel).type).toBe("sentinel")
      yield* forwarder.forwardAssistantMessage("five")
      expect(yield* itemText).toBe("[BACKEND] five")
      expect(yield* Queue.take(received)).toEqual({ type: "response.create" })
    })
  )

  it.scoped("V2: response.create is queued while a response is active and sent once it is done", () =>
    Effect.gen(function* () {
      const { received, forwarder, sentinel } = yield* setup("RealtimeV2")
      yield* forwarder.observe(RealtimeEvent.ResponseCreated({ responseId: "resp_1" }))
      yield* forwarder.forwardAssistantMessage("[BACKEND] already prefixed")
      yield* forwarder.forwardAssistantMessage("second")
      expect((yield* Queue.take(received)).item.content[0].text).toBe("[BACKEND] already prefixed")
      expect((yield* Queue.take(received)).item.content[0].text).toBe("[BACKEND] second")
      expect(yield* forwarder.hasPendingResponseCreate).toBe(true)
      expect((yield* sentinel).type).toBe("sentinel")
      yield* forwarder.observe(RealtimeEvent.ResponseDone({ responseId: "resp_1" }))
      expect(yield* Queue.take(received)).toEqual({ type: "response.create" })
      expect(yield* forwarder.hasPendingResponseCreate).toBe(false)
      expect((yield* sentinel).type).toBe("sentinel")
    })
  )

  it.scoped("skips blank output and forwards nothing while a handoff is active", () =>
    Effect.gen(function* () {
      const { received, forwarder, sentinel } = yield* setup("RealtimeV2")
      yield* forwarder.forwardAssistantMessage("")
      yield* forwarder.forwardAssistantMessage("  \n\t ")
      yield* forwarder.observe(
        RealtimeEvent.HandoffRequested({ handoffId: "c", itemId: "i", inputTranscript: "go", activeTranscript: [] })
      )
      yield* forwarder.forwardAssistantMessage("during handoff")
      expect((yield* sentinel).type).toBe("sentinel")
      yield* forwarder.setHandoffActive(false)
      yield* forwarder.forwardAssistantMessage("after handoff")
      expect((yield* Queue.take(received)).item.content[0].text).toBe("[BACKEND] after handoff")
    })
  )
})
