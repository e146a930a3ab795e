import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import * as Fixture from "@codex/testing/Fixture"
import * as ResponsesServer from "@codex/testing/ResponsesServer"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as esbuild from "esbuild"
import { chromium } from "playwright-core"

// `src/any-runtime.ts` bundled by esbuild into one ES module file, as a user would ship it: on
// `layerFetch` for the browser (run in headless Chromium, streaming cross-origin from the local
// server) and on `layerNode` for Node (run from a directory with no node_modules).

const script: Fixture.Script = {
  "/responses": [{ events: Fixture.textAnswer(["Same ", "program, ", "any runtime."]) }]
}
const answer = "Same program, any runtime."

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"
// The flags this machine needs (no GPU, no network but loopback, no background traffic).
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

const entry = (name: string) => path.join(__dirname, "bundle", name)

/** A fresh directory outside the workspace, removed with the scope. */
const tempDir = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "codex-bundle-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

/**
 * Bundles `entryPoint` into the single file `outfile`; returns the bundled input paths and those
 * of them that put code into the output (esbuild drops what the program does not reach).
 */
const bundle = (
  entryPoint: string,
  platform: "browser" | "node" | "neutral",
  outfile: string,
  options: { readonly conditions?: Array<string>; readonly mainFields?: Array<string> } = {}
) =>
  Effect.map(
    Effect.promise(() =>
      esbuild.build({
        entryPoints: [entryPoint],
        bundle: true,
        format: "esm",
        platform,
        conditions: ["@codex/source", ...(options.conditions ?? [])],
        ...(options.mainFields === undefined ? {} : { mainFields: options.mainFields }),
        outfile,
        metafile: true,
        logLevel: "silent"
      })
    ),
    (result) =>
      Object.assign(Object.keys(result.metafile.inputs), {
        emitted: Object.entries(Object.values(result.metafile.outputs)[0]!.inputs)
          .filter(([, input]) => input.bytesInOutput > 0)
          .map(([input]) => input)
      })
  )

const nodeOnly = /node_modules\/(undici|ws|@effect\/platform-node|@bokuweb\/zstd-wasm)\/|^node:/

/** Serves the page and the bundle on 127.0.0.1 (another origin than the Responses server). */
const servePage = (script: string) =>
  Effect.acquireRelease(
    Effect.async<Http.Server>((resume) => {
      const server = Http.createServer((req, res) => {
        if (req.url === "/app.js") {
          res.writeHead(200, { "content-type": "text/javascript" })
          res.end(script)
        } else {
          res.writeHead(200, { "content-type": "text/html" })
          res.end('<!doctype html><div id="output"></div><script type="module" src="/app.js"></script>')
        }
      })
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`))

const launchChromium = Effect.acquireRelease(
  Effect.promise(() => {
    if (!fs.existsSync(chromiumPath)) {
      throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM_PATH)`)
    }
    // Playwright starts it headless with a new, empty profile directory.
    return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true })
  }),
  (browser) => Effect.promise(() => browser.close())
)

describe("bundles", () => {
  it.scopedLive(
    "a layerFetch program bundled for the browser streams in headless Chromium",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        const outfile = path.join(dir, "app.js")
        const inputs = yield* bundle(entry("browser.ts"), "browser", outfile)
        expect(inputs.some((input) => input.includes("packages/client/src/HttpTransport.ts"))).toBe(true)
        expect(inputs.filter((input) => nodeOnly.test(input))).toEqual([])
        // What keeps the bundle within openai-node's size (tooling/bench/size.mjs): no effect/Schema
        // and no @effect/platform HTTP client on the streaming path.
        expect(
          inputs.emitted.filter((input) =>
            /effect\/dist\/esm\/(Schema|ParseResult|SchemaAST)\.js|@effect\/platform\/dist\/esm\/internal\/httpClient/.test(
              input
            )
          )
        ).toEqual([])

        const server = yield* ResponsesServer.make({ script, cors: true })
        const pageOrigin = yield* servePage(fs.readFileSync(outfile, "utf8"))
        const browser = yield* launchChromium
        const page = yield* Effect.promise(() => browser.newPage())
        const errors: Array<string> = []
        page.on("pageerror", (error) => errors.push(String(error)))
        yield* Effect.promise(() => page.goto(`${pageOrigin}/?baseUrl=${encodeURIComponent(server.baseUrl)}`))
        yield* Effect.promise(() =>
          page.waitForFunction(() => (globalThis as { codexResult?: unknown }).codexResult !== undefined, undefined, {
            timeout: 60_000
          })
        )
        const result = yield* Effect.promise(() =>
          page.evaluate(() => (globalThis as { codexResult?: unknown }).codexResult)
        )
        const shown = yield* Effect.promise(() => page.textContent("#output"))

        expect(errors).toEqual([])
        expect(result).toEqual({ text: answer })
        expect(shown).toBe(answer)
        expect(server.requests.map((r) => `${r.method} ${r.route}`)).toEqual(["POST /responses"])
        const request = server.requests[0]!
        expect(request.headers["origin"]).toBe(pageOrigin)
        expect(request.headers["user-agent"]).toContain("Chrome")
        expect(request.headers["accept"]).toBe("text/event-stream")
        expect(request.json).toMatchObject({ model: "gpt-5", stream: true })
      }),
    180_000
  )

  it.scoped(
    "the package entries bundle for browsers and edge runtimes without their Node-only modules",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        const targets = [
          { platform: "browser" as const },
          // Cloudflare Workers' resolution (workerd); Vercel's edge runtime resolves much the same.
          {
            platform: "neutral" as const,
            conditions: ["workerd", "worker", "browser"],
            mainFields: ["browser", "module", "main"]
          }
        ]
        for (const [i, target] of targets.entries()) {
          const inputs = yield* bundle(entry("barrels.ts"), target.platform, path.join(dir, `${i}.js`), target)
          expect(inputs.some((input) => input.includes("packages/client/src/HttpTransport.ts"))).toBe(true)
          expect(inputs.filter((input) => nodeOnly.test(input))).toEqual([])
        }
      }),
    90_000
  )

  it.effect(
    "each entry without Node exports every module of the package's index but the Node-only ones",
    () =>
      Effect.gen(function* () {
        const packages = path.join(__dirname, "..", "..", "packages")
        const nodeOnly = {
          client: ["CustomCa", "NodeTransport", "Proxy"],
          api: ["Files", "RealtimeWebsocket", "ResponsesWebsocket", "WebsocketTls"]
        }
        for (const [name, modules] of Object.entries(nodeOnly)) {
          const full = yield* Effect.promise(() => import(path.join(packages, name, "src", "index.ts")))
          const portable = yield* Effect.promise(
            () => import(path.join(packages, name, "src", "internal", "indexWithoutNode.ts"))
          )
          expect(Object.keys(portable).sort()).toEqual(
            Object.keys(full)
              .filter((key) => !modules.includes(key))
              .sort()
          )
          for (const key of Object.keys(portable)) expect(portable[key]).toBe(full[key])
        }
      }),
    90_000
  )

  it.scopedLive(
    "a layerNode program bundled into one ES module file runs in Node",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        const outfile = path.join(dir, "app.mjs")
        const inputs = yield* bundle(entry("node.ts"), "node", outfile)
        // undici itself is in the file (CommonJS inside an ES module bundle).
        expect(inputs.some((input) => /node_modules\/undici\//.test(input))).toBe(true)
        expect(fs.readdirSync(dir)).toEqual(["app.mjs"])

        const server = yield* ResponsesServer.make({ script })
        const output = yield* Effect.async<{ stdout: string; stderr: string; code: number }>((resume) => {
          const child = execFile(
            process.execPath,
            [outfile, server.baseUrl],
            { cwd: dir, timeout: 90_000 },
            (error, stdout, stderr) =>
              resume(Effect.succeed({ stdout, stderr, code: error === null ? 0 : ((error.code as number) ?? 1) }))
          )
          return Effect.sync(() => child.kill())
        })

        expect(output.stderr).toBe("")
        expect(output.code).toBe(0)
        expect(output.stdout.split("\n")).toEqual([
          "delta: Same ",
          "delta: program, ",
          "delta: any runtime.",
          `text: ${answer}`,
          ""
        ])
        expect(server.requests.map((r) => `${r.method} ${r.route}`)).toEqual(["POST /responses"])
      }),
    150_000
  )
})
