#!/usr/bin/env node
/**
 * The published `codex-api` executable (built to `dist/bin.js`): loads the single-file bundle of
 * the command (`dist/codex-api.cjs`, built by esbuild from `bin.ts`) with a V8 code cache, so a
 * start does not compile the bundle again.
 *
 * - Node ≥ 22.1: `module.enableCompileCache(dir)`, Node's own cache (keyed by the file's content).
 * - Node 20: the bundle runs as a `vm.Script` with `cachedData`; the cache file's name carries a
 *   hash of the bundle's content and the Node version, so a changed bundle never reads stale code.
 *
 * The cache lives in a per-user directory (`$XDG_CACHE_HOME/codex-api`, else `~/.cache/codex-api`;
 * `%LOCALAPPDATA%\codex-api` on Windows, `~/Library/Caches/codex-api` on macOS), created with
 * mode 0700. When it cannot be read or written, the command runs without a cache and says nothing.
 * `CODEX_API_COMPILE_CACHE=0` (or Node's `NODE_DISABLE_COMPILE_CACHE=1`) turns it off.
 *
 * WebAssembly (undici's HTTP parser, zstd) is compiled by the baseline compiler only
 * (`--liftoff-only`): otherwise V8 optimises the parser in background threads that Node waits for
 * before it exits, which costs a short call more than the whole stream (and a long one nothing).
 *
 * @internal
 */
import * as Fs from "node:fs"
import * as Module from "node:module"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as V8 from "node:v8"
import * as Vm from "node:vm"

const bundle = fileURLToPath(new URL("./codex-api.cjs", import.meta.url))

// Defined by the build (scripts/bundle.mjs): the SHA-256 of `codex-api.cjs`, 24 hex digits.
declare const __CODEX_BUNDLE_HASH__: string
const bundleHash = __CODEX_BUNDLE_HASH__

/** FNV-1a (32 bits) as 8 hex digits: names a cache folder or file, not a security boundary. */
const fnv1a = (text: string): string => {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return (hash >>> 0).toString(16).padStart(8, "0")
}

const cacheDirectory = (): string | undefined => {
  const env = process.env
  if (env.CODEX_API_COMPILE_CACHE === "0" || (env.NODE_DISABLE_COMPILE_CACHE ?? "") !== "") return undefined
  const xdg = env.XDG_CACHE_HOME
  let base: string
  if (xdg !== undefined && Path.isAbsolute(xdg)) base = xdg
  else if (process.platform === "win32") base = env.LOCALAPPDATA ?? Path.join(Os.homedir(), "AppData", "Local")
  else if (process.platform === "darwin") base = Path.join(Os.homedir(), "Library", "Caches")
  else base = Path.join(Os.homedir(), ".cache")
  return Path.join(base, "codex-api")
}

const makeDirectory = (dir: string): boolean => {
  try {
    Fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    return true
  } catch {
    return false
  }
}

type EnableCompileCache = (dir?: string) => unknown
const enableCompileCache = (Module as unknown as { enableCompileCache?: EnableCompileCache }).enableCompileCache

const requireBundle = Module.createRequire(bundle)

/** Node's own compile cache: the bundle is `require`d as usual and Node caches what it compiles. */
const runWithNodeCache = (enable: EnableCompileCache, dir: string | undefined): void => {
  if (dir !== undefined && makeDirectory(dir)) {
    try {
      enable(Path.join(dir, "node"))
    } catch {
      // No cache then.
    }
  }
  requireBundle(bundle)
}

/** Node 20: compile the bundle as a CommonJS function with `vm.Script` and V8 cached data. */
const runWithScriptCache = (dir: string | undefined): void => {
  let source = Fs.readFileSync(bundle, "utf8")
  // A hashbang is only valid at the very start of a file; keep the line numbering.
  if (source.startsWith("#!")) source = `//${source.slice(2)}`
  // A cache made by a run that called the API (`<name>.full.bin`) also holds the streaming code;
  // one made by `--version` or `--help` (`<name>.bin`) does not, and the first run that calls the
  // API replaces it once. (Making cached data costs about as much as compiling, so it is not redone
  // on every run to find out.)
  const callsApi = process.argv.slice(2).some((arg) => arg === "responses" || arg === "compact" || arg === "models")
  let cacheBase: string | undefined
  let cachedData: Buffer | undefined
  let cachedFull = false
  if (dir !== undefined) {
    // One folder per installed bundle (so two installs do not evict each other), one file per
    // content + Node version + V8 flags.
    // The bundle's content hash is computed by the build (hashing ~1 MB at every start costs ~10 ms);
    // its size and modification time change when the file is edited after the build.
    const stat = Fs.statSync(bundle)
    const content = `${bundleHash}-${stat.size}-${Math.trunc(stat.mtimeMs)}-${fnv1a(process.execArgv.join(" "))}`
    cacheBase = Path.join(dir, fnv1a(bundle), `v8-${process.version}-${process.arch}-${content}`)
    for (const full of [true, false]) {
      try {
        cachedData = Fs.readFileSync(`${cacheBase}${full ? ".full" : ""}.bin`)
        cachedFull = full
        break
      } catch {
        cachedData = undefined
      }
    }
  }
  const script = new Vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    ...(cachedData === undefined ? {} : { cachedData }),
    importModuleDynamically: Vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER
  })
  const stale = cachedData === undefined || script.cachedDataRejected === true
  if (cacheBase !== undefined && (stale || (callsApi && !cachedFull))) {
    const target = `${cacheBase}${callsApi ? ".full" : ""}.bin`
    // At exit the cache also holds every function the command compiled while it ran.
    process.once("exit", () => writeCache(target, () => script.createCachedData()))
  }
  const run = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string
  ) => void
  const module = { exports: {} }
  run.call(module.exports, module.exports, requireBundle, module, bundle, Path.dirname(bundle))
}

/** Writes the cache atomically (temp file + rename) and removes this bundle's older cache files. */
const writeCache = (file: string, data: () => Buffer): void => {
  const dir = Path.dirname(file)
  if (!makeDirectory(dir)) return
  const temp = `${file}.${process.pid}.tmp`
  try {
    Fs.writeFileSync(temp, data(), { mode: 0o600 })
    Fs.renameSync(temp, file)
    for (const name of Fs.readdirSync(dir)) {
      if (name.startsWith("v8-") && Path.join(dir, name) !== file && !name.endsWith(".tmp")) {
        Fs.rmSync(Path.join(dir, name), { force: true })
      }
    }
  } catch {
    try {
      Fs.rmSync(temp, { force: true })
    } catch {
      // Nothing more to do: the next run tries again.
    }
  }
}

// Before anything is compiled: V8's code cache records the flags it was made with.
V8.setFlagsFromString("--liftoff-only")

const dir = cacheDirectory()
if (enableCompileCache !== undefined) runWithNodeCache(enableCompileCache, dir)
else runWithScriptCache(dir)
