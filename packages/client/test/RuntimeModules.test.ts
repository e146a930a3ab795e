import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import * as nodeHttpClientUnavailable from "../src/internal/nodeHttpClientUnavailable.js"
import * as zstdUnavailable from "../src/internal/zstdUnavailable.js"

// package.json `imports` picks a module per runtime: the Node one under the `node` condition
// (Node, Deno, Bun), the other one elsewhere (browsers, edge runtimes), so that bundles for the
// latter never contain undici, node:zlib or @effect/platform-node.

const root = path.join(__dirname, "..")
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
  readonly imports: Record<string, Record<string, unknown>>
  readonly publishConfig: { readonly imports: Record<string, Record<string, string>> }
  readonly sideEffects: ReadonlyArray<string>
}

const variants = Object.entries(manifest.imports).map(([name, conditions]) => {
  const source = conditions["@codex/source"] as { readonly node: string; readonly default: string }
  return { name, source, node: conditions["node"] as string, other: conditions["default"] as string }
})

describe("runtime-specific modules", () => {
  it("every import has a Node and a non-Node module, in the sources and in dist", () => {
    expect(variants.map((v) => v.name).sort()).toEqual(["#nodeHttpClient", "#zstd"])
    for (const variant of variants) {
      expect(fs.existsSync(path.join(root, variant.source.node))).toBe(true)
      expect(fs.existsSync(path.join(root, variant.source.default))).toBe(true)
      expect(variant.node).toBe(variant.source.node.replace("./src/", "./dist/").replace(/\.ts$/, ".js"))
      expect(variant.other).toBe(variant.source.default.replace("./src/", "./dist/").replace(/\.ts$/, ".js"))
      // The published manifest has the same map without the source condition.
      expect(manifest.publishConfig.imports[variant.name]).toEqual({ node: variant.node, default: variant.other })
    }
  })

  it("both modules of an import export the same names", async () => {
    for (const variant of variants) {
      const node = await import(path.join(root, variant.source.node))
      const other = await import(path.join(root, variant.source.default))
      expect(Object.keys(other).sort()).toEqual(Object.keys(node).sort())
    }
  })

  it("the global-require module that undici needs in ES module bundles is kept by bundlers", () => {
    expect(manifest.sideEffects).toEqual(["./src/internal/nodeRequire.ts", "./dist/internal/nodeRequire.js"])
    const nodeModule = fs.readFileSync(path.join(root, "src/internal/nodeHttpClient.ts"), "utf8")
    const imports = nodeModule.split("\n").filter((line) => line.startsWith("import "))
    expect(imports[0]).toBe('import "./nodeRequire.js"')
    expect(imports.some((line) => line.includes('from "undici"'))).toBe(true)
  })

  it.effect("without node:zlib, zstd compression fails (a Build error in Request.prepareBody)", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(zstdUnavailable.compress(new Uint8Array([1, 2, 3])))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(Exit.isFailure(exit) ? Cause.squash(exit.cause) : "")).toContain("zstd is not available")
      expect(zstdUnavailable.hasNative).toBe(false)
    })
  )

  it.effect("without Node, the Node transport dies naming the layer to use instead", () =>
    Effect.gen(function* () {
      const scope = yield* Scope.make()
      const exit = yield* Effect.exit(Scope.extend(nodeHttpClientUnavailable.makeWithAgent, scope))
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      expect(String(Exit.isFailure(exit) ? Cause.squash(exit.cause) : "")).toContain("HttpTransport.layerFetch")
      expect(() => nodeHttpClientUnavailable.makeWithDispatcher({})).toThrow(/HttpTransport\.layerFetch/)
    })
  )
})
