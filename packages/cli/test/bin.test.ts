import * as Fixture from "@codex/testing/Fixture"
import * as ResponsesServer from "@codex/testing/ResponsesServer"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import * as Path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

// The real executable as a child process, from source: node + the tsx loader (installed in
// examples/) with the `@codex/source` condition, so no build is needed.
const here = Path.dirname(fileURLToPath(import.meta.url))
const bin = Path.resolve(here, "../src/bin.ts")
const tsxLoader = (() => {
  try {
    return pathToFileURL(createRequire(Path.resolve(here, "../../../examples/package.json")).resolve("tsx/esm")).href
  } catch {
    return undefined
  }
})()

// Each child compiles the sources with tsx: seconds on an idle machine, much longer on a busy one.
const childTimeout = 90_000
const testTimeout = 120_000

/** The executable as a child process that the test talks to while it runs. */
const startBin = (args: ReadonlyArray<string>, env: Record<string, string>) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const child: ChildProcessWithoutNullStreams = spawn(
        process.execPath,
        ["--conditions=@codex/source", "--import", tsxLoader ?? "", bin, ...args],
        { env: { PATH: process.env.PATH ?? "", ...env } }
      )
      const output = { stdout: "", stderr: "" }
      child.stdout.setEncoding("utf8").on("data", (text: string) => {
        output.stdout += text
      })
      child.stderr.setEncoding("utf8").on("data", (text: string) => {
        output.stderr += text
      })
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once("close", (code, signal) => resolve({ code, signal }))
      )
      return { child, output, exited: Effect.promise(() => exited) }
    }),
    ({ child }) => Effect.sync(() => child.exitCode === null && child.kill("SIGKILL"))
  )

/** Runs the executable to the end (asynchronously: a blocked test worker would miss its RPC deadline). */
const runBin = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  Effect.scoped(
    Effect.gen(function* () {
      const run = yield* startBin(args, env)
      run.child.stdin.end()
      const exit = yield* run.exited
      return { code: exit.code, stdout: run.output.stdout, stderr: run.output.stderr }
    })
  )

describe.skipIf(tsxLoader === undefined)("bin (child process)", { timeout: testTimeout }, () => {
  it.live("demo mode exits 0 with the answer on stdout and the notice on stderr", () =>
    Effect.gen(function* () {
      const result = yield* runBin(["responses", "Say hello", "--output", "summary"])
      expect(result.stderr).toContain("codex-api: demo mode")
      expect(result.stdout).toMatch(/^events=\d+ text_chars=\d+ input_tokens=42 /)
      expect(result.code).toBe(0)
    })
  )

  it.live("bad usage exits 2, an unreachable server exits 1, the key is never printed", () =>
    Effect.gen(function* () {
      const usage = yield* runBin(["responses", "--output", "nope", "x"], { OPENAI_API_KEY: "sk-secret-test" })
      expect(usage.code).toBe(2)
      const failed = yield* runBin(["responses", "hi", "--max-retries", "0"], {
        OPENAI_API_KEY: "sk-secret-test",
        OPENAI_BASE_URL: "http://127.0.0.1:9/v1"
      })
      expect(failed.code).toBe(1)
      expect(failed.stderr).toMatch(/^codex-api: cannot reach the server: .*ECONNREFUSED/)
      for (const r of [usage, failed]) expect(`${r.stdout}${r.stderr}`).not.toContain("sk-secret-test")
    })
  )

  it.live("--version is the version in package.json", () =>
    Effect.gen(function* () {
      const packageJson = JSON.parse(readFileSync(Path.resolve(here, "../package.json"), "utf8")) as {
        version: string
      }
      const result = yield* runBin(["--version"])
      expect(result).toEqual({ code: 0, stdout: `codex-api ${packageJson.version}\n`, stderr: "" })
    })
  )

  const until = <A>(read: () => A, done: (a: A) => boolean) =>
    Effect.repeat(Effect.sync(read), { until: done, schedule: Schedule.spaced("20 millis") }).pipe(
      Effect.timeoutFail({ duration: childTimeout, onTimeout: () => new Error("timed out waiting") })
    )

  /** Streams `partial ` and then stalls, so only a signal ends the command. */
  const stalledServer = () => {
    const events = Fixture.textAnswer(["partial ", "never"])
    return ResponsesServer.make({
      script: { "/responses": [{ events, stall: true, stallAfterBytes: Fixture.toSse(events.slice(0, 2)).length }] }
    })
  }

  it.scopedLive("SIGINT mid-stream: the server sees the close, the partial line is closed, exit 130", () =>
    Effect.gen(function* () {
      const server = yield* stalledServer()
      const run = yield* startBin(["responses", "hi"], { OPENAI_BASE_URL: server.baseUrl })
      yield* until(
        () => run.output.stdout,
        (text) => text.length > 0
      )
      run.child.kill("SIGINT")
      expect(yield* run.exited).toEqual({ code: 130, signal: null })
      expect(run.output.stdout).toBe("partial \n")
      expect(run.output.stderr).toBe("")
      yield* until(server.openConnections, (open) => open === 0)
    })
  )

  it.scopedLive("SIGTERM mid-stream in json mode: the Failure line, exit 143", () =>
    Effect.gen(function* () {
      const server = yield* stalledServer()
      const run = yield* startBin(["responses", "hi", "-o", "json"], { OPENAI_BASE_URL: server.baseUrl })
      yield* until(
        () => run.output.stdout,
        (text) => text.includes("OutputTextDelta")
      )
      run.child.kill("SIGTERM")
      expect(yield* run.exited).toEqual({ code: 143, signal: null })
      yield* until(server.openConnections, (open) => open === 0)
      const last = run.output.stdout.trimEnd().split("\n").at(-1) ?? ""
      expect(JSON.parse(last)).toEqual({
        _tag: "Failure",
        error: { _tag: "Interrupted", message: "interrupted by SIGTERM", signal: "SIGTERM" }
      })
    })
  )

  it.scopedLive("a reader that goes away (| head -1): exit 0, no EPIPE, no stack trace", () =>
    Effect.gen(function* () {
      // deltas keep coming for a while, then the stream stalls: only the EPIPE can end the command
      const deltas = Array.from({ length: 400 }, (_, i) => `d${i} `)
      const events = Fixture.textAnswer(deltas)
      const server = yield* ResponsesServer.make({
        script: {
          "/responses": [
            { events, chunkDelayMs: 5, stall: true, stallAfterBytes: Fixture.toSse(events.slice(0, 300)).length }
          ]
        }
      })
      const run = yield* startBin(["responses", "hi", "-o", "json"], { OPENAI_BASE_URL: server.baseUrl })
      yield* until(
        () => run.output.stdout,
        (text) => text.includes("\n")
      )
      run.child.stdout.destroy()
      const exit = yield* run.exited
      expect(exit).toEqual({ code: 0, signal: null })
      expect(run.output.stderr).toBe("")
      yield* until(server.openConnections, (open) => open === 0)
    })
  )

  it.scopedLive("the prompt piped on stdin, flags after '-'", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ script: { "/responses": [{ events: Fixture.textAnswer(["ok"]) }] } })
      const run = yield* startBin(["responses", "-", "-o", "summary", "-q"], { OPENAI_BASE_URL: server.baseUrl })
      run.child.stdin.end("a prompt\nfrom a pipe\n")
      expect((yield* run.exited).code).toBe(0)
      expect(run.output.stdout).toMatch(/^events=\d+ text_chars=2 /)
      expect(run.output.stderr).toBe("")
      const body = server.requests[0]?.json as { input: Array<{ content: Array<{ text: string }> }> }
      expect(body.input[0]?.content[0]?.text).toBe("a prompt\nfrom a pipe")
    })
  )
})
