import { describe, expect, it } from "vitest"
import { fromJsDoc, fromMarkdown, mapDiagnostics } from "../src/Snippets.js"

describe("snippet extraction", () => {
  it("Markdown: ts blocks with their line and the annotation just above; other languages are skipped", () => {
    const text = [
      "# Title",
      "```sh",
      "npm install x",
      "```",
      '<!-- snippet: fixture=weather-tool expect="it works" env=A={origin}/a env=B=2 -->',
      "```ts",
      'console.log("it works")',
      "```",
      "",
      "<!-- snippet: no-run -->",
      "```typescript",
      "declare const x: number",
      "```"
    ].join("\n")
    const [first, second, ...rest] = fromMarkdown("docs/x.md", text)
    expect(rest).toEqual([])
    expect(first).toMatchObject({
      id: "docs_x_md_7",
      line: 7,
      code: 'console.log("it works")',
      kind: "readme",
      run: true,
      expect: "it works",
      fixture: "weather-tool",
      env: { A: "{origin}/a", B: "2" }
    })
    expect(second).toMatchObject({ line: 12, code: "declare const x: number", run: false, fixture: "text" })
  })

  it("JSDoc: ts blocks under @example are type-checked only, unless annotated with run", () => {
    const text = [
      "/**",
      " * Does a thing.",
      " *",
      " * @example",
      " * ```ts",
      ' * import { Effect } from "effect"',
      " * Effect.runSync(Effect.void)",
      " * ```",
      " *",
      " * @since 0.1.0",
      " * ```ts",
      " * not an example",
      " * ```",
      " */",
      "export const a = 1",
      "/**",
      " * @example",
      ' * snippet: run expect="1"',
      " * ```ts",
      " * console.log(1)",
      " * ```",
      " */"
    ].join("\n")
    const snippets = fromJsDoc("packages/x/src/A.ts", text)
    expect(snippets.map((s) => [s.line, s.code, s.run, s.expect])).toEqual([
      [6, 'import { Effect } from "effect"\nEffect.runSync(Effect.void)', false, undefined],
      [20, "console.log(1)", true, "1"]
    ])
  })

  it("tsc diagnostics point at the README line", () => {
    const [snippet] = fromMarkdown("README.md", ["a", "```ts", "const a = 1", "const b: string = a", "```"].join("\n"))
    const output = `${snippet?.id}.ts(2,7): error TS2322: Type 'number' is not assignable to type 'string'.`
    expect(mapDiagnostics(output, snippet === undefined ? [] : [snippet])).toEqual([
      "README.md:4:7: error TS2322: Type 'number' is not assignable to type 'string'."
    ])
  })
})
