// SSE decoding benchmark: a realistic ~50 MB Responses stream decoded + JSON.parse'd by
//   (a) floor: streaming TextDecoder + split on "\n\n" + pull `data:` lines (no SSE semantics)
//   (b) @codex/client/Sse makeDecoder (the low-level incremental decoder)
//   (c) @codex/client/Sse decode (the Effect Stream)
//   (d) @effect/experimental/Sse makeChannel after Stream.decodeText
// for 16 KiB chunks and for irregular 1-4096 byte chunks. Reports the median wall time of >= 5 runs
// after warm-up, and the median peak-RSS delta, with ratios to the floor.
// Runs against the BUILT packages: `cd packages/client && pnpm exec tsc -p tsconfig.build.json`.
// Usage: node tooling/bench/sse.mjs   (env: SSE_BENCH_MB=50 SSE_BENCH_RUNS=5)
import * as Sse from "@codex/client/Sse"
import * as ExperimentalSse from "@effect/experimental/Sse"
import { Chunk, Effect, Stream } from "effect"
import v8 from "node:v8"
import vm from "node:vm"
import { pathToFileURL } from "node:url"

v8.setFlagsFromString("--expose-gc")
const gc = vm.runInNewContext("gc")

// ---------------------------------------------------------------------------------------------------
// input
// ---------------------------------------------------------------------------------------------------

const WORDS = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "über", "naïve", "数据", "🙂", "stream"]

/** Deterministic PRNG (mulberry32), so every run sees the same input. */
const prng = (seed) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const frame = (type, payload) => `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`

export const makeInput = (megabytes = 50) => {
  const rand = prng(42)
  const target = megabytes * 1024 * 1024
  const parts = []
  let size = 0
  let seq = 0
  let events = 0
  const push = (s) => {
    parts.push(s)
    size += Buffer.byteLength(s)
    events++
  }
  const response = (status) => ({ id: "resp_0123456789abcdef", object: "response", status, model: "gpt-5", output: [] })
  push(frame("response.created", { response: response("in_progress"), sequence_number: seq++ }))
  let item = 0
  while (size < target) {
    const itemId = `msg_${(item++).toString(16).padStart(24, "0")}`
    const message = { id: itemId, type: "message", status: "in_progress", role: "assistant", content: [] }
    push(frame("response.output_item.added", { output_index: 0, item: message, sequence_number: seq++ }))
    const deltas = 200 + Math.floor(rand() * 800)
    for (let d = 0; d < deltas && size < target; d++) {
      const n = 1 + Math.floor(rand() * 5)
      let delta = ""
      for (let w = 0; w < n; w++) delta += `${WORDS[Math.floor(rand() * WORDS.length)]} `
      push(
        frame("response.output_text.delta", {
          item_id: itemId,
          output_index: 0,
          content_index: 0,
          delta,
          sequence_number: seq++
        })
      )
    }
    push(
      frame("response.output_item.done", {
        output_index: 0,
        item: { ...message, status: "completed" },
        sequence_number: seq++
      })
    )
  }
  push(frame("response.completed", { response: response("completed"), sequence_number: seq++ }))
  return { bytes: new TextEncoder().encode(parts.join("")), events }
}

export const chunkFixed = (bytes, size) => {
  const out = []
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size))
  return out
}

export const chunkIrregular = (bytes, max) => {
  const rand = prng(7)
  const out = []
  for (let i = 0; i < bytes.length; ) {
    const n = 1 + Math.floor(rand() * max)
    out.push(bytes.subarray(i, i + n))
    i += n
  }
  return out
}

// ---------------------------------------------------------------------------------------------------
// contenders: each returns the number of parsed JSON payloads
// ---------------------------------------------------------------------------------------------------

let peakRss = 0
const sample = () => {
  const rss = process.memoryUsage.rss()
  if (rss > peakRss) peakRss = rss
}
const SAMPLE_EVERY = 32

const floor = (chunks) => {
  const decoder = new TextDecoder()
  let buffer = ""
  let count = 0
  const block = (b) => {
    let start = 0
    while (start < b.length) {
      let end = b.indexOf("\n", start)
      if (end === -1) end = b.length
      if (b.startsWith("data:", start)) {
        JSON.parse(b.slice(b.charCodeAt(start + 5) === 32 ? start + 6 : start + 5, end))
        count++
      }
      start = end + 1
    }
  }
  for (let i = 0; i < chunks.length; i++) {
    if (i % SAMPLE_EVERY === 0) sample()
    buffer += decoder.decode(chunks[i], { stream: true })
    let start = 0
    let sep
    while ((sep = buffer.indexOf("\n\n", start)) !== -1) {
      block(buffer.slice(start, sep))
      start = sep + 2
    }
    buffer = buffer.slice(start)
  }
  buffer += decoder.decode()
  if (buffer.length > 0) block(buffer)
  return count
}

const oursSync = (chunks) => {
  const decoder = Sse.makeDecoder()
  let count = 0
  for (let i = 0; i < chunks.length; i++) {
    if (i % SAMPLE_EVERY === 0) sample()
    const events = decoder.push(chunks[i])
    for (let j = 0; j < events.length; j++) {
      JSON.parse(events[j].data)
      count++
    }
  }
  for (const event of decoder.end()) {
    JSON.parse(event.data)
    count++
  }
  return count
}

/** One upstream chunk per pull, like an HTTP body. */
const source = (chunks) =>
  Stream.fromIterable(chunks).pipe(
    Stream.mapChunks((c) => {
      sample()
      return c
    }),
    Stream.rechunk(1)
  )

const countChunks = (stream) => {
  let count = 0
  return stream.pipe(
    Stream.map((event) => JSON.parse(event.data)),
    Stream.runForEachChunk((chunk) =>
      Effect.sync(() => {
        count += Chunk.size(chunk)
      })
    ),
    Effect.map(() => count)
  )
}

const oursStream = (chunks) => Effect.runPromise(countChunks(source(chunks).pipe(Sse.decode())))

const experimental = (chunks) =>
  Effect.runPromise(
    countChunks(source(chunks).pipe(Stream.decodeText(), Stream.pipeThroughChannel(ExperimentalSse.makeChannel())))
  )

/** Effect Stream plumbing alone (same source and sink, no decoding): the part of (c) no decoder can avoid. */
const plumbing = (chunks) => {
  let count = 0
  return Effect.runPromise(
    source(chunks).pipe(
      Stream.map((c) => c.length),
      Stream.runForEachChunk((chunk) =>
        Effect.sync(() => {
          count += Chunk.size(chunk)
        })
      ),
      Effect.map(() => count)
    )
  )
}

// (d) is ~25-150x slower than the floor (superlinear in chunk size), so it decodes a prefix of the
// input and its time is scaled to the full size; marked "extrapolated" in the table.
const EXPERIMENTAL_FRACTION = 0.05

export const contenders = [
  { key: "a", name: "floor (TextDecoder + split)", run: floor },
  { key: "b", name: "ours makeDecoder", run: oursSync },
  { key: "c", name: "ours Sse.decode Stream", run: oursStream },
  { key: "d", name: "@effect/experimental Sse (extrapolated)", run: experimental, fraction: EXPERIMENTAL_FRACTION },
  { key: "s", name: "Stream plumbing only, no decoding", run: plumbing, expectChunks: true }
]

// ---------------------------------------------------------------------------------------------------
// measurement
// ---------------------------------------------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

const measureOnce = async (contender, chunks) => {
  gc()
  const before = process.memoryUsage.rss()
  peakRss = before
  const t0 = performance.now()
  const count = await contender.run(chunks)
  const ms = performance.now() - t0
  sample()
  return { ms, rssDelta: peakRss - before, count }
}

/**
 * Runs the benchmark and returns one row per (chunking, contender).
 * @param {{ megabytes?: number, runs?: number, warmup?: number, log?: (line: string) => void }} [options]
 */
export const run = async (options = {}) => {
  const megabytes = options.megabytes ?? Number(process.env.SSE_BENCH_MB ?? 50)
  const runs = Math.max(5, options.runs ?? Number(process.env.SSE_BENCH_RUNS ?? 5))
  const warmup = options.warmup ?? 2
  const log = options.log ?? (() => {})
  const input = makeInput(megabytes)
  log(`input: ${(input.bytes.length / 1024 / 1024).toFixed(1)} MiB, ${input.events} events`)
  const chunkings = [
    { name: "16 KiB chunks", chunks: chunkFixed(input.bytes, 16 * 1024) },
    { name: "irregular 1-4096 B chunks", chunks: chunkIrregular(input.bytes, 4096) }
  ]
  const rows = []
  for (const chunking of chunkings) {
    const samples = new Map(contenders.map((c) => [c.key, []]))
    const inputOf = (c) =>
      c.fraction === undefined
        ? chunking.chunks
        : chunking.chunks.slice(0, Math.ceil(chunking.chunks.length * c.fraction))
    for (let i = 0; i < warmup; i++) for (const c of contenders) await measureOnce(c, inputOf(c))
    // interleave the contenders so background load hits them alike
    for (let i = 0; i < runs; i++) {
      for (const c of contenders) {
        const chunks = inputOf(c)
        const m = await measureOnce(c, chunks)
        const expected = c.expectChunks ? chunks.length : c.fraction === undefined ? input.events : m.count
        if (m.count !== expected) throw new Error(`${c.name}: ${m.count} events, expected ${expected}`)
        if (c.fraction !== undefined) m.ms = (m.ms * chunking.chunks.length) / chunks.length
        samples.get(c.key).push(m)
      }
    }
    const floorMs = median(samples.get("a").map((m) => m.ms))
    const floorRss = median(samples.get("a").map((m) => m.rssDelta))
    // (c) pays for the harness's own Stream source and sink, which (s) measures alone; the floor pays
    // for neither, so (c) is also reported net of it.
    const plumbingMs = median(samples.get("s").map((m) => m.ms))
    for (const c of contenders) {
      const ms = median(samples.get(c.key).map((m) => m.ms))
      const rss = median(samples.get(c.key).map((m) => m.rssDelta))
      rows.push({
        chunking: chunking.name,
        contender: `(${c.key}) ${c.name}`,
        ms: Math.round(ms),
        mbPerS: Math.round(input.bytes.length / 1024 / 1024 / (ms / 1000)),
        timeRatio: Number((ms / floorMs).toFixed(2)),
        netOfPlumbing: c.key === "c" ? Number(((ms - plumbingMs) / floorMs).toFixed(2)) : null,
        rssDeltaMiB: Number((rss / 1024 / 1024).toFixed(1)),
        rssRatio: floorRss > 0 ? Number((rss / floorRss).toFixed(2)) : null
      })
    }
  }
  return { name: "sse", megabytes, runs, events: input.events, rows }
}

export const main = async () => {
  const result = await run({ log: (line) => console.log(line) })
  console.log(`SSE decode + JSON.parse, median of ${result.runs} runs (node ${process.version})`)
  console.table(result.rows)
  return result
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main()
}
