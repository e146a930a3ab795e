/**
 * Bad input (a base URL the library rejects, header values that cannot be sent, a password in the
 * base URL) over both transports: a `Failure` line in json mode, one line on stderr in text mode,
 * never "unexpected error", never the password, and nothing reaches the server.
 */
import * as DemoFixture from "@codex/testing/DemoFixture"
import * as ResponsesServer from "@codex/testing/ResponsesServer"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Net from "node:net"
import * as Cli from "../src/Cli.js"
import * as CliOutput from "../src/CliOutput.js"

const password = "s3cret-pw"
const apiKey = "sk-secret-test"

interface RunResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

const runCli = (args: ReadonlyArray<string>, env: Record<string, string | undefined>): Effect.Effect<RunResult> => {
  const capture = CliOutput.capture({ env })
  return Cli.run(args).pipe(
    Effect.provide(Layer.merge(NodeContext.layer, CliOutput.layer(capture))),
    Effect.map((code) => ({ code, stdout: capture.output.stdout, stderr: capture.output.stderr }))
  )
}

const withPassword = (baseUrl: string) => baseUrl.replace("http://", `http://user:${password}@`)

const expectClean = (result: RunResult) => {
  const all = `${result.stdout}${result.stderr}`
  expect(all).not.toContain(password)
  expect(all).not.toContain(apiKey)
  expect(all).not.toContain("unexpected error")
  expect(all).not.toMatch(/\n\s+at /) // no stack trace
}

/** json mode: exit 1 and the last stdout line is a Failure; returns its error. */
const expectFailureLine = (result: RunResult) => {
  expectClean(result)
  expect(result.code).toBe(1)
  const lines = result.stdout.trim().split("\n")
  const last = JSON.parse(lines[lines.length - 1]!) as { _tag: string; error: Record<string, unknown> }
  expect(last._tag).toBe("Failure")
  return last.error
}

/** text mode: exit 1 and exactly one line on stderr; returns it. */
const expectOneLine = (result: RunResult) => {
  expectClean(result)
  expect(result.code).toBe(1)
  const lines = result.stderr.trimEnd().split("\n")
  expect(lines).toHaveLength(1)
  return lines[0]!
}

const transports = ["http", "websocket"] as const

describe("codex-api bad input", () => {
  it.scopedLive("a base URL with a #fragment (and a password) is a typed failure, never sent", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ defaults: DemoFixture.defaults() })
      const baseUrl = `${withPassword(server.baseUrl)}#frag`
      for (const transport of transports) {
        const args = ["responses", "hi", "--transport", transport, "--base-url", baseUrl]
        const json = yield* runCli([...args, "--output", "json"], { OPENAI_API_KEY: apiKey })
        expect(JSON.stringify(expectFailureLine(json))).toMatch(/fragment/)
        const text = yield* runCli(args, { OPENAI_API_KEY: apiKey })
        expect(expectOneLine(text)).toMatch(/fragment/)
      }
      expect(server.requests).toHaveLength(0)
    })
  )

  it.scopedLive("--header values that cannot be sent are a typed failure naming the header, never its value", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ defaults: DemoFixture.defaults() })
      const value = "hidden-value"
      for (const header of [`x-bad: ${value}\u0001`, `x-bad: ${value}\u20ac`, `x-bad: ${value}\nx-injected: 1`]) {
        for (const transport of transports) {
          const args = ["responses", "hi", "--transport", transport, "--header", header]
          const env = { OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: server.baseUrl }
          const json = yield* runCli([...args, "--output", "json"], env)
          const error = JSON.stringify(expectFailureLine(json))
          expect(error).toContain("x-bad")
          expect(json.stdout).not.toContain(value)
          const text = yield* runCli(args, env)
          expect(expectOneLine(text)).toContain("x-bad")
          expect(text.stderr).not.toContain(value)
        }
      }
      expect(server.requests).toHaveLength(0)
    })
  )

  it.scopedLive("a password in the base URL is never printed: HTTP errors, refused connections, handshakes", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({
        defaults: { "/responses": { status: 400, body: '{"error":{"message":"bad request"}}' } }
      })
      const refused = withPassword("http://127.0.0.1:9/v1")
      const cases: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
        [withPassword(server.baseUrl), ["--transport", "http"]],
        [withPassword(server.baseUrl), ["--transport", "websocket"]],
        [refused, ["--transport", "http", "--max-retries", "0"]],
        [refused, ["--transport", "websocket"]]
      ]
      for (const [baseUrl, flags] of cases) {
        const env = { OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: baseUrl }
        expectFailureLine(yield* runCli(["responses", "hi", ...flags, "--output", "json"], env))
        expectOneLine(yield* runCli(["responses", "hi", ...flags], env))
      }
    })
  )

  it.scopedLive("CODEX_WEBSOCKET_CONNECT_TIMEOUT_MS bounds a handshake the server never answers", () =>
    Effect.gen(function* () {
      // Accepts the upgrade request and never answers it.
      const sockets = new Set<Net.Socket>()
      const server = yield* Effect.acquireRelease(
        Effect.async<Net.Server>((resume) => {
          const server = Net.createServer((socket) => {
            sockets.add(socket)
            socket.on("error", () => {})
          })
          server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
        }),
        (server) =>
          Effect.async<void>((resume) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => resume(Effect.void))
          })
      )
      const { port } = server.address() as Net.AddressInfo
      const env = {
        OPENAI_API_KEY: apiKey,
        OPENAI_BASE_URL: withPassword(`http://127.0.0.1:${port}/v1`),
        CODEX_WEBSOCKET_CONNECT_TIMEOUT_MS: "200"
      }
      const args = ["responses", "hi", "--transport", "websocket"]
      expect(JSON.stringify(expectFailureLine(yield* runCli([...args, "--output", "json"], env)))).toMatch(
        /timed? ?out/i
      )
      expect(expectOneLine(yield* runCli(args, env))).toMatch(/timed? ?out/i)
    })
  )

  it.live("a base URL the command refuses (not http(s)) is bad usage without the password", () =>
    Effect.gen(function* () {
      for (const mode of ["json", "text"]) {
        const result = yield* runCli(
          ["responses", "hi", "--base-url", `ftp://user:${password}@127.0.0.1:9/v1`, "--output", mode],
          { OPENAI_API_KEY: apiKey }
        )
        expectClean(result)
        expect(result.code).toBe(2)
        expect(result.stderr.trimEnd().split("\n")).toHaveLength(1)
        expect(result.stderr).toContain("--base-url")
        const lines = result.stdout
          .trimEnd()
          .split("\n")
          .filter((line) => line.length > 0)
        if (mode === "json") {
          expect(lines).toHaveLength(1)
          const failure = JSON.parse(lines[0]!)
          expect(failure._tag).toBe("Failure")
          expect(failure.error._tag).toBe("UsageError")
          expect(failure.error.message).toContain("--base-url")
        } else {
          expect(lines).toHaveLength(0)
        }
      }
    })
  )
})
