import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import WebSocket from "ws"
import * as DemoFixture from "../src/DemoFixture.js"
import * as Fixture from "../src/Fixture.js"
import * as ResponsesServer from "../src/ResponsesServer.js"

const decoder = new TextDecoder()

/** Reads a fetch body chunk by chunk. */
const readAll = async (response: Response): Promise<{ text: string; reads: number }> => {
  const reader = response.body!.getReader()
  let text = ""
  let reads = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return { text, reads }
    reads++
    text += decoder.decode(value, { stream: true })
  }
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body)
  })

describe("ResponsesServer", () => {
  it.scoped("plays the script in order per route and records requests", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({
        script: {
          "/responses": [{ events: Fixture.textAnswer(["Hel", "lo"]) }, { status: 500, body: "boom" }],
          "/models": [{ json: { models: [] }, headers: { etag: "e1" } }]
        }
      })
      const first = yield* Effect.promise(() =>
        post(`${server.baseUrl}/responses`, { model: "m" }, { authorization: "Bearer x" })
      )
      expect(first.status).toBe(200)
      expect(first.headers.get("content-type")).toBe("text/event-stream")
      expect(first.headers.get("x-request-id")).toMatch(/^req_test_/)
      const { text } = yield* Effect.promise(() => readAll(first))
      const payloads = Fixture.fromSse(text) as Array<{ type: string; delta?: string }>
      expect(payloads.map((p) => p.type)).toEqual([
        "response.created",
        "response.output_text.delta",
        "response.output_text.delta",
        "response.output_item.done",
        "response.completed"
      ])
      expect(payloads[1]?.delta).toBe("Hel")

      const second = yield* Effect.promise(() => post(`${server.baseUrl}/responses`, {}))
      expect(second.status).toBe(500)
      expect(yield* Effect.promise(() => second.text())).toBe("boom")

      const models = yield* Effect.promise(() => fetch(`${server.baseUrl}/models?client_version=1.2.3`))
      expect(models.headers.get("etag")).toBe("e1")
      expect(yield* Effect.promise(() => models.json())).toEqual({ models: [] })

      // Script exhausted and no default: 404 with a JSON explanation.
      const third = yield* Effect.promise(() => post(`${server.baseUrl}/responses`, {}))
      expect(third.status).toBe(404)
      expect(yield* Effect.promise(() => third.text())).toContain("no scripted response for POST /responses")

      expect(server.requests.map((r) => [r.method, r.route])).toEqual([
        ["POST", "/responses"],
        ["POST", "/responses"],
        ["GET", "/models"],
        ["POST", "/responses"]
      ])
      expect(server.requests[0]?.json).toEqual({ model: "m" })
      expect(server.requests[0]?.headers.authorization).toBe("Bearer x")
      expect(server.requests[2]?.path).toBe("/v1/models?client_version=1.2.3")
    })
  )

  it.scoped("enqueue and defaults: defaults repeat once the queue is empty", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ defaults: { "/responses/compact": { json: { output: [] } } } })
      server.enqueue("/responses/compact", { status: 429, retryAfter: 7, json: { error: { message: "slow" } } })
      const limited = yield* Effect.promise(() => post(`${server.url}/responses/compact`, {}))
      expect(limited.status).toBe(429)
      expect(limited.headers.get("retry-after")).toBe("7")
      for (let i = 0; i < 2; i++) {
        const ok = yield* Effect.promise(() => post(`${server.baseUrl}/responses/compact`, {}))
        expect(ok.status).toBe(200)
        expect(yield* Effect.promise(() => ok.json())).toEqual({ output: [] })
      }
    })
  )

  it.scoped("chunks down to one byte with delays: the body arrives in several reads, intact", () =>
    Effect.gen(function* () {
      const events = Fixture.textAnswer(["a", "b"])
      const server = yield* ResponsesServer.make({
        script: { "/responses": [{ events, chunkSize: 1, chunkDelayMs: 1 }] }
      })
      const response = yield* Effect.promise(() => post(`${server.baseUrl}/responses`, {}))
      const { text, reads } = yield* Effect.promise(() => readAll(response))
      expect(text).toBe(Fixture.toSse(events))
      expect(reads).toBeGreaterThan(10)
    })
  )

  it.scoped("headersDelayMs still delivers the response (timing is covered with TestClock in InMemoryTransport)", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({
        script: { "/models": [{ json: { models: [] }, headersDelayMs: 20 }] }
      })
      const response = yield* Effect.promise(() => fetch(`${server.baseUrl}/models`))
      expect(response.status).toBe(200)
      expect(yield* Effect.promise(() => response.json())).toEqual({ models: [] })
    })
  )

  it.scoped("drops the connection mid-stream after N bytes", () =>
    Effect.gen(function* () {
      const events = Fixture.textAnswer(["Hello", " world"])
      const full = Fixture.toSse(events)
      const server = yield* ResponsesServer.make({ script: { "/responses": [{ events, dropAfterBytes: 40 }] } })
      const response = yield* Effect.promise(() => post(`${server.baseUrl}/responses`, {}))
      expect(response.status).toBe(200)
      const reader = response.body!.getReader()
      let received = ""
      const error = yield* Effect.promise(async () => {
        try {
          for (;;) {
            const { done, value } = await reader.read()
            if (done) return undefined
            received += decoder.decode(value)
          }
        } catch (e) {
          return e
        }
      })
      expect(error).toBeDefined()
      expect(received).toBe(full.slice(0, 40))
    })
  )

  it.scoped("stalls after the first event; closing the server releases the stalled connection", () =>
    Effect.gen(function* () {
      const events = Fixture.textAnswer(["x"])
      const firstLength = Fixture.toSse(events.slice(0, 1)).length
      const handle = yield* Effect.promise(() =>
        ResponsesServer.start({ script: { "/responses": [{ events, stall: true, stallAfterBytes: firstLength }] } })
      )
      const response = yield* Effect.promise(() => post(`${handle.baseUrl}/responses`, {}))
      const reader = response.body!.getReader()
      const first = yield* Effect.promise(() => reader.read())
      expect(decoder.decode(first.value)).toBe(Fixture.toSse(events.slice(0, 1)))
      const pending = reader.read().then(
        (r) => (r.done ? "done" : "data"),
        () => "error"
      )
      const early = yield* Effect.promise(() =>
        Promise.race([pending, new Promise((resolve) => setTimeout(() => resolve("still waiting"), 150))])
      )
      expect(early).toBe("still waiting")
      expect(handle.openConnections()).toBe(1)
      yield* Effect.promise(() => handle.close())
      expect(yield* Effect.promise(() => pending)).toBe("error")
      expect(handle.openConnections()).toBe(0)
    })
  )

  it.scoped("malformed events are written verbatim", () =>
    Effect.gen(function* () {
      const events = [Fixture.created(), Fixture.malformedEvent("{oops"), Fixture.completed()]
      const server = yield* ResponsesServer.make({ script: { "/responses": [{ events }] } })
      const response = yield* Effect.promise(() => post(`${server.baseUrl}/responses`, {}))
      const { text } = yield* Effect.promise(() => readAll(response))
      expect(text).toContain("data: {oops\n\n")
      expect(Fixture.fromSse(text)).toEqual([
        { type: "response.created", response: { id: "resp_1" } },
        "{oops",
        { type: "response.completed", response: { id: "resp_1" } }
      ])
    })
  )

  it.scoped("the demo fixture sends rate-limit headers and a request id", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ defaults: DemoFixture.defaults() })
      const response = yield* Effect.promise(() => post(`${server.baseUrl}/responses`, {}))
      expect(response.headers.get("x-request-id")).toBe("req_demo_0001")
      expect(response.headers.get("x-codex-primary-used-percent")).toBe("23.5")
      expect(response.headers.get("x-codex-primary-window-minutes")).toBe("300")
      expect(Number(response.headers.get("x-codex-primary-reset-at"))).toBeGreaterThan(Date.now() / 1000)
      const payloads = Fixture.fromSse((yield* Effect.promise(() => readAll(response))).text) as Array<{
        type: string
        delta?: string
      }>
      const text = payloads
        .filter((p) => p.type === "response.output_text.delta")
        .map((p) => p.delta)
        .join("")
      expect(text).toBe(DemoFixture.answer)
      expect(payloads.some((p) => p.type === "response.reasoning_summary_text.delta")).toBe(true)
      expect(payloads.at(-1)?.type).toBe("response.completed")
    })
  )

  it.scoped("cors: answers preflights without recording them and allows any origin on responses", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({
        script: { "/responses": [{ events: Fixture.textAnswer(["ok"]), headers: { "x-request-id": "r1" } }] },
        cors: true
      })
      const preflight = yield* Effect.promise(() =>
        fetch(`${server.baseUrl}/responses`, {
          method: "OPTIONS",
          headers: {
            origin: "http://127.0.0.1:1",
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization,content-type"
          }
        })
      )
      expect(preflight.status).toBe(204)
      expect(preflight.headers.get("access-control-allow-origin")).toBe("*")
      expect(preflight.headers.get("access-control-allow-methods")).toBe("POST")
      expect(preflight.headers.get("access-control-allow-headers")).toBe("authorization,content-type")
      expect(server.requests).toEqual([])

      const response = yield* Effect.promise(() =>
        post(`${server.baseUrl}/responses`, { model: "m" }, { origin: "http://127.0.0.1:1" })
      )
      const { text } = yield* Effect.promise(() => readAll(response))
      expect(response.headers.get("access-control-allow-origin")).toBe("*")
      expect(response.headers.get("access-control-expose-headers")).toBe("*")
      expect(response.headers.get("x-request-id")).toBe("r1")
      expect(text).toContain("event: response.completed")
      expect(server.requests.map((r) => `${r.method} ${r.route}`)).toEqual(["POST /responses"])
    })
  )

  it.scoped("without cors, responses carry no CORS headers and OPTIONS is a scripted request", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ script: { "/responses": [{ status: 204 }] } })
      const response = yield* Effect.promise(() =>
        fetch(`${server.baseUrl}/responses`, {
          method: "OPTIONS",
          headers: { "access-control-request-method": "POST" }
        })
      )
      expect(response.headers.get("access-control-allow-origin")).toBe(null)
      expect(server.requests.map((r) => `${r.method} ${r.route}`)).toEqual(["OPTIONS /responses"])
    })
  )
})

describe("Fixture", () => {
  it("toSse / fromSse round-trip, with comments, CRLF and a final event without blank line", () => {
    const events = Fixture.textAnswer(["x", "y"])
    expect(Fixture.fromSse(Fixture.toSse(events))).toEqual(events)
    expect(Fixture.fromSse(': keepalive\r\ndata: {"type":"a"}\r\n\r\ndata: {"type":"b"}')).toEqual([
      { type: "a" },
      { type: "b" }
    ])
    expect(Fixture.fromSse('event: x\ndata: {"a":\ndata: 1}\n\n')).toEqual([{ a: 1 }])
  })
})

describe("ResponsesServer over WebSocket", () => {
  const connect = (url: string, headers: Record<string, string> = {}) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, { headers })
      ws.once("open", () => resolve(ws))
      ws.once("error", reject)
    })
  const receive = (ws: WebSocket, count: number) =>
    new Promise<Array<string>>((resolve) => {
      const frames: Array<string> = []
      const onMessage = (data: Buffer) => {
        frames.push(data.toString("utf8"))
        if (frames.length === count) {
          ws.off("message", onMessage)
          resolve(frames)
        }
      }
      ws.on("message", onMessage)
    })

  it.scoped("answers each response.create with the next script entry, one frame per event", () =>
    Effect.gen(function* () {
      const events = Fixture.textAnswer(["Hi"])
      const server = yield* ResponsesServer.make({
        script: {
          "/responses": [{ events }, { status: 429, json: { error: { code: "rate_limit_exceeded", message: "slow" } } }]
        },
        websocketHeaders: { "openai-model": "m-ws" }
      })
      const upgradeHeaders = yield* Effect.promise(
        () =>
          new Promise<Record<string, unknown>>((resolve) => {
            const ws = new WebSocket(`${server.baseUrl.replace("http", "ws")}/responses`)
            let headers: Record<string, unknown> = {}
            ws.once("upgrade", (res) => {
              headers = res.headers
            })
            ws.once("open", () => {
              ws.close()
              resolve(headers)
            })
          })
      )
      expect(upgradeHeaders["openai-model"]).toBe("m-ws")
      const ws = yield* Effect.acquireRelease(
        Effect.promise(() =>
          connect(`${server.baseUrl.replace("http", "ws")}/responses`, { authorization: "Bearer k" })
        ),
        (ws) => Effect.sync(() => ws.terminate())
      )
      const first = receive(ws, events.length)
      ws.send(JSON.stringify({ type: "response.create", model: "m" }))
      expect((yield* Effect.promise(() => first)).map((f) => JSON.parse(f))).toEqual(events)
      const second = receive(ws, 1)
      ws.send(JSON.stringify({ type: "response.create", model: "m2" }))
      expect(JSON.parse((yield* Effect.promise(() => second))[0] ?? "")).toEqual({
        type: "error",
        status: 429,
        error: { code: "rate_limit_exceeded", message: "slow" }
      })
      const ws1 = server.requests.filter((r) => r.method === "WS")
      expect(ws1.map((r) => (r.json as { model: string }).model)).toEqual(["m", "m2"])
      expect(ws1[0]?.headers.authorization).toBe("Bearer k")
      expect(ws1[0]?.route).toBe("/responses")
    })
  )

  it.scoped("dropAfterBytes sends the frames that fit, then terminates the socket", () =>
    Effect.gen(function* () {
      const events = Fixture.textAnswer(["a", "b"])
      const firstTwo = JSON.stringify(events[0]).length + JSON.stringify(events[1]).length
      const server = yield* ResponsesServer.make({ script: { "/responses": [{ events, dropAfterBytes: firstTwo }] } })
      const ws = yield* Effect.promise(() => connect(`${server.baseUrl.replace("http", "ws")}/responses`))
      const frames: Array<string> = []
      ws.on("message", (data: Buffer) => frames.push(data.toString("utf8")))
      const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)))
      ws.send(JSON.stringify({ type: "response.create" }))
      expect(yield* Effect.promise(() => closed)).toBe(1006)
      expect(frames.map((f) => JSON.parse(f))).toEqual(events.slice(0, 2))
    })
  )
})
