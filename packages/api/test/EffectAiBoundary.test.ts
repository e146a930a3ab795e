import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { sourceFiles, staticGraph } from "../../../tooling/importGraph.js"

// `@effect/ai` belongs to @codex/ai alone: @codex/api (and the packages it depends on) must neither
// declare nor import it, so users of the Responses client never install or bundle it.

const packagesDir = path.join(__dirname, "..", "..")
const srcOf = (name: string) => path.join(packagesDir, name, "src")
const boundPackages = ["api", "client", "protocol"]

const isEffectAi = (specifier: string) => specifier === "@effect/ai" || specifier.startsWith("@effect/ai/")

// Any string literal naming the package: static, dynamic (`import()`) and type-only imports alike.
const namesEffectAi = /["']@effect\/ai(?:\/[^"']*)?["']/

describe("@codex/api stays free of @effect/ai", () => {
  it("the manifest declares no @effect/ai dependency of any kind", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(packagesDir, "api", "package.json"), "utf8"))
    const fields = ["dependencies", "peerDependencies", "optionalDependencies", "devDependencies"]
    expect(fields.flatMap((field) => Object.keys(manifest[field] ?? {})).filter(isEffectAi)).toEqual([])
  })

  it("no module reachable from any @codex/api entry point imports it at runtime", () => {
    const files = sourceFiles(srcOf("api"))
    expect(files).toContain(path.join(srcOf("api"), "Responses.ts"))
    const imported = new Set(files.flatMap((file) => [...staticGraph(file).packages]))
    expect(imported.has("@codex/client/HttpTransport")).toBe(true)
    expect([...imported].filter(isEffectAi)).toEqual([])
  })

  it("no source of @codex/api, @codex/client or @codex/protocol names it, type imports included", () => {
    const offending = boundPackages
      .flatMap((name) => sourceFiles(srcOf(name)))
      .filter((file) => namesEffectAi.test(fs.readFileSync(file, "utf8")))
    expect(offending).toEqual([])
  })

  it("the checks see @effect/ai where it is imported (@codex/ai)", () => {
    const entry = path.join(srcOf("ai"), "CodexLanguageModel.ts")
    expect([...staticGraph(entry).packages].filter(isEffectAi)).toContain("@effect/ai/LanguageModel")
    expect(namesEffectAi.test(fs.readFileSync(entry, "utf8"))).toBe(true)
  })
})
