import * as Provider from "@codex/api/Provider"
import { RealtimeEvent } from "@codex/api/RealtimeEvent"
import * as RealtimeOutputForwarder from "@codex/api/RealtimeOutputForwarder"
import type * as RealtimeSession from "@codex/api/RealtimeSession"
import * as RealtimeWebsocket from "@codex/api/RealtimeWebsocket"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import type { AddressInfo } from "node:net"
import { WebSocketServer } from "ws"

// A real `ws` server that records every text frame of its single client.
const listen = Effect.gen(function* () {
  const received = yield* Queue.unbounded<any>()
  const server = yield* Effect.acquireRelease(
    Effect.async<WebSocketServer>((resume) => {
      const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 })
      wss.on("connection", (socket) => {
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
  return { received, baseUrl: `http://127.0.0.1:${port}` }
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
    return { received: server.received, forwarder, connection, sentinel }
  })

const preamble = "I'll look at the failing tests first."
const bigAnswer = `${"x".repeat(6_000)}MIDDLE${"y".repeat(5_994)}`
const utf8Length = (text: string) => new TextEncoder().encode(text).length

describe("RealtimeOutputForwarder.truncateMiddle", () => {
  it("keeps text within the budget unchanged", () => {
    expect(RealtimeOutputForwarder.truncateMiddle("hello", 1000, "[BACKEND] ")).toBe("[BACKEND] hello")
    const exact = "a".repeat(4000 - 10)
    expect(RealtimeOutputForwarder.truncateMiddle(exact, 1000, "[BACKEND] ")).toBe(`[BACKEND] ${exact}`)
  })

  it("cuts the middle of a 12,000-byte message, prefix included in the cap", () => {
    expect(utf8Length(bigAnswer)).toBe(12_000)
    const out = RealtimeOutputForwarder.truncateMiddle(bigAnswer, 1000, "[BACKEND] ")
    expect(out.startsWith("[BACKEND] xxx")).toBe(true)
    expect(out.endsWith("yyy")).toBe(true)
    expect(out).toContain("tokens truncated")
    expect(out).not.toContain("MIDDLE")
    expect(utf8Length(out)).toBeLessThanOrEqual(4000)
    expect(utf8Length(out)).toBeGreaterThan(3900)
    expect(RealtimeOutputForwarder.approxTokens(out)).toBeLessThanOrEqual(1000)
  })

  it("never splits a multi-byte character", () => {
    const text = "é🙂".repeat(2_000)
    const out = RealtimeOutputForwarder.truncateMiddle(text, 100)
    expect(out).not.toContain("\uFFFD")
    expect(utf8Length(out)).toBeLessThanOrEqual(400)
    expect(out).toMatch(/…\d+ tokens truncated…/)
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

  it.scoped("V2: [BACKEND] item.create then response.create for each message", () =>
    Effect.gen(function* () {
      const { received, forwarder, sentinel } = yield* setup("RealtimeV2")
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
      expect(yield* Queue.take(received)).toEqual({ type: "response.create" })
      expect((yield* sentinel).type).toBe("sentinel")
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
