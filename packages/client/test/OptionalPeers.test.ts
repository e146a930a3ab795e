import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"

// `@effect/platform-node` is an optional peer of @codex/client: nothing reachable through static
// imports from the package entry may load it (only the Node layers load it, with `import()`).

const srcDir = path.join(__dirname, "..", "src")

// Runtime imports only: `import type` / `export type` are erased by the compiler.
const staticImport = /^\s*(?:import|export)\s+(?!type\s)(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gm

/** Every module specifier statically imported by `entry` and the local modules it reaches. */
const staticGraph = (entry: string): { readonly files: Set<string>; readonly packages: Set<string> } => {
  const files = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string) => {
    if (files.has(file)) return
    files.add(file)
    const source = fs.readFileSync(file, "utf8")
    for (const match of source.matchAll(staticImport)) {
      const specifier = match[1] as string
      if (specifier.startsWith(".")) visit(path.resolve(path.dirname(file), specifier.replace(/\.js$/, ".ts")))
      else packages.add(specifier)
    }
  }
  visit(path.join(srcDir, entry))
  return { files, packages }
}

const fromPlatformNode = (packages: Set<string>) =>
  [...packages].filter((name) => name === "@effect/platform-node" || name.startsWith("@effect/platform-node/"))

describe("optional peer @effect/platform-node", () => {
  it("no module reachable by static imports from index.ts imports it", () => {
    const graph = staticGraph("index.ts")
    expect(graph.files.has(path.join(srcDir, "HttpTransport.ts"))).toBe(true)
    expect(graph.files.has(path.join(srcDir, "internal", "nodeHttpClient.ts"))).toBe(false)
    expect(fromPlatformNode(graph.packages)).toEqual([])
  })

  it("the lazily loaded Node module is the one that imports it (the check can see it)", () => {
    expect(fromPlatformNode(staticGraph("internal/nodeHttpClient.ts").packages)).toEqual([
      "@effect/platform-node/NodeHttpClient"
    ])
  })
})
