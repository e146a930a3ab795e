import { describe, expect, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
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

const runBin = (args: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  const result = spawnSync(
    process.execPath,
    ["--conditions=@codex/source", "--import", tsxLoader ?? "", bin, ...args],
    {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", ...env },
      timeout: 20_000
    }
  )
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe.skipIf(tsxLoader === undefined)("bin (child process)", () => {
  it("demo mode exits 0 with the answer on stdout and the notice on stderr", () => {
    const result = runBin(["responses", "Say hello", "--output", "summary"])
    expect(result.stderr).toContain("codex-api: demo mode")
    expect(result.stdout).toMatch(/^events=\d+ text_chars=\d+ input_tokens=42 /)
    expect(result.code).toBe(0)
  })

  it("bad usage exits 2, an unreachable server exits 1, the key is never printed", () => {
    const usage = runBin(["responses", "--output", "nope", "x"], { OPENAI_API_KEY: "sk-secret-test" })
    expect(usage.code).toBe(2)
    const failed = runBin(["responses", "hi", "--max-retries", "0"], {
      OPENAI_API_KEY: "sk-secret-test",
      OPENAI_BASE_URL: "http://127.0.0.1:9/v1"
    })
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain("codex-api: error (Transport): network error")
    for (const r of [usage, failed]) expect(`${r.stdout}${r.stderr}`).not.toContain("sk-secret-test")
  })
})
