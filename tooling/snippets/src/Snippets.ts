/**
 * Finds the TypeScript code blocks users read: every ```ts block of the READMEs and every ```ts
 * block under an `@example` tag in the packages' JSDoc. A README block is a program that is
 * type-checked and run; an `@example` block is type-checked only unless annotated.
 *
 * Annotations go on the line before the block: an HTML comment in Markdown
 * (`<!-- snippet: expect="Hello" env=EVENTS_URL={origin}/events -->`) or a `snippet:` line in JSDoc
 * (` * snippet: run expect="Hello"`). Keys: `run` / `no-run`, `expect` (text the program must print
 * on stdout), `fixture` (the local server's script, see the test), `env=NAME=value` (repeatable;
 * `{origin}` and `{baseUrl}` are replaced with the local server's URLs).
 */
import * as fs from "node:fs"
import * as path from "node:path"

export interface Snippet {
  /** A file-system safe, stable name: `<source path>_<line>`. */
  readonly id: string
  /** The file it comes from, relative to the repository root. */
  readonly source: string
  /** The 1-based line of the block's first code line in `source`. */
  readonly line: number
  readonly code: string
  readonly kind: "readme" | "jsdoc"
  readonly run: boolean
  readonly expect: string | undefined
  readonly fixture: string
  readonly env: Readonly<Record<string, string>>
}

export const repositoryRoot = path.resolve(import.meta.dirname, "../../..")

const fence = /^\s*```(ts|typescript)\s*$/
const fenceEnd = /^\s*```\s*$/

/** `key=value`, `key="value with spaces"`, or a bare flag. */
const parseAnnotation = (text: string): Record<string, Array<string>> => {
  const out: Record<string, Array<string>> = {}
  for (const m of text.matchAll(/([\w-]+)(?:=("[^"]*"|\S+))?/g)) {
    const key = m[1] as string
    const raw = m[2]
    const value = raw === undefined ? "" : raw.startsWith('"') ? raw.slice(1, -1) : raw
    ;(out[key] ??= []).push(value)
  }
  return out
}

const toSnippet = (
  source: string,
  line: number,
  code: string,
  kind: Snippet["kind"],
  annotation: string | undefined
): Snippet => {
  const a = parseAnnotation(annotation ?? "")
  const env: Record<string, string> = {}
  for (const assignment of a.env ?? []) {
    const eq = assignment.indexOf("=")
    if (eq > 0) env[assignment.slice(0, eq)] = assignment.slice(eq + 1)
  }
  const run = a["no-run"] !== undefined ? false : a.run !== undefined ? true : kind === "readme"
  return {
    id: `${source.replace(/[^\w]+/g, "_")}_${line}`,
    source,
    line,
    code,
    kind,
    run,
    expect: a.expect?.[0],
    fixture: a.fixture?.[0] ?? "text",
    env
  }
}

/** The ```ts blocks of a Markdown file, with the `<!-- snippet: ... -->` comment just above each. */
export const fromMarkdown = (source: string, text: string): Array<Snippet> => {
  const lines = text.split("\n")
  const out: Array<Snippet> = []
  for (let i = 0; i < lines.length; i++) {
    if (!fence.test(lines[i] as string)) continue
    const start = i + 1
    let end = start
    while (end < lines.length && !fenceEnd.test(lines[end] as string)) end++
    const previous = lines[i - 1]?.match(/^<!--\s*snippet:(.*)-->\s*$/)
    out.push(toSnippet(source, start + 1, lines.slice(start, end).join("\n"), "readme", previous?.[1]))
    i = end
  }
  return out
}

/** The ```ts blocks under `@example` tags of the JSDoc comments of a TypeScript file. */
export const fromJsDoc = (source: string, text: string): Array<Snippet> => {
  const lines = text.split("\n")
  const out: Array<Snippet> = []
  let inExample = false
  let annotation: string | undefined
  for (let i = 0; i < lines.length; i++) {
    const content = (lines[i] as string).replace(/^\s*\*\s?/, "")
    if (/^\s*\/\*\*/.test(lines[i] as string) || /\*\/\s*$/.test(lines[i] as string)) inExample = false
    if (/^@example\b/.test(content)) {
      inExample = true
      annotation = undefined
      continue
    }
    if (/^@\w/.test(content)) inExample = false
    if (!inExample) continue
    const note = content.match(/^snippet:(.*)$/)
    if (note !== null) {
      annotation = note[1]
      continue
    }
    if (!fence.test(content)) continue
    const start = i + 1
    let end = start
    const body: Array<string> = []
    while (end < lines.length) {
      const c = (lines[end] as string).replace(/^\s*\*\s?/, "")
      if (fenceEnd.test(c) || /\*\/\s*$/.test(lines[end] as string)) break
      body.push(c)
      end++
    }
    out.push(toSnippet(source, start + 1, body.join("\n"), "jsdoc", annotation))
    i = end
  }
  return out
}

const listFiles = (dir: string, keep: (file: string) => boolean): Array<string> => {
  if (!fs.existsSync(dir)) return []
  const out: Array<string> = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) continue
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...listFiles(full, keep))
    else if (keep(full)) out.push(full)
  }
  return out.sort()
}

/** Every README of the repository (root, packages, examples, tooling). */
export const readmeFiles = (root = repositoryRoot): Array<string> =>
  [
    path.join(root, "README.md"),
    ...["packages", "examples", "tooling"].flatMap((dir) =>
      listFiles(path.join(root, dir), (file) => path.basename(file) === "README.md")
    )
  ].filter((file) => fs.existsSync(file))

/** Every TypeScript source of the published packages (where `@example` blocks live). */
export const sourceFiles = (root = repositoryRoot): Array<string> =>
  listFiles(path.join(root, "packages"), (file) => file.endsWith(".ts") && file.includes(`${path.sep}src${path.sep}`))

/** All snippets of the repository. */
export const collect = (root = repositoryRoot): Array<Snippet> => [
  ...readmeFiles(root).flatMap((file) => fromMarkdown(path.relative(root, file), fs.readFileSync(file, "utf8"))),
  ...sourceFiles(root).flatMap((file) => fromJsDoc(path.relative(root, file), fs.readFileSync(file, "utf8")))
]

/**
 * Writes each snippet as `<dir>/<id>.ts` (a module: `export {}` is appended) and a tsconfig that
 * checks them against the packages as installed (their `types`, i.e. the built declarations).
 */
export const writeWorkspace = (dir: string, snippets: ReadonlyArray<Snippet>, tsconfig: object): void => {
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  for (const snippet of snippets) {
    fs.writeFileSync(path.join(dir, `${snippet.id}.ts`), `${snippet.code}\n\nexport {}\n`)
  }
  fs.writeFileSync(path.join(dir, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`)
}

/** `file.ts(12,3): error TS...` lines of tsc's output, pointed back at the README / source line. */
export const mapDiagnostics = (output: string, snippets: ReadonlyArray<Snippet>): Array<string> => {
  const byId = new Map(snippets.map((s) => [s.id, s]))
  const out: Array<string> = []
  for (const line of output.split("\n")) {
    const m = line.match(/^(?:.*[\\/])?([\w]+)\.ts\((\d+),(\d+)\): (.*)$/)
    const snippet = m === null ? undefined : byId.get(m[1] as string)
    if (m === null || snippet === undefined) {
      if (line.trim() !== "") out.push(line)
      continue
    }
    out.push(`${snippet.source}:${snippet.line + Number(m[2]) - 1}:${m[3]}: ${m[4]}`)
  }
  return out
}
