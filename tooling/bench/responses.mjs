// Responses streaming benchmark: a local node:http server streams N `response.output_text.delta`
// events (default 300 000, ~55 MB) + `response.completed`; side by side in one run:
//   (a) floor: fetch + streaming TextDecoder + split on "\n\n" + JSON.parse of each data line
//   (b) ours: @codex/api ResponsesClient.stream on HttpTransport.layerNode, consumed to completion
//   (c) openai-node: client.responses.create({ stream: true }) iterated to the end
// Median wall time of >= 3 runs (default 5; floor and ours interleaved) after two warm-up runs, with ratios to the floor; then the peak RSS of
// ours at 100 k and 1 M events, each measured in its own child process.
// Runs against the BUILT packages (`pnpm exec tsc -p tsconfig.build.json` in protocol, client, api).
// Usage: node tooling/bench/responses.mjs   (env: RESP_BENCH_EVENTS=300000 RESP_BENCH_RUNS=5)
import { spawn } from "node:child_process"
import * as Http from "node:http"
import { fileURLToPath, pathToFileURL } from "node:url"
import v8 from "node:v8"
import vm from "node:vm"
import * as Auth from "@codex/api/Auth"
import * as Provider from "@codex/api/Provider"
import * as Responses from "@codex/api/Responses"
import * as HttpTransport from "@codex/client/HttpTransport"
import { Effect, Layer, Stream } from "effect"
import OpenAI from "openai"
import { responsesCompleted, responsesCreated, responsesDelta } from "./payloads.mjs"

// ---------------------------------------------------------------------------------------------------
// server: streams `/n/<count>/v1/responses` from a pre-built batch, honouring back-pressure
// ---------------------------------------------------------------------------------------------------

const BATCH = 500
const sseOf = (payload) => `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`
const batch = Buffer.from(Array.from({ length: BATCH }, (_, i) => sseOf(responsesDelta(100_000 + i))).join(""))
const head = Buffer.from(sseOf(responsesCreated))
const tail = Buffer.from(sseOf(responsesCompleted))

export const bodyBytes = (events) => head.length + tail.length + Math.ceil(events / BATCH) * batch.length

export const startServer = () =>
  new Promise((resolve) => {
    const server = Http.createServer((req, res) => {
      req.resume()
      req.on("end", () => {
        const match = /^\/n\/(\d+)\//.exec(req.url ?? "")
        const events = match === null ? 300_000 : Number(match[1])
        res.writeHead(200, { "content-type": "text/event-stream", "x-request-id": "req_bench" })
        res.write(head)
        let left = Math.ceil(events / BATCH)
        const pump = () => {
          while (left > 0) {
            left--
            if (!res.write(batch)) return void res.once("drain", pump)
          }
          res.end(tail)
        }
        res.on("close", () => {
          left = 0
        })
        pump()
      })
    })
    server.keepAliveTimeout = 1000
    server.listen(0, "127.0.0.1", () => resolve(server))
  })

// ---------------------------------------------------------------------------------------------------
// contenders (each resolves to the number of events it saw)
// ---------------------------------------------------------------------------------------------------

const requestBody = { model: "gpt-bench", input: "hi", stream: true }

const floor = async (base) => {
  const response = await fetch(`${base}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify(requestBody)
  })
  const decoder = new TextDecoder()
  let buffer = ""
  let count = 0
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true })
    let start = 0
    let end = buffer.indexOf("\n\n", start)
    while (end !== -1) {
      const block = buffer.slice(start, end)
      const at = block.indexOf("data: ")
      if (at !== -1) {
        JSON.parse(block.slice(at + 6))
        count++
      }
      start = end + 2
      end = buffer.indexOf("\n\n", start)
    }
    buffer = buffer.slice(start)
  }
  return count
}

const oursLayer = (base) =>
  Responses.layer.pipe(
    Layer.provide(
      Layer.mergeAll(
        HttpTransport.layerNode,
        Auth.layerNone,
        Layer.succeed(Provider.CurrentProvider, Provider.make({ baseUrl: base, streamIdleTimeout: 60_000 }))
      )
    )
  )

const ours = (base) =>
  Effect.runPromise(
    Effect.flatMap(Responses.ResponsesClient, (client) => Stream.runCount(client.stream(requestBody))).pipe(
      Effect.provide(oursLayer(base))
    )
  )

const openai = async (base) => {
  const client = new OpenAI({ baseURL: base, apiKey: "dummy", maxRetries: 0 })
  const stream = await client.responses.create({ model: "gpt-bench", input: "hi", stream: true })
  let count = 0
  for await (const _event of stream) count++
  return count
}

export const contenders = [
  { name: "floor (fetch + split + JSON.parse)", run: floor },
  { name: "ours (ResponsesClient.stream)", run: ours },
  { name: "openai-node responses.create", run: openai }
]

// ---------------------------------------------------------------------------------------------------
// measurement
// ---------------------------------------------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

/** Peak RSS (MB) of `ours` for `events` events, in a fresh child process (`--heap`: also the heap after GC). */
const childRss = (base, events, extra = []) =>
  new Promise((resolve, reject) => {
    const args = [fileURLToPath(import.meta.url), "--child", `${base}/n/${events}/v1`, ...extra]
    const child = spawn(process.execPath, args, {
      stdio: ["ignore", "pipe", "inherit"]
    })
    let out = ""
    child.stdout.on("data", (c) => {
      out += c
    })
    child.on("error", reject)
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`child exited with ${code}`))
      resolve(JSON.parse(out))
    })
  })

export const run = async (options = {}) => {
  const events = options.events ?? Number(process.env.RESP_BENCH_EVENTS ?? 300_000)
  const runs = Math.max(3, options.runs ?? Number(process.env.RESP_BENCH_RUNS ?? 5))
  const server = await startServer()
  const origin = `http://127.0.0.1:${server.address().port}`
  const base = `${origin}/n/${events}/v1`
  try {
    // Warm-up (JIT): the Effect runtime needs a couple of runs to reach steady state.
    for (const contender of contenders) for (let i = 0; i < 2; i++) await contender.run(base)
    // The floor and ours alternate, so that bursts of background load hit both alike; openai-node (which
    // leaves far more garbage for whoever runs next) is measured in a block of its own afterwards.
    const times = contenders.map(() => [])
    const seen = contenders.map(() => 0)
    const measure = async (c) => {
      const start = performance.now()
      seen[c] = await contenders[c].run(base)
      times[c].push(performance.now() - start)
    }
    for (let i = 0; i < runs; i++) {
      await measure(0)
      await measure(1)
    }
    for (let i = 0; i < runs; i++) await measure(2)
    const results = contenders.map((contender, c) => ({ name: contender.name, ms: median(times[c]), events: seen[c] }))
    const floorMs = results[0].ms
    const oursMs = results[1].ms
    const openaiMs = results[2].ms
    console.log(
      `\nResponses stream: ${events} output_text.delta events + completed, ${(bodyBytes(events) / 1e6).toFixed(1)} MB, median of ${runs} runs`
    )
    console.table(
      results.map((r) => ({
        contender: r.name,
        "median ms": r.ms.toFixed(1),
        "x floor": (r.ms / floorMs).toFixed(2),
        "events seen": r.events
      }))
    )
    console.log(
      `ours / floor = ${(oursMs / floorMs).toFixed(2)} (target <= 1.3); openai-node / ours = ${(openaiMs / oursMs).toFixed(2)} (target >= 2.5)`
    )
    const rss = []
    for (const n of [100_000, 1_000_000]) {
      const { heapAfterGcMb } = await childRss(origin, n, ["--heap"])
      rss.push({ events: n, ...(await childRss(origin, n)), heapAfterGcMb })
    }
    console.table(
      rss.map((r) => ({
        events: r.events,
        "peak RSS MB": r.peakRssMb.toFixed(1),
        "heap after GC MB (first..last of 10 samples)": `${r.heapAfterGcMb[0]?.toFixed(1)}..${r.heapAfterGcMb.at(-1)?.toFixed(1)}`,
        "events seen": r.count
      }))
    )
    return { results, rss }
  } finally {
    server.closeAllConnections?.()
    server.close()
  }
}

export const main = async () => {
  const child = process.argv.indexOf("--child")
  if (child !== -1) {
    // Peak RSS includes garbage the GC has not collected yet (V8 lets the heap grow with the allocation
    // rate), so the child also reports the live heap after a forced GC every 10% of the stream: flat
    // when nothing is retained per event.
    // Forced GCs would lower the peak RSS, so the heap samples come from a separate run (`--heap`).
    const sampleHeap = process.argv.includes("--heap")
    if (sampleHeap) v8.setFlagsFromString("--expose-gc")
    const gc = sampleHeap ? vm.runInNewContext("gc") : undefined
    const url = process.argv[child + 1]
    const total = Number(/\/n\/(\d+)\//.exec(url)?.[1] ?? 0)
    const every = Math.max(1, Math.floor(total / 10))
    const heapAfterGcMb = []
    let count = 0
    await Effect.runPromise(
      Effect.flatMap(Responses.ResponsesClient, (client) =>
        Stream.runForEach(client.stream(requestBody), () =>
          Effect.sync(() => {
            if (++count % every === 0 && gc !== undefined) {
              gc()
              heapAfterGcMb.push(process.memoryUsage().heapUsed / 1024 / 1024)
            }
          })
        )
      ).pipe(Effect.provide(oursLayer(url)))
    )
    const peakRssMb = process.resourceUsage().maxRSS / 1024
    process.stdout.write(JSON.stringify({ count, peakRssMb, heapAfterGcMb }))
    return
  }
  await run()
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await main()
}
