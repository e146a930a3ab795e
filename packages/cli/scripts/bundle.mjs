// Builds the published `codex-api` executable with esbuild (run by `pnpm build`):
// - dist/codex-api.cjs: the command (src/bin.ts) and everything it imports, in one file. CommonJS
//   format so the launcher can compile it as a `vm.Script` with a V8 code cache on Node 20.
// - dist/bin.js: the launcher (src/launcher.ts, ESM), the package's `bin`.
// - dist/zstd.wasm: read at run time by the bundled @bokuweb/zstd-wasm (`--zstd` on Node < 22.15).
// - dist/THIRD_PARTY_NOTICES.md: the licences of the bundled packages.
// Usage: node scripts/bundle.mjs [out-dir]   (default: dist)
import * as esbuild from "esbuild"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const dist = path.resolve(root, process.argv[2] ?? "dist")
const target = "node20.19"

// The HTTP transport uses undici's `Agent` and redirect interceptor only, but undici's entry point
// loads all of undici (fetch, WebSocket, EventSource, caches, mocks): about half the start-up time
// of a streaming call. For that one importer, resolve `undici` to those modules alone (undici's
// entry point does the same `Object.assign(Dispatcher.prototype, api)` for `request`). The names
// it provides are checked below; any other importer gets the whole package.
const requireFromClient = createRequire(path.join(root, "../client/package.json"))
const undiciRoot = path.dirname(requireFromClient.resolve("undici/package.json"))
const undiciLiteImporters = [path.join(root, "../client/src/internal/nodeHttpClient.ts")]
const undiciLiteNames = ["Agent", "Dispatcher", "interceptors"]
const undiciLite = {
  name: "undici-lite",
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, (args) =>
      undiciLiteImporters.includes(args.importer) ? { path: "undici-lite", namespace: "undici-lite" } : undefined
    )
    build.onLoad({ filter: /.*/, namespace: "undici-lite" }, () => ({
      resolveDir: undiciRoot,
      loader: "js",
      contents: [
        'const Dispatcher = require("./lib/dispatcher/dispatcher.js")',
        'Object.assign(Dispatcher.prototype, require("./lib/api/index.js"))',
        "module.exports = {",
        '  Agent: require("./lib/dispatcher/agent.js"),',
        "  Dispatcher,",
        '  interceptors: { redirect: require("./lib/interceptor/redirect.js") }',
        "}"
      ].join("\n")
    }))
  }
}
// ws tries the native add-ons `bufferutil` and `utf-8-validate` and falls back to JavaScript when
// they are missing. The bundle does not look for them (a copy that happens to be installed above it
// would be loaded, and each failed lookup searches the disk at start-up): they are always missing.
const noOptionalAddons = {
  name: "no-optional-addons",
  setup(build) {
    build.onResolve({ filter: /^(bufferutil|utf-8-validate)$/ }, (args) => ({
      path: args.path,
      namespace: "no-optional-addons"
    }))
    build.onLoad({ filter: /.*/, namespace: "no-optional-addons" }, (args) => ({
      loader: "js",
      contents: `throw new Error(${JSON.stringify(`${args.path} is not part of the codex-api bundle`)})`
    }))
  }
}

for (const importer of undiciLiteImporters) {
  const source = fs.readFileSync(importer, "utf8")
  const imported = /import\s*\{([^}]*)\}\s*from\s*"undici"/.exec(source)
  const names = (imported?.[1] ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "" && !name.startsWith("type "))
  const missing = names.filter((name) => !undiciLiteNames.includes(name))
  if (imported === null || missing.length > 0 || /import\s+\*\s+as\s+\w+\s+from\s*"undici"/.test(source)) {
    throw new Error(`${importer} imports from undici what the bundle's undici-lite lacks: ${missing.join(", ")}`)
  }
}

fs.rmSync(dist, { recursive: true, force: true })
fs.mkdirSync(dist, { recursive: true })

const body = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ["src/bin.ts"],
  outfile: path.join(dist, "codex-api.cjs"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target,
  // The workspace packages are bundled from their sources (no need to build them first).
  conditions: ["@codex/source"],
  minify: true,
  // Licences go to THIRD_PARTY_NOTICES.md.
  legalComments: "none",
  // `import.meta.url` in a CommonJS bundle: the bundle's own URL.
  define: { "import.meta.url": "__codexBundleUrl" },
  banner: { js: 'var __codexBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [undiciLite, noOptionalAddons],
  metafile: true,
  logLevel: "warning"
})

// The launcher keys its code cache by this hash instead of hashing the bundle at every start.
const bundleHash = createHash("sha256")
  .update(fs.readFileSync(path.join(dist, "codex-api.cjs")))
  .digest("hex")
  .slice(0, 24)
await esbuild.build({
  absWorkingDir: root,
  entryPoints: ["src/launcher.ts"],
  define: { __CODEX_BUNDLE_HASH__: JSON.stringify(bundleHash) },
  outfile: path.join(dist, "bin.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target,
  logLevel: "warning"
})
fs.chmodSync(path.join(dist, "bin.js"), 0o755)

// The packages that went into the bundle, with their licence texts.
const packages = new Map()
for (const input of Object.keys(body.metafile.inputs)) {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)
  if (match === null) continue
  const dir = path.resolve(root, match[1])
  if (packages.has(dir)) continue
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"))
  const licenceFile = fs.readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name))
  packages.set(dir, {
    name: manifest.name,
    version: manifest.version,
    license: manifest.license ?? "see the package",
    text: licenceFile === undefined ? undefined : fs.readFileSync(path.join(dir, licenceFile), "utf8").trim()
  })
}
const notices = [...packages.values()]
  .sort((a, b) => a.name.localeCompare(b.name))
  .map(
    (p) => `## ${p.name}@${p.version} (${p.license})\n\n${p.text === undefined ? "" : `\`\`\`\n${p.text}\n\`\`\`\n`}`
  )
fs.writeFileSync(
  path.join(dist, "THIRD_PARTY_NOTICES.md"),
  `# Third-party notices\n\n\`dist/codex-api.cjs\` bundles the following packages.\n\n${notices.join("\n")}`
)

// @bokuweb/zstd-wasm loads its WebAssembly module from the bundle's directory.
const zstdEntry = requireFromClient.resolve("@bokuweb/zstd-wasm")
fs.copyFileSync(path.join(path.dirname(zstdEntry), "zstd.wasm"), path.join(dist, "zstd.wasm"))

const size = (name) => `${(fs.statSync(path.join(dist, name)).size / 1024).toFixed(0)} kB`
const where = path.relative(root, dist)
console.log(`codex-api bundle: ${where}/codex-api.cjs ${size("codex-api.cjs")}, ${where}/bin.js ${size("bin.js")}`)
