/**
 * The stranger test: what a new user gets from the published packages. Packs every package
 * (`pnpm pack`, needs `pnpm build`), creates an empty npm project in a temporary directory outside
 * the workspace, installs with the README's own install lines (the `@codex/*` names replaced by the
 * tarballs, everything else from the registry), adds TypeScript and tsx, type-checks the README's
 * quick-start programs there and runs them against the installed `@codex/testing` server, checking
 * they print the streamed text. Also checks that a wrong effect major is refused at install time.
 *
 *   pnpm build && pnpm check:stranger        (KEEP=1 keeps the temporary project)
 */
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { fromMarkdown, readmeFiles, repositoryRoot } from "./Snippets.js"

const started = Date.now()
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`
const log = (line: string) => console.log(`stranger [${elapsed()}] ${line}`)
const fail = (line: string): never => {
  console.error(`stranger: FAILED: ${line}`)
  process.exit(1)
}

const run = (command: string, args: ReadonlyArray<string>, cwd: string, env: NodeJS.ProcessEnv = process.env) => {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
  return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}`, stdout: result.stdout ?? "" }
}
const mustRun = (command: string, args: ReadonlyArray<string>, cwd: string, env?: NodeJS.ProcessEnv) => {
  const result = run(command, args, cwd, env)
  if (result.status !== 0) fail(`${command} ${args.join(" ")} (in ${cwd}) exited ${result.status}:\n${result.output}`)
  return result
}

/** For programs that talk to the server running in this process: its event loop must keep going. */
const runAsync = (command: string, args: ReadonlyArray<string>, cwd: string, env: NodeJS.ProcessEnv) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(command, args, { cwd, env })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (b) => (stdout += b))
    child.stderr.on("data", (b) => (stderr += b))
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000)
    child.on("close", (status) => {
      clearTimeout(timer)
      resolve({ status, stdout, stderr })
    })
  })

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "codex-stranger-"))
const tarballs = path.join(tmp, "tarballs")
const app = path.join(tmp, "app")
fs.mkdirSync(tarballs)
fs.mkdirSync(app)
// npm and the user's shell only: no workspace settings, no npm_* variables from pnpm.
const userEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith("npm_") && !/^(OPENAI_|CODEX_|NODE_OPTIONS$)/.test(k))
) as NodeJS.ProcessEnv

try {
  // 1. Pack what the README's install lines name, with the @codex packages those depend on.
  const readme = fs.readFileSync(path.join(repositoryRoot, "README.md"), "utf8")
  const installLines = readme.split("\n").filter((line) => /^npm install /.test(line))
  if (installLines.length === 0) fail("README.md has no `npm install` line")
  const manifests = new Map<string, { dir: string; manifest: any }>()
  for (const dir of fs.readdirSync(path.join(repositoryRoot, "packages"))) {
    const pkgDir = path.join(repositoryRoot, "packages", dir)
    const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"))
    if (manifest.private !== true) manifests.set(manifest.name, { dir: pkgDir, manifest })
  }
  const wanted = installLines.flatMap((line) => line.split(/\s+/)).filter((arg) => manifests.has(arg))
  const byName = new Map<string, string>()
  while (wanted.length > 0) {
    const name = wanted.pop() as string
    const entry = manifests.get(name)
    if (byName.has(name) || entry === undefined) continue
    const before = new Set(fs.readdirSync(tarballs))
    mustRun("pnpm", ["pack", "--pack-destination", tarballs], entry.dir)
    const tarball = fs.readdirSync(tarballs).find((f) => !before.has(f))
    if (tarball === undefined) fail(`pnpm pack produced no tarball for ${name}`)
    byName.set(name, path.join(tarballs, tarball as string))
    wanted.push(...Object.keys(entry.manifest.dependencies ?? {}).filter((dep) => manifests.has(dep)))
  }
  log(`packed ${[...byName.keys()].sort().join(", ")}`)

  // 2. The README's install lines, with the tarballs for our packages.
  const toArgs = (line: string) =>
    line
      .trim()
      .split(/\s+/)
      .slice(2)
      .map((arg) => byName.get(arg) ?? arg)

  // A wrong major must be refused before anything is installed (npm's peer check, from the manifests).
  const wrong = path.join(tmp, "wrong-major")
  fs.mkdirSync(wrong)
  mustRun("npm", ["init", "-y"], wrong, userEnv)
  const wrongArgs = toArgs(installLines[0] as string).map((arg) => (arg.startsWith("effect@") ? "effect@^4" : arg))
  const refused = run("npm", ["install", "--dry-run", "--no-audit", "--no-fund", ...wrongArgs], wrong, userEnv)
  if (refused.status === 0 || !refused.output.includes("ERESOLVE")) {
    fail(`installing with effect@^4 was not refused with ERESOLVE (exit ${refused.status}):\n${refused.output}`)
  }
  log("effect@^4 is refused at install time (ERESOLVE)")

  mustRun("npm", ["init", "-y"], app, userEnv)
  const pkgPath = path.join(app, "package.json")
  fs.writeFileSync(pkgPath, JSON.stringify({ ...JSON.parse(fs.readFileSync(pkgPath, "utf8")), type: "module" }))
  for (const line of installLines) {
    log(line)
    mustRun("npm", ["install", "--no-audit", "--no-fund", ...toArgs(line)], app, userEnv)
  }
  // What a TypeScript user adds to run a .ts file.
  mustRun(
    "npm",
    ["install", "-D", "--no-audit", "--no-fund", "typescript@~5.9.0", "tsx@^4.21.0", "@types/node@^20"],
    app,
    userEnv
  )
  log("installed")
  const effectVersion = JSON.parse(fs.readFileSync(path.join(app, "node_modules/effect/package.json"), "utf8")).version
  if (!String(effectVersion).startsWith("3.")) fail(`the README's install line installed effect ${effectVersion}`)

  // 3. The quick-start programs, type-checked and run as a user would. Every other README block that
  // needs only what these lines installed (not @codex/ai) is type-checked here too.
  const installed = (code: string) => !code.includes("@codex/ai") && !code.includes("@effect/ai")
  const quickStart = fromMarkdown("README.md", readme)
    .filter((s) => s.run && installed(s.code))
    .slice(0, 2)
  if (quickStart.length < 2) fail("README.md has fewer than two runnable snippets")
  for (const [i, s] of quickStart.entries()) fs.writeFileSync(path.join(app, `snippet${i}.ts`), `${s.code}\n`)
  const others = readmeFiles()
    .flatMap((file) => fromMarkdown(path.relative(repositoryRoot, file), fs.readFileSync(file, "utf8")))
    .filter((s) => installed(s.code) && !quickStart.some((q) => q.id === s.id))
  fs.mkdirSync(path.join(app, "more"))
  for (const s of others) fs.writeFileSync(path.join(app, "more", `${s.id}.ts`), `${s.code}\n\nexport {}\n`)
  fs.writeFileSync(
    path.join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "es2022",
        module: "nodenext",
        moduleResolution: "nodenext",
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ["node"]
      },
      include: ["*.ts", "more/*.ts"]
    })
  )
  mustRun(path.join(app, "node_modules/.bin/tsc"), ["-p", "."], app, userEnv)
  log(`the quick start and ${others.length} other README blocks type-check (TypeScript 5.9, nodenext)`)

  const testing = path.join(app, "node_modules/@codex/testing/dist")
  const ResponsesServer = await import(pathToFileURL(path.join(testing, "ResponsesServer.js")).href)
  const Fixture = await import(pathToFileURL(path.join(testing, "Fixture.js")).href)
  const deltas = ["Hello", " from the", " local server."]
  for (const [i, s] of quickStart.entries()) {
    const server = await ResponsesServer.start({ defaults: { "/responses": { events: Fixture.textAnswer(deltas) } } })
    try {
      const usesKey = s.code.includes("layerApiKeyConfig")
      const env = { ...userEnv, OPENAI_BASE_URL: server.baseUrl, ...(usesKey ? { OPENAI_API_KEY: "sk-stranger" } : {}) }
      const result = await runAsync(path.join(app, "node_modules/.bin/tsx"), [`snippet${i}.ts`], app, env)
      if (result.status !== 0) fail(`README.md:${s.line} exited ${result.status}:\n${result.stderr}${result.stdout}`)
      if (result.stdout !== deltas.join("")) {
        fail(
          `README.md:${s.line} printed ${JSON.stringify(result.stdout)}, expected ${JSON.stringify(deltas.join(""))}`
        )
      }
      const auth = server.requests.map((r: { headers: Record<string, string> }) => r.headers.authorization)
      if (server.requests.length !== 1 || auth[0] !== (usesKey ? "Bearer sk-stranger" : undefined)) {
        fail(`README.md:${s.line}: unexpected requests (authorization ${JSON.stringify(auth)})`)
      }
      log(`README.md:${s.line} printed the streamed text${usesKey ? " (API key)" : " (no API key)"}`)
    } finally {
      await server.close()
    }
  }
  log("ok")
} finally {
  if (process.env.KEEP === "1") console.log(`stranger: kept ${tmp}`)
  else fs.rmSync(tmp, { recursive: true, force: true })
}
