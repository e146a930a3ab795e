import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { staticGraph } from "../../../tooling/importGraph.js"

// `@effect/platform-node` is an optional peer of @codex/client: nothing reachable through static
// imports from the package entry may load it (only the Node layers load it, with `import()`).

const srcDir = path.join(__dirname, "..", "src")

const fromPlatformNode = (packages: Set<string>) =>
  [...packages].filter((name) => name === "@effect/platform-node" || name.startsWith("@effect/platform-node/"))

describe("optional peer @effect/platform-node", () => {
  it("no module reachable by static imports from index.ts imports it", () => {
    const graph = staticGraph(path.join(srcDir, "index.ts"))
    expect(graph.files.has(path.join(srcDir, "HttpTransport.ts"))).toBe(true)
    expect(graph.files.has(path.join(srcDir, "internal", "nodeHttpClient.ts"))).toBe(false)
    expect(fromPlatformNode(graph.packages)).toEqual([])
  })

  it("the lazily loaded Node module is the one that imports it (the check can see it)", () => {
    expect(fromPlatformNode(staticGraph(path.join(srcDir, "internal", "nodeHttpClient.ts")).packages)).toEqual([
      "@effect/platform-node/NodeHttpClient"
    ])
  })
})
