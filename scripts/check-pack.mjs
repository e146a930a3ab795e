// Packs every publishable package under packages/* with `pnpm pack` (which applies
// `publishConfig`) and checks the tarball is what users will install: built `dist` entry points,
// every `exports` target present, no sources or tests, no `@codex/source` condition, no
// `workspace:` specifiers, a README, a LICENSE identical to the root one (matching the `license`
// field), `repository` / `homepage` / `bugs`, ranges (never exact pins) for dependencies, the
// supported majors of effect and @effect/* as peer ranges, no import of a package the manifest
// does not declare, and every `#name` import mapped by `imports` to packed files. A command-only
// package (a `bin` and no `exports`, like the bundled @codex/cli) needs no library entry points: its
// bin files must be packed and may `import`/`require` only Node built-ins and declared dependencies.
// Needs a built `dist` in each package (`pnpm build`). Exits 1 when any package fails.
// Usage: node scripts/check-pack.mjs [package-dir ...]   (default: every packages/* directory)
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { builtinModules } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const packagesDir = path.join(root, "packages")
const builtins = new Set(builtinModules)
const rootLicense = fs.readFileSync(path.join(root, "LICENSE"), "utf8")

// The majors we support; the README's install lines pin the same ones.
const supported = { effect: "^3.22", "@effect/platform": "^0.97", "@effect/platform-node": "^0.108" }

/** An exact version (`1.2.3`, `=1.2.3`, `v1.2.3`): what a published dependency must not be. */
const isExactPin = (spec) => /^[=v]?\d+\.\d+\.\d+(-[\w.]+)?$/.test(String(spec).trim())

const checkMetadata = (manifest, files, unpacked, relativeDir, problems) => {
  if (!files.includes("LICENSE")) problems.push("LICENSE is missing")
  else if (fs.readFileSync(path.join(unpacked, "LICENSE"), "utf8") !== rootLicense) {
    problems.push("LICENSE differs from the repository's LICENSE")
  }
  if (manifest.license !== "Apache-2.0") problems.push(`license is ${manifest.license}, the LICENSE file is Apache-2.0`)
  const repository = manifest.repository
  if (typeof repository?.url !== "string" || repository.url === "") problems.push("repository.url is missing")
  else if (repository.directory !== relativeDir) {
    problems.push(`repository.directory is ${repository.directory}, expected ${relativeDir}`)
  }
  if (typeof manifest.homepage !== "string" || !manifest.homepage.startsWith("https://")) {
    problems.push("homepage is missing")
  }
  if (typeof manifest.bugs?.url !== "string" || !manifest.bugs.url.startsWith("https://")) {
    problems.push("bugs.url is missing")
  }
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    for (const [dep, spec] of Object.entries(manifest[field] ?? {})) {
      if (isExactPin(spec)) problems.push(`${field}.${dep} is pinned to ${spec}; publish a range (the lockfile pins)`)
      const want = supported[dep]
      if (want !== undefined && !String(spec).startsWith(want)) {
        problems.push(`${field}.${dep} is ${spec}; the supported range starts with ${want}`)
      }
    }
  }
}

/** The string targets of an `exports` value, with the condition path that led to each. */
const exportTargets = (value, where, out) => {
  if (typeof value === "string") out.push({ where, target: value })
  else if (Array.isArray(value)) for (const v of value) exportTargets(v, where, out)
  else if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) exportTargets(v, `${where} > ${key}`, out)
  }
  return out
}

const escapeRegExp = (s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")

/** The `*` replacements of `pattern` (`./dist/*.js`) that exist among `files`. */
const patternStems = (pattern, files) => {
  const [before, after] = pattern.replace(/^\.\//, "").split("*")
  const re = new RegExp(`^${escapeRegExp(before)}(.+)${escapeRegExp(after)}$`)
  const stems = new Set()
  for (const file of files) {
    const m = re.exec(file)
    if (m !== null) stems.add(m[1])
  }
  return stems
}

const checkExports = (manifest, files, problems) => {
  const fileSet = new Set(files)
  const exportsField = manifest.exports
  if (exportsField === undefined) {
    problems.push("package.json has no `exports`")
    return
  }
  const entries =
    typeof exportsField === "string" ||
    Array.isArray(exportsField) ||
    !Object.keys(exportsField).some((k) => k.startsWith("."))
      ? { ".": exportsField }
      : exportsField
  for (const [subpath, value] of Object.entries(entries)) {
    const targets = exportTargets(value, `exports["${subpath}"]`, [])
    if (subpath.includes("*")) {
      // Every condition of a pattern export must resolve for the same modules (a .js without its
      // .d.ts breaks types for that subpath), and at least one module must exist.
      const byCondition = targets.map(({ where, target }) => ({ where, target, stems: patternStems(target, files) }))
      for (const { where, target, stems } of byCondition) {
        if (stems.size === 0) problems.push(`${where}: no file in the tarball matches ${target}`)
        for (const other of byCondition) {
          for (const stem of other.stems) {
            if (!stems.has(stem)) {
              problems.push(
                `${where}: ${target.replace("*", stem)} is missing (${other.target.replace("*", stem)} exists)`
              )
            }
          }
        }
      }
    } else {
      for (const { where, target } of targets) {
        if (!fileSet.has(target.replace(/^\.\//, ""))) problems.push(`${where}: ${target} is not in the tarball`)
      }
    }
  }
}

/** Bare specifiers imported by the packed JavaScript, as package names. */
const importedPackages = (unpackedDir, files) => {
  const names = new Set()
  const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"'./][^"']*)["']/g
  const required = /\brequire\s*\(\s*["']([^"'./][^"']*)["']\s*\)/g
  for (const file of files) {
    if (!file.endsWith(".js") && !file.endsWith(".mjs") && !file.endsWith(".cjs")) continue
    // comment lines (`@example` code in doc comments) import nothing
    const text = fs
      .readFileSync(path.join(unpackedDir, file), "utf8")
      .split("\n")
      .filter((line) => !/^\s*(\*|\/\*|\/\/)/.test(line))
      .join("\n")
    const found = [...text.matchAll(specifier), ...(file.endsWith(".cjs") ? text.matchAll(required) : [])]
    for (const m of found) {
      const spec = m[1]
      const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]
      names.add(name)
    }
  }
  return names
}

const checkPackage = (dir) => {
  const manifestPath = path.join(dir, "package.json")
  const source = JSON.parse(fs.readFileSync(manifestPath, "utf8"))
  if (source.private === true) return undefined
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "codex-pack-"))
  try {
    execFileSync("pnpm", ["pack", "--pack-destination", tmp], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] })
    const tarball = fs.readdirSync(tmp).find((f) => f.endsWith(".tgz"))
    if (tarball === undefined) return { name: source.name, problems: ["pnpm pack produced no tarball"] }
    const tarPath = path.join(tmp, tarball)
    const files = execFileSync("tar", ["-tzf", tarPath], { encoding: "utf8" })
      .split("\n")
      .filter((line) => line !== "" && !line.endsWith("/"))
      .map((line) => line.replace(/^package\//, ""))
    const unpacked = path.join(tmp, "unpacked")
    fs.mkdirSync(unpacked)
    execFileSync("tar", ["-xzf", tarPath, "-C", unpacked, "--strip-components=1"])
    const manifestText = fs.readFileSync(path.join(unpacked, "package.json"), "utf8")
    const manifest = JSON.parse(manifestText)
    const problems = []

    const leaked = files.filter((f) => f.startsWith("src/") || f.startsWith("test/"))
    if (leaked.length > 0) {
      problems.push(`sources or tests are packed: ${leaked.slice(0, 5).join(", ")}${leaked.length > 5 ? ", ..." : ""}`)
    }
    const commandOnly = source.bin !== undefined && source.exports === undefined
    for (const required of commandOnly ? [] : ["dist/index.js", "dist/index.d.ts"]) {
      if (!files.includes(required)) problems.push(`${required} is missing (build first: pnpm build)`)
    }
    if (!files.includes("README.md")) problems.push("README.md is missing")
    if (manifestText.includes("@codex/source")) {
      problems.push(
        "the packed package.json still has the @codex/source condition (publishConfig.exports not applied?)"
      )
    }
    const workspaceSpecs = []
    for (const field of ["dependencies", "peerDependencies", "optionalDependencies", "devDependencies"]) {
      for (const [dep, spec] of Object.entries(manifest[field] ?? {})) {
        if (String(spec).startsWith("workspace:")) workspaceSpecs.push(`${field}.${dep}=${spec}`)
      }
    }
    if (workspaceSpecs.length > 0) problems.push(`workspace: specifiers left: ${workspaceSpecs.join(", ")}`)
    if (!commandOnly) checkExports(manifest, files, problems)
    checkMetadata(manifest, files, unpacked, path.relative(root, dir), problems)
    for (const field of ["main", "types", "module"]) {
      if (typeof manifest[field] === "string" && !files.includes(manifest[field].replace(/^\.\//, ""))) {
        problems.push(`${field}: ${manifest[field]} is not in the tarball`)
      }
    }
    const bins = typeof manifest.bin === "string" ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {})
    for (const [bin, target] of Object.entries(bins)) {
      if (!files.includes(target.replace(/^\.\//, ""))) problems.push(`bin ${bin}: ${target} is not in the tarball`)
    }
    const declared = new Set([
      manifest.name,
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
      ...Object.keys(manifest.optionalDependencies ?? {})
    ])
    const imported = [...importedPackages(unpacked, files)]
    // `#name` specifiers are the package's own `imports` map: each must be there, its targets packed.
    for (const name of imported.filter((name) => name.startsWith("#"))) {
      const value = manifest.imports?.[name]
      if (value === undefined) problems.push(`imports ${name}, which package.json \`imports\` does not map`)
      for (const { where, target } of exportTargets(value, `imports["${name}"]`, [])) {
        if (!files.includes(target.replace(/^\.\//, ""))) problems.push(`${where}: ${target} is not in the tarball`)
      }
    }
    const undeclared = imported.filter(
      (name) => !name.startsWith("#") && !declared.has(name) && !builtins.has(name) && !name.startsWith("node:")
    )
    if (undeclared.length > 0) {
      problems.push(`imports packages not in dependencies/peerDependencies: ${undeclared.sort().join(", ")}`)
    }

    const size = fs.statSync(tarPath).size
    return { name: manifest.name, version: manifest.version, files: files.length, size, problems }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}

const dirs =
  process.argv.length > 2
    ? process.argv.slice(2).map((d) => path.resolve(d))
    : fs
        .readdirSync(packagesDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && fs.existsSync(path.join(packagesDir, d.name, "package.json")))
        .map((d) => path.join(packagesDir, d.name))
        .sort()

let failed = 0
let checked = 0
for (const dir of dirs) {
  let result
  try {
    result = checkPackage(dir)
  } catch (error) {
    // pnpm reports on stdout (ERR_PNPM_...), corepack on stderr; keep the first lines of either.
    const output = [error?.stdout, error?.stderr].map((b) => b?.toString?.().trim() ?? "").filter((s) => s !== "")
    const reason =
      output.length > 0 ? output.join("\n").split("\n").slice(0, 3).join(" | ") : String(error?.message ?? error)
    result = { name: path.relative(root, dir), problems: [`pack failed: ${reason}`] }
  }
  if (result === undefined) continue
  checked++
  if (result.problems.length === 0) {
    console.log(
      `ok   ${result.name}@${result.version}: ${result.files} files, ${(result.size / 1024).toFixed(1)} kB packed`
    )
  } else {
    failed++
    console.log(`FAIL ${result.name}${result.files === undefined ? "" : `: ${result.files} files`}`)
    for (const problem of result.problems) console.log(`     - ${problem}`)
  }
}
console.log(`check-pack: ${checked - failed} ok, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
