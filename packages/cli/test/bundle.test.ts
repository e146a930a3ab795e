import * as Fixture from "@codex/testing/Fixture"
import * as ResponsesServer from "@codex/testing/ResponsesServer"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { execFile, execFileSync } from "node:child_process"
import * as Fs from "node:fs"
import * as Module from "node:module"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as Cli from "../src/Cli.js"
import * as CliOutput from "../src/CliOutput.js"

// The published executable: the esbuild bundle and its code-cache launcher, built by the package's
// own build script into a temporary directory (so the test never runs a stale `dist`), run as a
// child process against a local server.
const here = Path.dirname(fileURLToPath(import.meta.url))
const packageDir = Path.resolve(here, "..")
const work = Fs.mkdtempSync(Path.join(Os.tmpdir(), "codex-cli-bundle-"))
const out = Path.join(work, "dist")
const bin = Path.join(out, "bin.js")
const nodeCompileCache = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === "function"

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

const runBin = (args: ReadonlyArray<string>, env: Record<string, string> = {}, file = bin): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [file, ...args],
      { env: { PATH: process.env.PATH ?? "", HOME: work, ...env }, encoding: "utf8", timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : (error.code as number | null), stdout, stderr })
    )
  })

/** The same command in-process (sources), for comparison. */
const runInProcess = (args: ReadonlyArray<string>, env: Record<string, string>) => {
  const capture = CliOutput.capture({ env })
  return Effect.runPromise(
    Cli.run(args).pipe(
      Effect.provide(Layer.merge(NodeContext.layer, CliOutput.layer(capture))),
      Effect.map((code) => ({ code, stdout: capture.output.stdout, stderr: capture.output.stderr }))
    )
  )
}

const stream: ReadonlyArray<Fixture.SseEvent> = [
  Fixture.created("resp_bundle"),
  Fixture.reasoningSummaryPartAdded(0),
  Fixture.reasoningSummaryDelta("Thinking "),
  Fixture.reasoningSummaryDelta("it over."),
  Fixture.reasoningSummaryPartAdded(1),
  Fixture.reasoningSummaryDelta("Second part."),
  ...Array.from({ length: 40 }, (_, i) => Fixture.outputTextDelta(`word${i} `)),
  Fixture.outputTextDelta("done."),
  Fixture.completed("resp_bundle", { input: 3, output: 41, reasoning: 2 })
]

let server: ResponsesServer.Handle
let env: Record<string, string>

beforeAll(async () => {
  execFileSync(process.execPath, [Path.join(packageDir, "scripts/bundle.mjs"), out], { stdio: "pipe" })
  server = await ResponsesServer.start({
    defaults: { "/responses": { headers: { "x-request-id": "req_bundle" }, events: stream } },
    websocketHeaders: { "openai-model": "m-ws" }
  })
  env = { OPENAI_API_KEY: "sk-bundle-test", OPENAI_BASE_URL: server.baseUrl, XDG_CACHE_HOME: Path.join(work, "cache") }
}, 180_000)

afterAll(async () => {
  await server?.close()
  Fs.rmSync(work, { recursive: true, force: true })
})

describe("the bundled codex-api (dist/bin.js + dist/codex-api.cjs)", () => {
  it("is self-contained: the bundle requires only Node built-ins", () => {
    const bundle = Fs.readFileSync(Path.join(out, "codex-api.cjs"), "utf8")
    const required = new Set([...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!))
    const builtins = new Set(Module.builtinModules)
    const external = [...required].filter((name) => !name.startsWith("node:") && !builtins.has(name.split("/")[0]!))
    expect(external).toEqual([])
    expect(required.size).toBeGreaterThan(0)
  })

  it("--version prints the package version", async () => {
    const { version } = JSON.parse(Fs.readFileSync(Path.join(packageDir, "package.json"), "utf8"))
    const result = await runBin(["--version"], env)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(version)
  }, 90_000)

  it("streams text and json exactly as the command run from sources", async () => {
    for (const output of ["text", "json"]) {
      const args = ["responses", "hi", "--model", "m", "--output", output]
      const bundled = await runBin(args, env)
      const source = await runInProcess(args, env)
      expect(bundled.code).toBe(0)
      expect(bundled.stdout).toBe(source.stdout)
      expect(bundled.stderr).toBe(source.stderr)
    }
    // the answer alone on stdout, the reasoning summary (two parts) on stderr
    const text = await runBin(["responses", "hi", "--output", "text"], env)
    expect(text.stdout.startsWith("word0 word1 ")).toBe(true)
    expect(text.stdout.endsWith("word39 done.\n")).toBe(true)
    expect(text.stderr.startsWith("Thinking it over.\n\nSecond part.\n\n")).toBe(true)
  }, 90_000)

  it("summary counts every event; the key goes only to the server", async () => {
    const before = server.requests.length
    const result = await runBin(["responses", "hi", "--output", "summary"], env)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /^events=\d+ text_chars=275 input_tokens=3 cached_input_tokens=0 output_tokens=41 reasoning_output_tokens=2 total_tokens=44 response_id=resp_bundle request_id=req_bundle /
    )
    expect(`${result.stdout}${result.stderr}`).not.toContain("sk-bundle-test")
    expect(server.requests[before]?.headers.authorization).toBe("Bearer sk-bundle-test")
  }, 90_000)

  it("--zstd compresses the body with the bundled zstd (the wasm shipped next to the bundle)", async () => {
    const before = server.requests.length
    const result = await runBin(["responses", "hi", "--zstd", "--output", "summary"], env)
    expect(result.code).toBe(0)
    const request = server.requests[before]
    expect(request?.headers["content-encoding"]).toBe("zstd")
    expect([...(request?.body.subarray(0, 4) ?? [])]).toEqual([0x28, 0xb5, 0x2f, 0xfd])
  }, 90_000)

  it("--transport websocket streams through the bundled ws client", async () => {
    const result = await runBin(["responses", "hi", "--transport", "websocket", "--output", "summary"], env)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/text_chars=275 .*response_id=resp_bundle /)
  }, 90_000)

  it("demo mode starts the bundled test server", async () => {
    const result = await runBin(["responses", "hi", "--output", "summary"], { XDG_CACHE_HOME: env.XDG_CACHE_HOME! })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain("codex-api: demo mode")
    expect(result.stdout).toMatch(/^events=\d+ text_chars=\d+ input_tokens=42 /)
  }, 90_000)
})

describe("the V8 code cache", () => {
  const cacheFiles = (root: string): Array<string> =>
    Fs.existsSync(root)
      ? (Fs.readdirSync(root, { recursive: true }) as Array<string>)
          .map((name) => Path.join(root, name))
          .filter((file) => Fs.statSync(file).isFile())
      : []

  it("is written to a per-user directory (0700) and used by the next run", async () => {
    const xdg = Path.join(work, "cache-a")
    const first = await runBin(["--version"], { XDG_CACHE_HOME: xdg })
    expect(first.code).toBe(0)
    const root = Path.join(xdg, "codex-api")
    expect(Fs.statSync(root).mode & 0o777).toBe(0o700)
    const files = cacheFiles(root)
    expect(files.length).toBeGreaterThan(0)
    if (!nodeCompileCache) {
      expect(files.map((f) => Path.basename(f))).toEqual([expect.stringMatching(/^v8-v\d+.*\.bin$/)])
      expect(Fs.statSync(files[0]!).mode & 0o777).toBe(0o600)
    }
    const second = await runBin(["--version"], { XDG_CACHE_HOME: xdg })
    expect(second).toEqual(first)
    expect(cacheFiles(root)).toEqual(files)
  }, 90_000)

  it.skipIf(nodeCompileCache)(
    "a corrupt cache is ignored and replaced (vm.Script path)",
    async () => {
      const xdg = Path.join(work, "cache-b")
      await runBin(["--version"], { XDG_CACHE_HOME: xdg })
      const [file] = cacheFiles(Path.join(xdg, "codex-api"))
      Fs.writeFileSync(file!, Buffer.alloc(4096, 7))
      const result = await runBin(["responses", "hi", "--output", "summary"], { ...env, XDG_CACHE_HOME: xdg })
      expect(result.code).toBe(0)
      expect(result.stdout).toContain("response_id=resp_bundle")
      const after = cacheFiles(Path.join(xdg, "codex-api"))
      expect(after).toEqual([file!.replace(/\.bin$/, ".full.bin")])
      expect(Fs.readFileSync(after[0]!).equals(Buffer.alloc(4096, 7))).toBe(false)
    },
    90_000
  )

  it.skipIf(nodeCompileCache)(
    "the first API call replaces a cache made by --version, once (vm.Script path)",
    async () => {
      const xdg = Path.join(work, "cache-d")
      await runBin(["--version"], { XDG_CACHE_HOME: xdg })
      const [short] = cacheFiles(Path.join(xdg, "codex-api"))
      expect(short).toMatch(/-[0-9a-f]+\.bin$/)
      const call = ["responses", "hi", "--output", "summary"]
      expect((await runBin(call, { ...env, XDG_CACHE_HOME: xdg })).code).toBe(0)
      const [full, ...rest] = cacheFiles(Path.join(xdg, "codex-api"))
      expect(rest).toEqual([])
      expect(full).toBe(short!.replace(/\.bin$/, ".full.bin"))
      const written = Fs.statSync(full!).mtimeMs
      expect((await runBin(call, { ...env, XDG_CACHE_HOME: xdg })).code).toBe(0)
      expect((await runBin(["--version"], { XDG_CACHE_HOME: xdg })).code).toBe(0)
      expect(cacheFiles(Path.join(xdg, "codex-api"))).toEqual([full])
      expect(Fs.statSync(full!).mtimeMs).toBe(written)
    },
    120_000
  )

  it.skipIf(nodeCompileCache)(
    "a changed bundle gets a new cache entry and the old one is removed",
    async () => {
      // A second install of a different bundle in the same place: a copy with one more line.
      const copy = Path.join(work, "changed")
      Fs.cpSync(out, copy, { recursive: true })
      const xdg = Path.join(work, "cache-c")
      await runBin(["--version"], { XDG_CACHE_HOME: xdg }, Path.join(copy, "bin.js"))
      const [before] = cacheFiles(Path.join(xdg, "codex-api"))
      Fs.appendFileSync(Path.join(copy, "codex-api.cjs"), "\n// changed\n")
      const result = await runBin(["--version"], { XDG_CACHE_HOME: xdg }, Path.join(copy, "bin.js"))
      expect(result.code).toBe(0)
      const after = cacheFiles(Path.join(xdg, "codex-api"))
      expect(after).toHaveLength(1)
      expect(after[0]).not.toBe(before)
    },
    90_000
  )

  it.skipIf(nodeCompileCache)(
    "an edit that keeps the bundle's size still gets a new cache entry and runs the edited code",
    async () => {
      // The content hash is computed by the build; an edit after the build is told by size and mtime.
      const copy = Path.join(work, "edited")
      Fs.cpSync(out, copy, { recursive: true })
      const xdg = Path.join(work, "cache-e")
      const file = Path.join(copy, "codex-api.cjs")
      const original = await runBin(["--version"], { XDG_CACHE_HOME: xdg }, Path.join(copy, "bin.js"))
      const [before] = cacheFiles(Path.join(xdg, "codex-api"))
      const version = /codex-api (\S+)/.exec(original.stdout)![1]!
      const edited = "9".repeat(version.length)
      const source = Fs.readFileSync(file, "utf8")
      expect(source.includes(`"${version}"`)).toBe(true)
      Fs.writeFileSync(file, source.replaceAll(`"${version}"`, `"${edited}"`))
      const { mtime } = Fs.statSync(file)
      Fs.utimesSync(file, mtime, new Date(mtime.getTime() + 5_000))
      const result = await runBin(["--version"], { XDG_CACHE_HOME: xdg }, Path.join(copy, "bin.js"))
      expect(result.stdout.trim()).toBe(`codex-api ${edited}`)
      expect(cacheFiles(Path.join(xdg, "codex-api"))).not.toEqual([before])
    },
    90_000
  )

  it("an unusable cache directory changes nothing: same output, nothing on stderr", async () => {
    const blocker = Path.join(work, "not-a-directory")
    Fs.writeFileSync(blocker, "")
    const result = await runBin(["responses", "hi", "--output", "summary"], { ...env, XDG_CACHE_HOME: blocker })
    expect(result.code).toBe(0)
    expect(result.stderr).toBe("")
    expect(result.stdout).toContain("response_id=resp_bundle")
    const off = await runBin(["--version"], {
      XDG_CACHE_HOME: Path.join(work, "cache-off"),
      CODEX_API_COMPILE_CACHE: "0"
    })
    expect(off.code).toBe(0)
    expect(Fs.existsSync(Path.join(work, "cache-off"))).toBe(false)
  }, 90_000)
})
