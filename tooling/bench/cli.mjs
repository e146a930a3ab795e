// Whole-process benchmark of the `codex-api` command (the published bundle, packages/cli/dist/bin.js)
// side by side with a floor and openai-node, each a fresh `node` process, as a user runs them:
//   floor:   fetch + TextDecoder + split on "\n\n" + JSON.parse of each data line
//   openai:  the openai npm package, client.responses.create({ stream: true }) iterated to the end
//   summary: codex-api responses … --output summary
//   text:    codex-api responses … --output text, stdout to /dev/null
// The server streams N `response.output_text.delta` events of ~4 characters (the body of
// /work/shared/bench/whole-process/stream-server.mjs: created, item added, N deltas, item done,
// completed; written in 16 KiB chunks). Rounds are interleaved (one run of each command per round)
// after one warm-up round (which also fills codex-api's code cache); the figures are medians of wall
// time and of CPU time (user + system, Linux only). Then start-up: the same commands on a 10-event
// stream, and `codex-api --version`. Last, what importing `@codex/api/Responses` (the built,
// unbundled package) loads: module count, import time, and whether fast-check or a YAML parser is
// among them.
// Usage: node tooling/bench/cli.mjs   (env: CLI_BENCH_EVENTS=300000 CLI_BENCH_RUNS=5)
import { spawn, spawnSync } from "node:child_process"
import * as Fs from "node:fs"
import * as Http from "node:http"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const here = Path.dirname(fileURLToPath(import.meta.url))
const root = Path.resolve(here, "../..")
const cli = Path.join(root, "packages/cli/dist/bin.js") // built by `pnpm bench` (turbo ^build)

// ---------------------------------------------------------------------------------------------------
// child roles: the stream server and the import probe (the peers are in cli-clients/, so that their
// start-up pays for nothing but their own imports)
// ---------------------------------------------------------------------------------------------------

const serve = (events) => {
  let seq = 0
  const sse = (type, o) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...o })}\n\n`
  const parts = [sse("response.created", { response: { id: "resp_perf", status: "in_progress" } })]
  parts.push(
    sse("response.output_item.added", {
      output_index: 0,
      item: { type: "message", role: "assistant", id: "msg_p", content: [] }
    })
  )
  const words = ["The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", "."]
  let text = ""
  for (let i = 0; i < events; i++) {
    const delta = words[i % words.length]
    text += delta
    parts.push(sse("response.output_text.delta", { item_id: "msg_p", output_index: 0, content_index: 0, delta }))
  }
  parts.push(
    sse("response.output_item.done", {
      output_index: 0,
      item: {
        type: "message",
        role: "assistant",
        id: "msg_p",
        content: [{ type: "output_text", text, annotations: [] }]
      }
    })
  )
  parts.push(
    sse("response.completed", {
      response: {
        id: "resp_perf",
        status: "completed",
        output: [],
        usage: {
          input_tokens: 1,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: events,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: events + 1
        }
      }
    })
  )
  const body = Buffer.from(parts.join(""))
  const chunk = 16 * 1024
  const server = Http.createServer((req, res) => {
    req.resume()
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/event-stream" })
      let i = 0
      const pump = () => {
        while (i < body.length) {
          const ok = res.write(body.subarray(i, i + chunk))
          i += chunk
          if (!ok) return res.once("drain", pump)
        }
        res.end()
      }
      pump()
    })
  })
  server.listen(0, "127.0.0.1", () => {
    console.log(JSON.stringify({ port: server.address().port, bytes: body.length, events: parts.length }))
  })
}

/** Imports `specifier` and prints the modules loaded (ES modules through a load hook, plus CommonJS). */
const importProbe = async (specifier, count) => {
  const { createRequire, register } = await import("node:module")
  const urls = []
  if (count) {
    const { MessageChannel } = await import("node:worker_threads")
    const { port1, port2 } = new MessageChannel()
    port1.on("message", (url) => urls.push(url))
    port1.unref()
    const hooks =
      "let port; export function initialize(data) { port = data.port }\n" +
      "export async function load(url, context, next) { port.postMessage(url); return next(url, context) }"
    register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { port: port2 }, transferList: [port2] })
  }
  const t0 = performance.now()
  await import(specifier)
  const ms = performance.now() - t0
  if (count) await new Promise((resolve) => setTimeout(resolve, 100))
  const modules = [
    ...urls.filter((url) => !url.startsWith("node:")),
    ...Object.keys(createRequire(import.meta.url).cache)
  ]
  console.log(JSON.stringify({ ms, modules }))
}

// ---------------------------------------------------------------------------------------------------
// measuring
// ---------------------------------------------------------------------------------------------------

/** CPU time (user + system, ms) of this process's waited-for children, from /proc (Linux). */
const childrenCpu = () => {
  try {
    const fields = Fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ")
    // After the command name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14.
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100
  } catch {
    return Number.NaN
  }
}

const devNull = Fs.openSync(Os.devNull, "w")

const time = (args, { env = {}, discardStdout = false } = {}) => {
  const cpu0 = childrenCpu()
  const t0 = process.hrtime.bigint()
  const r = spawnSync(process.execPath, args, {
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 1 << 27,
    stdio: ["ignore", discardStdout ? devNull : "pipe", "pipe"]
  })
  const wall = Number(process.hrtime.bigint() - t0) / 1e6
  const cpu = childrenCpu() - cpu0
  if (r.status !== 0)
    throw new Error(`${args.join(" ")} failed (${r.status}): ${(r.stderr || r.stdout || "").slice(-400)}`)
  return { wall, cpu, stdout: r.stdout ?? "" }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

const startServer = async (events) => {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--serve", String(events)], {
    stdio: ["ignore", "pipe", "inherit"]
  })
  const info = await new Promise((resolve) => child.stdout.once("data", (d) => resolve(JSON.parse(String(d)))))
  return { ...info, base: `http://127.0.0.1:${info.port}/v1`, stop: () => child.kill() }
}

/** Runs each command once per round (interleaved), after one warm-up round; returns medians. */
const compare = (commands, runs) => {
  const results = Object.fromEntries(Object.keys(commands).map((k) => [k, { wall: [], cpu: [] }]))
  for (let round = -1; round < runs; round++) {
    for (const [name, command] of Object.entries(commands)) {
      const r = command()
      if (round >= 0) {
        results[name].wall.push(r.wall)
        results[name].cpu.push(r.cpu)
      }
    }
  }
  return Object.fromEntries(
    Object.entries(results).map(([name, r]) => [name, { wall: median(r.wall), cpu: median(r.cpu), walls: r.wall }])
  )
}

const fmt = (ms) => (Number.isNaN(ms) ? "-" : `${ms.toFixed(0)} ms`)

const print = (title, results) => {
  console.log(`\n${title}`)
  for (const [name, r] of Object.entries(results)) {
    console.log(
      `  ${name.padEnd(12)} wall ${fmt(r.wall).padStart(8)}  cpu ${fmt(r.cpu).padStart(8)}   (wall ${r.walls.map((x) => x.toFixed(0)).join(", ")})`
    )
  }
}

export const main = async () => {
  const events = Number(process.env.CLI_BENCH_EVENTS ?? 300_000)
  const runs = Number(process.env.CLI_BENCH_RUNS ?? 5)
  if (!Fs.existsSync(cli)) {
    console.log("building the codex-api bundle (packages/cli/scripts/bundle.mjs)")
    spawnSync(process.execPath, [Path.join(root, "packages/cli/scripts/bundle.mjs")], { stdio: "inherit" })
  }
  const cacheHome = Fs.mkdtempSync(Path.join(Os.tmpdir(), "codex-cli-bench-"))
  const env = { OPENAI_API_KEY: "sk-perf", XDG_CACHE_HOME: cacheHome }
  const self = fileURLToPath(import.meta.url)
  const commandsFor = (base) => ({
    floor: () => time([Path.join(here, "cli-clients/floor.mjs"), base]),
    openai: () => time([Path.join(here, "cli-clients/openai-node.mjs"), base]),
    summary: () => time([cli, "responses", "go", "--model", "m", "--base-url", base, "--output", "summary"], { env }),
    text: () =>
      time([cli, "responses", "go", "--model", "m", "--base-url", base, "--output", "text"], {
        env,
        discardStdout: true
      })
  })
  console.log(
    `load average ${Os.loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")} on ${Os.cpus().length} cores; Node ${process.version}`
  )
  const verdicts = []
  try {
    const big = await startServer(events)
    let stream
    try {
      stream = compare(commandsFor(big.base), runs)
    } finally {
      big.stop()
    }
    print(`stream: ${big.events} events, ${(big.bytes / 1e6).toFixed(1)} MB, ${runs} interleaved rounds`, stream)
    for (const mode of ["summary", "text"]) {
      const vsFloor = stream[mode].wall / stream.floor.wall
      const vsOpenai = stream.openai.wall / stream[mode].wall
      const ok = vsFloor <= 1.3 && vsOpenai >= 2.5
      verdicts.push(ok)
      console.log(
        `  ${mode}: ${vsFloor.toFixed(2)}× the floor (target ≤ 1.3), openai-node ${vsOpenai.toFixed(2)}× slower (target ≥ 2.5)` +
          `; cpu ${(stream[mode].cpu / stream.floor.cpu).toFixed(2)}× the floor${ok ? "" : "  ← misses the target"}`
      )
    }

    const tiny = await startServer(10)
    let startup
    try {
      const commands = commandsFor(tiny.base)
      startup = compare(
        {
          floor: commands.floor,
          openai: commands.openai,
          summary: commands.summary,
          version: () => time([cli, "--version"], { env })
        },
        Math.max(runs, 7)
      )
    } finally {
      tiny.stop()
    }
    print(`start-up: ${tiny.events} events`, startup)
    const ok = startup.summary.wall <= startup.openai.wall
    verdicts.push(ok)
    console.log(
      `  codex-api ${(startup.summary.wall / startup.openai.wall).toFixed(2)}× openai-node's start-up (target ≤ 1)${ok ? "" : "  ← misses the target"}`
    )
  } finally {
    Fs.rmSync(cacheHome, { recursive: true, force: true })
  }

  // What `import "@codex/api/Responses"` loads (built package, resolved from tooling/bench).
  const specifier = import.meta.resolve("@codex/api/Responses")
  const probe = (count) => JSON.parse(time([self, "--import-probe", specifier, count ? "count" : "time"]).stdout)
  const { modules } = probe(true)
  const times = Array.from({ length: runs }, () => probe(false).ms)
  const packageOf = (url) => /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(url)?.[1] ?? "(workspace)"
  const byPackage = {}
  for (const url of modules) byPackage[packageOf(url)] = (byPackage[packageOf(url)] ?? 0) + 1
  const heavy = Object.keys(byPackage).filter((name) => /^(fast-check|pure-rand|yaml|toml|ini)$/.test(name))
  console.log(
    `\nimport "@codex/api/Responses" (built, unbundled): ${modules.length} modules, median ${median(times).toFixed(0)} ms`
  )
  console.log(
    `  ${Object.entries(byPackage)
      .sort((a, b) => b[1] - a[1])
      .map(([name, n]) => `${name} ${n}`)
      .join(", ")}`
  )
  console.log(
    heavy.length === 0
      ? "  no fast-check, no YAML parser"
      : `  loads ${heavy.join(", ")}: effect/Schema imports effect/FastCheck (fast-check) statically, and @effect/platform's Headers imports effect/Schema`
  )
  return verdicts.every(Boolean)
}

const [role, ...rest] = process.argv.slice(2)
if (role === "--serve") serve(Number(rest[0]))
else if (role === "--import-probe") await importProbe(rest[0], rest[1] === "count")
else if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = (await main()) ? 0 : 1
