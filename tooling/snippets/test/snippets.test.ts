import * as Fixture from "@codex/testing/Fixture"
import * as ResponsesServer from "@codex/testing/ResponsesServer"
import { spawn, spawnSync } from "node:child_process"
import * as path from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { collect, mapDiagnostics, repositoryRoot, type Snippet, writeWorkspace } from "../src/Snippets.js"

const workspace = path.join(import.meta.dirname, "..", "generated")
const tsc = path.join(repositoryRoot, "node_modules", ".bin", "tsc")
const apiKey = "sk-snippet-test"

/** What the local server answers, by the snippet's `fixture` annotation (every request, every route). */
const text: Fixture.Defaults = {
  "/responses": { events: Fixture.textAnswer(["Hello", " from the", " local server."]) },
  "/events": { events: [{ type: "greeting", text: "hello world" }] },
  "/echo": { json: { hello: "world" } }
}
const fixtures: Record<string, Fixture.Defaults> = {
  text,
  "weather-tool": {
    ...text,
    "/responses": { events: Fixture.functionCallTurn("get_weather", { city: "Paris" }, { callId: "call_weather" }) }
  }
}

const usesApiKey = (snippet: Snippet) => /layerApiKeyConfig|OPENAI_API_KEY/.test(snippet.code)

/** Runs a compiled snippet with node (no source condition: the built packages) and the given env. */
const runSnippet = (file: string, env: Record<string, string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    // Only what a user's shell would have: no OPENAI_* / CODEX_* from this machine, no test-runner flags.
    const base = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !/^(OPENAI_|CODEX_|VITEST|NODE_OPTIONS$|TEST$)/.test(k) && !k.startsWith("npm_")
      )
    )
    const child = spawn(process.execPath, [file], { cwd: workspace, env: { ...base, ...env, NO_COLOR: "1" } })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (b) => (stdout += b))
    child.stderr.on("data", (b) => (stderr += b))
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000)
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })

const snippets = collect()

describe("README and @example snippets", () => {
  beforeAll(() =>
    writeWorkspace(workspace, snippets, {
      extends: "../../../tsconfig.base.json",
      // Emitted as plain ESM into out/ so the runs below need no TypeScript loader.
      compilerOptions: { noEmit: false, outDir: "out", rootDir: ".", declaration: false, declarationMap: false },
      include: ["*.ts"]
    })
  )

  it("every README with TypeScript has its blocks found", () => {
    const sources = new Set(snippets.filter((s) => s.kind === "readme").map((s) => s.source))
    for (const readme of [
      "README.md",
      "packages/ai/README.md",
      "packages/api/README.md",
      "packages/testing/README.md"
    ]) {
      expect(sources).toContain(readme)
    }
  })

  it("type-check against the built packages (and compile to out/)", () => {
    const result = spawnSync(tsc, ["-p", path.join(workspace, "tsconfig.json")], { encoding: "utf8" })
    const diagnostics = mapDiagnostics(`${result.stdout}${result.stderr}`, snippets)
    expect(diagnostics).toEqual([])
    expect(result.status).toBe(0)
  }, 120_000)

  for (const snippet of snippets.filter((s) => s.run)) {
    it.concurrent(`${snippet.source}:${snippet.line} runs against the local server`, async () => {
      const defaults = fixtures[snippet.fixture]
      expect(defaults, `unknown fixture ${snippet.fixture}`).toBeDefined()
      const server = await ResponsesServer.start({ defaults: defaults ?? {} })
      try {
        const env: Record<string, string> = { OPENAI_BASE_URL: server.baseUrl }
        if (usesApiKey(snippet)) env.OPENAI_API_KEY = apiKey
        for (const [name, value] of Object.entries(snippet.env)) {
          env[name] = value.replaceAll("{origin}", server.url).replaceAll("{baseUrl}", server.baseUrl)
        }
        const result = await runSnippet(path.join("out", `${snippet.id}.js`), env)
        expect(result.code, `exit code; stderr:\n${result.stderr}\nstdout:\n${result.stdout}`).toBe(0)
        if (snippet.expect !== undefined) expect(result.stdout).toContain(snippet.expect)
        if (/Provider\.layerConfig/.test(snippet.code)) expect(server.requests.length).toBeGreaterThan(0)
        for (const request of server.requests) {
          expect(request.headers.authorization).toBe(usesApiKey(snippet) ? `Bearer ${apiKey}` : undefined)
        }
      } finally {
        await server.close()
      }
    }, 90_000)
  }
})
