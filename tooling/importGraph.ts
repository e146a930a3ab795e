import * as fs from "node:fs"
import * as path from "node:path"

/**
 * Static import graphs of a package's TypeScript sources, for tests that pin which packages a
 * module may load (optional peers, packages that must stay out of another's graph).
 */

// Runtime imports only: `import type` / `export type` are erased by the compiler.
const staticImport = /^\s*(?:import|export)\s+(?!type\s)(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gm

/** The local files reached from `entry` by static imports, and the package specifiers they import. */
export const staticGraph = (entry: string): { readonly files: Set<string>; readonly packages: Set<string> } => {
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
  visit(entry)
  return { files, packages }
}

/** Every `.ts` file below `dir`. */
export const sourceFiles = (dir: string): Array<string> =>
  fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => path.join(dir, name))
    .sort()
