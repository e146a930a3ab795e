// Memory of a client that receives a 500 with a huge body (default 64 MiB): peak RSS of a child
// process that runs `HttpTransport.execute` against a local server, then renders the error every
// way a program would (`message`, `String`, `JSON.stringify`, `util.inspect`). The server runs in
// this (parent) process, so the child's peak RSS is the client's alone.
// Runs against the BUILT packages (`pnpm build`), or against the `HttpTransport.js` given as argument:
//   node tooling/bench/error-body.mjs [path/to/dist/HttpTransport.js]
//   (env: ERROR_BODY_MB=64, ERROR_BODY_TIMEOUT_S=600: past it the client is stopped and its peak
//   RSS so far is reported, read from /proc on Linux)
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import * as net from "node:net"
import { fileURLToPath, pathToFileURL } from "node:url"

const mib = Number(process.env.ERROR_BODY_MB ?? 64)
const timeoutSeconds = Number(process.env.ERROR_BODY_TIMEOUT_S ?? 600)

/** The peak RSS (VmHWM) of a running process in MiB, where /proc has it. */
const peakRssMiB = (pid) => {
  try {
    const kib = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]
    return kib === undefined ? undefined : Number(kib) / 1024
  } catch {
    return undefined
  }
}

/** The client side, run in the child: one request, every rendering, then its peak RSS. */
const child = async (transportModule, url) => {
  const { Effect, Exit } = await import("effect")
  const util = await import("node:util")
  const HttpTransport = await import(transportModule)
  const Request = await import(new URL("./Request.js", transportModule).href)
  const program = Effect.gen(function* () {
    const transport = yield* HttpTransport.HttpTransport
    return yield* Effect.exit(transport.execute(Request.make("GET", url)))
  }).pipe(Effect.provide(HttpTransport.layerNode))
  const started = performance.now()
  const exit = await Effect.runPromise(program)
  if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") throw new Error("expected an Http failure")
  const error = exit.cause.error
  const rendered = [error.message, String(error), JSON.stringify(error), util.inspect(error)]
  const elapsed = performance.now() - started
  process.stdout.write(
    JSON.stringify({
      tag: error._tag,
      bodyChars: error.body?.length ?? 0,
      renderedChars: rendered.reduce((n, s) => n + s.length, 0),
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      ms: Math.round(elapsed)
    })
  )
}

/** A 500 with a `mib` MiB body, written in 64 KiB chunks as the socket drains. */
const serve = () =>
  new Promise((resolve) => {
    const chunk = Buffer.alloc(64 * 1024, "x")
    const server = net.createServer((socket) => {
      socket.on("error", () => {})
      socket.once("data", () => {
        const size = mib * 1024 * 1024
        socket.write(`HTTP/1.1 500 Internal Server Error\r\ncontent-length: ${size}\r\n\r\n`)
        let left = size
        const pump = () => {
          while (left > 0 && !socket.destroyed) {
            left -= chunk.length
            if (!socket.write(chunk)) return void socket.once("drain", pump)
          }
          socket.end()
        }
        pump()
      })
    })
    server.listen(0, "127.0.0.1", () => resolve(server))
  })

export const main = async (transportPath) => {
  const transportModule =
    transportPath === undefined ? import.meta.resolve("@codex/client/HttpTransport") : pathToFileURL(transportPath).href
  const server = await serve()
  const url = `http://127.0.0.1:${server.address().port}/v1/responses`
  const result = await new Promise((resolve) => {
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), "--child", transportModule, url], {
      stdio: ["ignore", "pipe", "inherit"]
    })
    let out = ""
    let peak
    const started = performance.now()
    const sampler = setInterval(() => {
      peak = peakRssMiB(proc.pid) ?? peak
      if (performance.now() - started > timeoutSeconds * 1000) proc.kill("SIGKILL")
    }, 250)
    proc.stdout.on("data", (data) => (out += data))
    proc.on("exit", (code, signal) => {
      clearInterval(sampler)
      if (code === 0) resolve(JSON.parse(out))
      else
        resolve({
          unfinished: signal === "SIGKILL" ? "stopped" : `exited with ${code ?? signal}`,
          maxRssMiB: peak ?? Number.NaN
        })
    })
  })
  server.close()
  console.log(`a 500 with a ${mib} MiB body (${transportModule})`)
  if (result.unfinished !== undefined) {
    console.log(
      `  did not finish (${result.unfinished}, limit ${timeoutSeconds} s); peak RSS ${result.maxRssMiB.toFixed(0)} MiB`
    )
    return
  }
  console.log(
    `  ${result.tag}: kept ${result.bodyChars} body chars, rendered ${result.renderedChars} chars, ` +
      `peak RSS ${result.maxRssMiB.toFixed(0)} MiB, ${result.ms} ms`
  )
}

if (process.argv[2] === "--child") {
  await child(process.argv[3], process.argv[4])
} else if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv[2])
}
