// WebSocket streaming benchmark: a local `ws` server answers one request with N events, one per
// text frame (default 300 000 `response.output_text.delta`, ~55 MB), side by side in one run:
//   Responses: (a) floor: a `ws` client that JSON.parses every frame until `response.completed`
//              (b) ours: @codex/api ResponsesWebsocket connect + streamRequest, consumed to completion
//   Realtime:  (a) floor: a `ws` client that JSON.parses every frame until the server closes
//              (b) ours: @codex/api RealtimeWebsocket connect + `events`, consumed until the close
// Each pair runs without permessage-deflate and, for Responses (whose client offers it), with it; `ws`
// inflates every message on the libuv thread pool (~0.1-1 ms each), so the deflate pair streams fewer
// events (default 20 000).
// The server writes pre-encoded frames (pre-compressed when deflate was negotiated) straight to the
// TCP socket in batches, honouring back-pressure, so its cost is small and the same for both sides.
// Median wall time of >= 3 runs (default 5; floor and ours interleaved) after two warm-up runs each,
// with the ratio to the floor and the load average before and after.
// Runs against the BUILT packages (`pnpm build`, or `pnpm bench`, which builds first).
// Usage: node tooling/bench/websocket.mjs
//   env: WS_BENCH_EVENTS=300000 WS_BENCH_DEFLATE_EVENTS=20000 WS_BENCH_RUNS=5 WS_BENCH_ONLY=<case name part>
import os from "node:os"
import { pathToFileURL } from "node:url"
import zlib from "node:zlib"
import * as Auth from "@codex/api/Auth"
import * as Provider from "@codex/api/Provider"
import * as RealtimeWebsocket from "@codex/api/RealtimeWebsocket"
import * as ResponsesWebsocket from "@codex/api/ResponsesWebsocket"
import { Effect, Layer, Stream } from "effect"
import WebSocket, { WebSocketServer } from "ws"
import { responsesCompleted, responsesCreated, responsesDelta } from "./payloads.mjs"

// ---------------------------------------------------------------------------------------------------
// frames
// ---------------------------------------------------------------------------------------------------

const BATCH = 500

/** A server-to-client (unmasked) text frame, RSV1 set when the payload is deflated. */
const encodeFrame = (payload, deflated) => {
  const first = deflated ? 0xc1 : 0x81
  const n = payload.length
  let head
  if (n < 126) head = Buffer.from([first, n])
  else if (n < 65536) head = Buffer.from([first, 126, n >> 8, n & 0xff])
  else {
    head = Buffer.alloc(10)
    head[0] = first
    head[1] = 127
    head.writeBigUInt64BE(BigInt(n), 2)
  }
  return Buffer.concat([head, payload])
}

/** permessage-deflate of one message, compressed on its own (decodable with or without context). */
const deflate = (text) => {
  const out = zlib.deflateRawSync(Buffer.from(text), { finishFlush: zlib.constants.Z_SYNC_FLUSH })
  return out.subarray(0, out.length - 4)
}

const frameOf = (value, deflated) => {
  const text = JSON.stringify(value)
  return encodeFrame(deflated ? deflate(text) : Buffer.from(text), deflated)
}

const realtimeDelta = (seq) => ({
  type: "response.output_audio_transcript.delta",
  event_id: `event_${seq}`,
  response_id: "resp_0123456789abcdef",
  item_id: "item_0123456789abcdef0123456789",
  output_index: 0,
  content_index: 0,
  delta: "The quick brown fox jumps over the lazy dog. "
})

/** Pre-encoded frames of one script: head, a batch of BATCH deltas (repeated), tail. */
const script = (kind, deflated) => {
  const delta = kind === "responses" ? responsesDelta : realtimeDelta
  const batch = Buffer.concat(Array.from({ length: BATCH }, (_, i) => frameOf(delta(100_000 + i), deflated)))
  const head =
    kind === "responses"
      ? frameOf(responsesCreated, deflated)
      : frameOf({ type: "session.updated", session: { id: "sess_bench", instructions: "" } }, deflated)
  const tail = kind === "responses" ? frameOf(responsesCompleted, deflated) : Buffer.alloc(0)
  return { head, batch, tail, bytes: (events) => head.length + tail.length + Math.ceil(events / BATCH) * batch.length }
}

// ---------------------------------------------------------------------------------------------------
// server: on the first client message, writes `events` deltas (+ completion / close)
// ---------------------------------------------------------------------------------------------------

const startServer = (kind, deflated, events) =>
  new Promise((resolve) => {
    const frames = script(kind, deflated)
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: deflated })
    wss.on("connection", (ws) => {
      ws.once("message", () => {
        // Raw writes on the TCP socket: the frames are already encoded (and compressed).
        const socket = ws._socket
        socket.write(frames.head)
        let left = Math.ceil(events / BATCH)
        const pump = () => {
          while (left > 0) {
            left--
            if (!socket.write(frames.batch)) return void socket.once("drain", pump)
          }
          if (kind === "responses") socket.write(frames.tail)
          else ws.close(1000, "done")
        }
        ws.on("close", () => {
          left = 0
        })
        pump()
      })
    })
    wss.on("listening", () => resolve({ wss, origin: `http://127.0.0.1:${wss.address().port}`, frames }))
  })

// ---------------------------------------------------------------------------------------------------
// contenders (each resolves to the number of events it saw)
// ---------------------------------------------------------------------------------------------------

/** The floor: JSON.parse of every frame; ends at `response.completed` or at the close. */
const floor = (url, first, isLast) =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: true })
    let count = 0
    ws.on("open", () => ws.send(first))
    ws.on("message", (data) => {
      const event = JSON.parse(data.toString("utf8"))
      count++
      if (isLast(event)) {
        ws.terminate()
        resolve(count)
      }
    })
    ws.on("close", () => resolve(count))
    ws.on("error", reject)
  })

const responsesRequest = {
  model: "gpt-bench",
  instructions: "",
  input: [],
  tools: [],
  toolChoice: "auto",
  parallelToolCalls: false,
  store: false,
  stream: true,
  include: []
}

const responsesFloor = (origin) =>
  floor(
    `${origin.replace("http", "ws")}/v1/responses`,
    JSON.stringify({ type: "response.create", model: "gpt-bench" }),
    (event) => event.type === "response.completed"
  )

const responsesOurs = (origin) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const client = yield* ResponsesWebsocket.make
        const connection = yield* client.connect()
        return yield* Stream.runCount(connection.streamRequest(responsesRequest))
      })
    ).pipe(
      Effect.provide(
        Layer.mergeAll(
          Auth.layerNone,
          Provider.layer(Provider.make({ baseUrl: `${origin}/v1`, streamIdleTimeout: 60_000 }))
        )
      )
    )
  )

const realtimeConfig = {
  instructions: "",
  eventParser: "RealtimeV2",
  sessionMode: "Conversational",
  outputModality: "audio",
  voice: "cedar"
}

const realtimeFloor = (origin) =>
  floor(
    `${origin.replace("http", "ws")}/v1/realtime`,
    JSON.stringify({ type: "session.update", session: {} }),
    () => false
  )

const realtimeOurs = (origin) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const client = RealtimeWebsocket.make(Provider.make({ baseUrl: origin }))
        const connection = yield* client.connect(realtimeConfig)
        return yield* Stream.runCount(connection.events)
      })
    )
  )

// ---------------------------------------------------------------------------------------------------
// measurement
// ---------------------------------------------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")

const cases = [
  { name: "Responses, no deflate", kind: "responses", deflated: false, floor: responsesFloor, ours: responsesOurs },
  {
    name: "Responses, permessage-deflate",
    kind: "responses",
    deflated: true,
    floor: responsesFloor,
    ours: responsesOurs
  },
  { name: "Realtime events, no deflate", kind: "realtime", deflated: false, floor: realtimeFloor, ours: realtimeOurs }
]

export const run = async (options = {}) => {
  const plainEvents = options.events ?? Number(process.env.WS_BENCH_EVENTS ?? 300_000)
  const deflateEvents = options.deflateEvents ?? Number(process.env.WS_BENCH_DEFLATE_EVENTS ?? 20_000)
  const runs = Math.max(3, options.runs ?? Number(process.env.WS_BENCH_RUNS ?? 5))
  const only = options.only ?? process.env.WS_BENCH_ONLY
  const rows = []
  const loadBefore = load()
  for (const c of cases) {
    if (only !== undefined && !c.name.toLowerCase().includes(only.toLowerCase())) continue
    const events = c.deflated ? deflateEvents : plainEvents
    const { wss, origin, frames } = await startServer(c.kind, c.deflated, events)
    try {
      for (let i = 0; i < 2; i++) {
        await c.floor(origin)
        await c.ours(origin)
      }
      const times = { floor: [], ours: [] }
      const cpu = { floor: [], ours: [] }
      const seen = { floor: 0, ours: 0 }
      // Interleaved, so that bursts of background load hit both alike. CPU time (user + system, of this
      // process: client and server) is less sensitive to other processes than wall time.
      for (let i = 0; i < runs; i++) {
        for (const side of ["floor", "ours"]) {
          const start = performance.now()
          const cpuStart = process.cpuUsage()
          seen[side] = await c[side](origin)
          const used = process.cpuUsage(cpuStart)
          times[side].push(performance.now() - start)
          cpu[side].push((used.user + used.system) / 1000)
        }
      }
      const floorMs = median(times.floor)
      const oursMs = median(times.ours)
      const floorCpu = median(cpu.floor)
      const oursCpu = median(cpu.ours)
      rows.push({
        case: c.name,
        events,
        MB: (frames.bytes(events) / 1e6).toFixed(1),
        "floor ms": floorMs.toFixed(1),
        "ours ms": oursMs.toFixed(1),
        "ours / floor": (oursMs / floorMs).toFixed(2),
        "CPU ms floor/ours": `${floorCpu.toFixed(0)}/${oursCpu.toFixed(0)}`,
        "CPU ours / floor": (oursCpu / floorCpu).toFixed(2),
        "events floor/ours": `${seen.floor}/${seen.ours}`
      })
    } finally {
      for (const client of wss.clients) client.terminate()
      wss.close()
    }
  }
  console.log(`\nWebSocket streams: delta events, one per text frame, median of ${runs} interleaved runs`)
  console.table(rows)
  console.log(`target: ours / floor <= 1.3 without deflate; load average before ${loadBefore}, after ${load()}`)
  return rows
}

export const main = () => run()

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await main()
}
