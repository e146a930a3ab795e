import * as DemoFixture from "@codex/testing/DemoFixture"
import * as Fixture from "@codex/testing/Fixture"
import * as ResponsesServer from "@codex/testing/ResponsesServer"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import { readFileSync } from "node:fs"
import * as Cli from "../src/Cli.js"
import * as CliOutput from "../src/CliOutput.js"

const secret = "sk-secret-test"

interface RunResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

const runWith = (capture: CliOutput.Capture, args: ReadonlyArray<string>): Effect.Effect<RunResult> =>
  Cli.run(args).pipe(
    Effect.provide(Layer.merge(NodeContext.layer, CliOutput.layer(capture))),
    Effect.map((code) => ({ code, stdout: capture.output.stdout, stderr: capture.output.stderr }))
  )

const runCli = (
  args: ReadonlyArray<string>,
  env: Record<string, string | undefined> = {},
  tty: { readonly stdoutIsTTY?: boolean; readonly stderrIsTTY?: boolean; readonly stdin?: string } = {}
): Effect.Effect<RunResult> => runWith(CliOutput.capture({ env, ...tty }), args)

const expectNoSecret = (result: RunResult) => {
  expect(result.stdout).not.toContain(secret)
  expect(result.stderr).not.toContain(secret)
}

const jsonLines = (stdout: string): Array<{ _tag: string; [key: string]: unknown }> =>
  stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line))

describe("codex-api responses", () => {
  it.scopedLive(
    "text mode streams the answer on stdout, usage, rate limits and ids on stderr; the key goes only to the server",
    () =>
      Effect.gen(function* () {
        const server = yield* ResponsesServer.make({ defaults: DemoFixture.defaults() })
        const result = yield* runCli(
          [
            "responses",
            "Say hello",
            "--model",
            "m1",
            "--header",
            "x-extra: yes",
            "--session-id",
            "s1",
            "--thread-id",
            "t1"
          ],
          { OPENAI_API_KEY: secret, OPENAI_BASE_URL: server.baseUrl }
        )
        expect(result.code).toBe(0)
        // stdout is the answer alone; the reasoning summary goes to stderr, ended by a blank line
        expect(result.stdout).toBe(`${DemoFixture.answer}\n`)
        expect(result.stderr.startsWith("Greeting the user and explaining demo mode.\n\n")).toBe(true)
        expect(result.stderr).toContain("tokens: 42 in (8 cached) · 37 out (12 reasoning) · 79 total")
        expect(result.stderr).toMatch(
          /limits \(codex\): primary 23\.5% used of 5h, resets in (1h 0m|59m) · secondary 61% used of 1w, resets in (3d 0h|2d 23h)/
        )
        expect(result.stderr).toContain("request req_demo_0001 · response resp_demo_0001 · model gpt-5-codex-demo")
        expect(`${result.stdout}${result.stderr}`).not.toContain("\x1b[") // not a TTY: no ANSI
        expectNoSecret(result)

        const [request] = server.requests
        expect(request?.route).toBe("/responses")
        expect(request?.headers.authorization).toBe(`Bearer ${secret}`)
        expect(request?.headers.accept).toBe("text/event-stream")
        expect(request?.headers["x-extra"]).toBe("yes")
        expect(request?.headers["session-id"]).toBe("s1")
        expect(request?.headers["thread-id"]).toBe("t1")
        expect(request?.headers["x-client-request-id"]).toBe("t1")
        const body = request?.json as {
          model: string
          input: Array<{ content: Array<{ text: string }> }>
          stream: boolean
        }
        expect(body.model).toBe("m1")
        expect(body.stream).toBe(true)
        expect(body.input[0]?.content[0]?.text).toBe("Say hello")
      })
  )

  it.scopedLive(
    "text mode: reasoning summaries on stderr, dimmed only on a TTY without NO_COLOR, none with --quiet",
    () =>
      Effect.gen(function* () {
        const server = yield* ResponsesServer.make({ defaults: DemoFixture.defaults() })
        const env = { OPENAI_BASE_URL: server.baseUrl }
        const tty = yield* runCli(["responses", "hi"], env, { stdoutIsTTY: true, stderrIsTTY: true })
        expect(tty.code).toBe(0)
        // dimmed (ANSI dim on, then off) once the spinner line is cleared
        expect(tty.stderr).toMatch(
          /\r\x1b\[K\x1b\[2mGreeting the user (\x1b\[22m\x1b\[2m)?and explaining demo mode\.\x1b\[22m\n\n/
        )
        expect(tty.stdout).toBe(`${DemoFixture.answer}\n`)
        // stdout a terminal, stderr a file: no ANSI in the file
        const piped = yield* runCli(["responses", "hi"], env, { stdoutIsTTY: true, stderrIsTTY: false })
        expect(piped.stderr).toContain("Greeting the user and explaining demo mode.")
        expect(piped.stderr).not.toContain("\x1b[")
        const noColor = yield* runCli(
          ["responses", "hi"],
          { ...env, NO_COLOR: "1" },
          { stdoutIsTTY: true, stderrIsTTY: true }
        )
        expect(`${noColor.stdout}${noColor.stderr}`).not.toContain("\x1b[")
        // --quiet: no reasoning summary at all, the answer unchanged
        const quiet = yield* runCli(["responses", "hi", "--quiet"], env)
        expect(quiet.stdout).toBe(`${DemoFixture.answer}\n`)
        expect(quiet.stderr).toBe("")
      })
  )

  it.scopedLive("json mode: one event per line with the variant _tag", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ defaults: DemoFixture.defaults() })
      const result = yield* runCli(["responses", "hi", "--output", "json"], {
        OPENAI_API_KEY: secret,
        OPENAI_BASE_URL: server.baseUrl
      })
      expect(result.code).toBe(0)
      const lines = jsonLines(result.stdout)
      const tags = lines.map((l) => l._tag)
      expect(tags[0]).toBe("ServerModel")
      expect(tags).toContain("RateLimits")
      expect(tags).toContain("Created")
      expect(tags).toContain("ReasoningSummaryDelta")
      expect(tags).toContain("OutputItemDone")
      expect(tags.at(-1)).toBe("Completed")
      const deltas = lines.filter((l) => l._tag === "OutputTextDelta").map((l) => l.delta)
      expect(deltas.join("")).toBe(DemoFixture.answer)
      const completed = lines.at(-1) as unknown as { responseId: string; tokenUsage: { total_tokens: number } }
      expect(completed.responseId).toBe("resp_demo_0001")
      expect(completed.tokenUsage.total_tokens).toBe(79)
      expectNoSecret(result)
    })
  )

  it.scopedLive("json mode: a 500 ends with a Failure line (Transport / Http) and exit code 1", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({
        defaults: { "/responses": { status: 500, body: "upstream exploded", headers: { "x-request-id": "req_500" } } }
      })
      const result = yield* runCli(["responses", "hi", "--output", "json", "--max-retries", "0"], {
        OPENAI_API_KEY: secret,
        OPENAI_BASE_URL: server.baseUrl
      })
      expect(result.code).toBe(1)
      const last = jsonLines(result.stdout).at(-1) as {
        _tag: string
        error: {
          _tag: string
          message: string
          error: { _tag: string; status: number; headers: Record<string, string> }
        }
      }
      expect(last._tag).toBe("Failure")
      expect(last.error).toMatchObject({
        _tag: "Transport",
        message: "500 Internal Server Error: upstream exploded",
        status: 500,
        requestId: "req_500",
        hint: "the server failed; retry shortly",
        // the reference's display string stays available as a field
        reference: 'http 500: Some("upstream exploded")'
      })
      expect(last.error.error._tag).toBe("Http")
      expect(last.error.error.status).toBe(500)
      expect(server.requests.length).toBe(1)
      expectNoSecret(result)
    })
  )

  it.scopedLive("json mode: response.failed → Failure with the classified variant", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({
        script: {
          "/responses": [
            { events: [Fixture.created(), Fixture.failed({ code: "context_length_exceeded", message: "too long" })] },
            {
              events: [
                Fixture.created(),
                Fixture.failed({ code: "rate_limit_exceeded", message: "Please try again in 1.5s." })
              ]
            }
          ]
        }
      })
      const env = { OPENAI_BASE_URL: server.baseUrl }
      const first = yield* runCli(["responses", "hi", "--output", "json"], env)
      expect(first.code).toBe(1)
      const lines = jsonLines(first.stdout)
      expect(lines.map((l) => l._tag)).toContain("Created")
      expect(lines.at(-1)).toEqual({
        _tag: "Failure",
        error: {
          _tag: "ContextWindowExceeded",
          message: "the model's context window is exceeded: too long",
          requestId: "req_test_1",
          hint: "shorten the input or compact the history (codex-api compact)",
          reference: "context window exceeded",
          serverMessage: "too long"
        }
      })
      const second = yield* runCli(["responses", "hi", "--output", "json"], env)
      expect(jsonLines(second.stdout).at(-1)).toEqual({
        _tag: "Failure",
        error: {
          _tag: "Retryable",
          message: "the response failed: Please try again in 1.5s.",
          requestId: "req_test_2",
          hint: "retry after 1.5 s",
          retryAfterMs: 1500,
          reference: "retryable error: Please try again in 1.5s.",
          reason: "Please try again in 1.5s.",
          delayMs: 1500
        }
      })
    })
  )

  it.scopedLive("text mode: an error is one line on stderr with status, the server's message and the request id", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({
        defaults: { "/responses": { status: 429, json: { error: { message: "slow down" } } } }
      })
      const result = yield* runCli(["responses", "hi"], { OPENAI_API_KEY: secret, OPENAI_BASE_URL: server.baseUrl })
      expect(result.code).toBe(1)
      expect(result.stdout).toBe("")
      expect(result.stderr).toBe(
        "codex-api: 429 Too Many Requests: slow down (request req_test_1); retry later, or pass --retry-429 to retry automatically\n"
      )
      expectNoSecret(result)
    })
  )

  it.scopedLive("a stream cut mid-way is a stream error (exit 1), the partial text stays on stdout", () =>
    Effect.gen(function* () {
      const events = Fixture.textAnswer(["partial ", "answer"])
      const cut = Fixture.toSse(events.slice(0, 2)).length
      const server = yield* ResponsesServer.make({ script: { "/responses": [{ events, dropAfterBytes: cut }] } })
      const result = yield* runCli(["responses", "hi", "--max-retries", "0"], { OPENAI_BASE_URL: server.baseUrl })
      expect(result.code).toBe(1)
      expect(result.stdout).toBe("partial \n")
      expect(result.stderr).toMatch(/^codex-api: the stream broke: .* \(request req_test_1\)\n$/)
    })
  )

  it.scopedLive("--idle-timeout-ms ends a stalled stream with the idle-timeout stream error", () =>
    Effect.gen(function* () {
      const events = Fixture.textAnswer(["never finishes"])
      const server = yield* ResponsesServer.make({
        script: { "/responses": [{ events, stall: true, stallAfterBytes: Fixture.toSse(events.slice(0, 2)).length }] }
      })
      const result = yield* runCli(["responses", "hi", "--idle-timeout-ms", "100", "--output", "json"], {
        OPENAI_BASE_URL: server.baseUrl
      })
      expect(result.code).toBe(1)
      expect(jsonLines(result.stdout).at(-1)).toEqual({
        _tag: "Failure",
        error: {
          _tag: "Stream",
          message: "the stream broke: idle timeout waiting for SSE",
          requestId: "req_test_1",
          hint: "the server went quiet; raise --idle-timeout-ms",
          reference: "stream error: idle timeout waiting for SSE",
          reason: "idle timeout waiting for SSE"
        }
      })
    })
  )

  it.scopedLive("--retry-429 retries a 429 (after retry-after-ms); without it the 429 is final", () =>
    Effect.gen(function* () {
      const limited = { status: 429, headers: { "retry-after-ms": "20" }, json: { error: { message: "slow" } } }
      const server = yield* ResponsesServer.make({
        script: { "/responses": [limited, { events: Fixture.textAnswer(["ok"]) }, limited] }
      })
      const env = { OPENAI_BASE_URL: server.baseUrl }
      const retried = yield* runCli(["responses", "hi", "--retry-429", "--output", "summary"], env)
      expect(retried.code).toBe(0)
      expect(server.requests.length).toBe(2)
      const final = yield* runCli(["responses", "hi", "--output", "summary"], env)
      expect(final.code).toBe(1)
      expect(server.requests.length).toBe(3)
    })
  )

  it.scopedLive("--zstd compresses the request body", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ defaults: DemoFixture.defaults() })
      const result = yield* runCli(["responses", "hi", "--zstd", "--output", "summary"], {
        OPENAI_BASE_URL: server.baseUrl
      })
      expect(result.code).toBe(0)
      expect(server.requests[0]?.headers["content-encoding"]).toBe("zstd")
      expect(Array.from(server.requests[0]?.body.subarray(0, 4) ?? [])).toEqual([0x28, 0xb5, 0x2f, 0xfd])
    })
  )

  it.scopedLive("summary mode prints one line with event count, text length and usage", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ defaults: DemoFixture.defaults() })
      const result = yield* runCli(["responses", "hi", "--output", "summary"], { OPENAI_BASE_URL: server.baseUrl })
      expect(result.code).toBe(0)
      const lines = result.stdout.trimEnd().split("\n")
      expect(lines.length).toBe(1)
      expect(lines[0]).toMatch(
        new RegExp(
          `^events=\\d+ text_chars=${DemoFixture.answer.length} input_tokens=42 cached_input_tokens=8 output_tokens=37 ` +
            "reasoning_output_tokens=12 total_tokens=79 response_id=resp_demo_0001 request_id=req_demo_0001 " +
            "ttfe_ms=\\d+ elapsed_ms=\\d+$"
        )
      )
    })
  )

  it.live("bad usage exits 2: unknown flag value, missing prompt, bad header, websocket", () =>
    Effect.gen(function* () {
      const env = { OPENAI_API_KEY: secret, OPENAI_BASE_URL: "http://127.0.0.1:9/v1" }
      const badOutput = yield* runCli(["responses", "hi", "--output", "xml"], env)
      expect(badOutput.code).toBe(2)
      expect(badOutput.stderr.length).toBeGreaterThan(0)
      const missing = yield* runCli(["responses"], env)
      expect(missing.code).toBe(2)
      const badHeader = yield* runCli(["responses", "hi", "--header", "novalue"], env)
      expect(badHeader.code).toBe(2)
      expect(badHeader.stderr).toContain("--header expects name:value")
      const ws = yield* runCli(["responses", "hi", "--transport", "websocket", "--zstd"], env)
      expect(ws.code).toBe(2)
      expect(ws.stderr).toContain("--zstd applies to --transport http only")
      const unknown = yield* runCli(["frobnicate"], env)
      expect(unknown.code).toBe(2)
      const unknownFlag = yield* runCli(["responses", "--bogus"], env)
      expect(unknownFlag.code).toBe(2)
      expect(unknownFlag.stderr).toContain("unknown option --bogus")
      expect(unknownFlag.stdout).toBe("")
      for (const r of [badOutput, missing, badHeader, ws, unknown, unknownFlag]) expectNoSecret(r)
    })
  )

  it.live("help reads like a tool's: codex-api <sub> usage, one line per flag, aliases, no boilerplate", () =>
    Effect.gen(function* () {
      for (const sub of ["responses", "compact", "models"]) {
        const help = yield* runCli([sub, "--help"], {}, { stdoutIsTTY: true })
        expect(help.code).toBe(0)
        expect(help.stdout.startsWith(`Usage: codex-api ${sub} [options]`), help.stdout).toBe(true)
        expect(help.stderr).toBe("")
        for (const boilerplate of [
          "A user-defined piece of text",
          "This setting is optional",
          "A true or false value"
        ]) {
          expect(help.stdout).not.toContain(boilerplate)
        }
        expect(help.stdout).not.toContain("\x1b[")
        expect(help.stdout).toMatch(/--header <name:value> +Extra request header \(optional, repeatable\)/)
        expect(help.stdout).toMatch(/-o, --output <mode>/)
        expect(help.stdout).toMatch(/-q, --quiet/)
      }
      const responses = yield* runCli(["responses", "-h"])
      expect(responses.stdout).toContain("Usage: codex-api responses [options] [<prompt> | -]")
      expect(responses.stdout).toMatch(/-m, --model <slug> +Model \(default: gpt-5\)/)
      expect(responses.stdout).toMatch(/-i, --instructions <text>/)
      const root = yield* runCli(["--help"])
      expect(root.code).toBe(0)
      expect(root.stdout).toContain("Usage: codex-api <command> [options]")
      expect(root.stdout).toMatch(/responses \[<prompt> \| -\] +Stream a Responses API call/)
    })
  )

  it.live("no arguments: a short usage on stderr, exit 2", () =>
    Effect.gen(function* () {
      const result = yield* runCli([])
      expect(result.code).toBe(2)
      expect(result.stdout).toBe("")
      expect(result.stderr).toMatch(
        /^Usage: codex-api <command> \[options\] +\(commands: responses, compact, models\)\n/
      )
      expect(result.stderr.split("\n").length).toBeLessThanOrEqual(3)
    })
  )

  it.live("--version prints the version of package.json", () =>
    Effect.gen(function* () {
      const packageJson = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
        version: string
      }
      const result = yield* runCli(["--version"])
      expect(result.code).toBe(0)
      expect(result.stdout).toBe(`codex-api ${packageJson.version}\n`)
      expect(Cli.version).toBe(packageJson.version)
    })
  )

  it.scopedLive("short aliases -m, -i, -o, -q", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ defaults: DemoFixture.defaults() })
      const result = yield* runCli(["responses", "hi", "-m", "m2", "-i", "be brief", "-o", "summary", "-q"], {
        OPENAI_BASE_URL: server.baseUrl
      })
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(/^events=\d+ /)
      expect(result.stderr).toBe("")
      expect(server.requests[0]?.json).toMatchObject({ model: "m2", instructions: "be brief" })
    })
  )

  it("unknownOption: values of value-taking options and everything after -- are not options", () => {
    expect(Cli.unknownOption(["responses", "hi", "--model", "-m", "--zstd"])).toBeUndefined()
    expect(Cli.unknownOption(["responses", "--instructions=-x", "hi"])).toBeUndefined()
    expect(Cli.unknownOption(["responses", "--", "--not-a-flag"])).toBeUndefined()
    expect(Cli.unknownOption(["responses", "hi", "--bogus=1"])).toBe("--bogus")
    expect(Cli.unknownOption(["responses", "--zstd", "-x"])).toBe("-x")
  })

  it.scopedLive("--transport websocket streams over the socket (handshake carries auth and identity headers)", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({
        defaults: DemoFixture.defaults(),
        websocketHeaders: DemoFixture.websocketHeaders
      })
      const env = { OPENAI_API_KEY: secret, OPENAI_BASE_URL: server.baseUrl }
      const json = yield* runCli(
        ["responses", "hi", "--transport", "websocket", "--output", "json", "--thread-id", "t9"],
        env
      )
      expect(json.code).toBe(0)
      const lines = jsonLines(json.stdout)
      expect(lines[0]?._tag).toBe("ServerModel")
      const limits = lines.find((l) => l._tag === "RateLimits") as unknown as {
        snapshot: { primary: { used_percent: number } }
      }
      expect(limits.snapshot.primary.used_percent).toBe(23.5)
      expect(lines.at(-1)?._tag).toBe("Completed")
      const [request] = server.requests
      expect(request?.method).toBe("WS")
      expect(request?.headers.authorization).toBe(`Bearer ${secret}`)
      expect(request?.headers["thread-id"]).toBe("t9")
      expect(request?.json).toMatchObject({ type: "response.create", prompt_cache_key: "t9" })

      const text = yield* runCli(["responses", "hi", "--transport", "websocket"], env)
      expect(text.code).toBe(0)
      expect(text.stdout).toContain(DemoFixture.answer)
      expect(text.stderr).toMatch(/limits \(codex\): primary 23\.5% used of 5h/)
      for (const r of [json, text]) expectNoSecret(r)
    })
  )

  it.live("demo mode: no key and no base URL announces itself on stderr and streams the demo answer", () =>
    Effect.gen(function* () {
      const result = yield* runCli(["responses", "Say hello"], {})
      expect(result.code).toBe(0)
      expect(result.stderr).toMatch(/^codex-api: demo mode: .*http:\/\/127\.0\.0\.1:\d+\/v1/)
      expect(result.stdout).toContain(DemoFixture.answer)
      expect(result.stderr).toContain("tokens: 42 in")
    })
  )

  it.live("the spinner runs on stderr only when stderr is a TTY and is cleared", () =>
    Effect.gen(function* () {
      const result = yield* runCli(["responses", "hi"], {}, { stderrIsTTY: true })
      expect(result.code).toBe(0)
      expect(result.stderr).toContain("\r\x1b[K")
      const plain = yield* runCli(["responses", "hi"], {})
      expect(plain.stderr).not.toContain("\r")
    })
  )
})

describe("codex-api compact / models", () => {
  it.scopedLive("compact posts the history and prints the items; models lists slugs", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ defaults: DemoFixture.defaults() })
      const env = { OPENAI_API_KEY: secret, OPENAI_BASE_URL: server.baseUrl }
      const compact = yield* runCli(["compact", "first", "second", "--output", "json"], env)
      expect(compact.code).toBe(0)
      const [line] = jsonLines(compact.stdout)
      expect(line?._tag).toBe("Compacted")
      expect((line?.output as Array<{ type: string }> | undefined)?.[0]?.type).toBe("compaction")
      const compactRequest = server.requests[0]
      expect(compactRequest?.route).toBe("/responses/compact")
      expect((compactRequest?.json as { input: Array<unknown> } | undefined)?.input.length).toBe(2)

      const models = yield* runCli(["models"], env)
      expect(models.code).toBe(0)
      expect(models.stdout).toContain(`${DemoFixture.model}  GPT-5 Codex (demo)`)
      expect(server.requests[1]?.path).toBe(`/v1/models?client_version=${Cli.version}`)
      const summary = yield* runCli(["models", "--output", "summary"], env)
      expect(summary.stdout).toBe('models=1 etag="demo-models-1"\n')
      for (const r of [compact, models, summary]) expectNoSecret(r)
    })
  )

  it.scopedLive("models failure in text mode exits 1", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ defaults: { "/models": { status: 401, body: "no" } } })
      const result = yield* runCli(["models", "--max-retries", "0"], {
        OPENAI_API_KEY: secret,
        OPENAI_BASE_URL: server.baseUrl
      })
      expect(result.code).toBe(1)
      expect(result.stderr).toBe(
        "codex-api: 401 Unauthorized: no (request req_test_1); check OPENAI_API_KEY: the server did not accept it\n"
      )
      expectNoSecret(result)
    })
  )
})

describe("codex-api as a Unix tool", () => {
  it.scopedLive("the prompt comes from stdin with '-' (flags after it work) or when it is left out", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ defaults: DemoFixture.defaults() })
      const env = { OPENAI_BASE_URL: server.baseUrl }
      const dash = yield* runCli(["responses", "-", "-o", "summary", "-m", "m3"], env, {
        stdin: "line one\nline two\n"
      })
      expect(dash.code).toBe(0)
      expect(dash.stdout).toMatch(/^events=\d+ /)
      const omitted = yield* runCli(["responses", "--output", "summary"], env, { stdin: "piped prompt\n" })
      expect(omitted.code).toBe(0)
      const texts = server.requests.map(
        (r) =>
          (r.json as { model: string; input: Array<{ content: Array<{ text: string }> }> }).input[0]?.content[0]?.text
      )
      expect(texts).toEqual(["line one\nline two", "piped prompt"])
      expect(server.requests[0]?.json).toMatchObject({ model: "m3" })

      const empty = yield* runCli(["responses", "-"], env, { stdin: " \n" })
      expect(empty.code).toBe(2)
      expect(empty.stderr).toBe("codex-api: the prompt on stdin is empty\n")
      const terminal = yield* runCli(["responses"], env)
      expect(terminal.code).toBe(2)
      expect(terminal.stderr).toContain("missing <prompt>")
      expect(server.requests.length).toBe(2)
    })
  )

  const stalled = () => {
    const events = Fixture.textAnswer(["partial ", "never"])
    return ResponsesServer.make({
      script: { "/responses": [{ events, stall: true, stallAfterBytes: Fixture.toSse(events.slice(0, 2)).length }] }
    })
  }

  /** Runs until the first answer text arrived, then stops it the way a signal or a closed pipe would. */
  const stopMidStream = (args: ReadonlyArray<string>, env: Record<string, string>, reason: CliOutput.StopReason) =>
    Effect.gen(function* () {
      const capture = CliOutput.capture({ env })
      const fiber = yield* Effect.fork(runWith(capture, args))
      yield* Effect.repeat(
        Effect.sync(() => capture.output.stdout.length),
        {
          until: (length) => length > 0,
          schedule: Schedule.spaced("10 millis")
        }
      )
      capture.interrupt(reason)
      return yield* Fiber.join(fiber)
    })

  it.scopedLive("SIGINT mid-stream aborts the request, closes the partial line, exit 130", () =>
    Effect.gen(function* () {
      const server = yield* stalled()
      const result = yield* stopMidStream(["responses", "hi"], { OPENAI_BASE_URL: server.baseUrl }, "SIGINT")
      expect(result.code).toBe(130)
      expect(result.stdout).toBe("partial \n")
      // the server sees the connection close
      yield* Effect.repeat(Effect.sync(server.openConnections), {
        until: (open) => open === 0,
        schedule: Schedule.spaced("10 millis")
      })
      expect(server.requests.length).toBe(1)
    })
  )

  it.scopedLive("a signal while the prompt is read from stdin: json ends with its Failure line, nothing is sent", () =>
    Effect.gen(function* () {
      const server = yield* stalled()
      for (const [args, reason, code] of [
        [["responses", "-", "-o", "json"], "SIGINT", 130],
        [["responses", "-o", "json"], "SIGTERM", 143],
        [["responses", "-"], "SIGINT", 130]
      ] as const) {
        let reading = false
        // A writer that never closes stdin: only the signal ends the wait.
        const stdin = Effect.zipRight(
          Effect.sync(() => {
            reading = true
          }),
          Effect.never
        )
        const capture = CliOutput.capture({ env: { OPENAI_BASE_URL: server.baseUrl }, stdin })
        const fiber = yield* Effect.fork(runWith(capture, args))
        yield* Effect.repeat(
          Effect.sync(() => reading),
          { until: (yes) => yes, schedule: Schedule.spaced("10 millis") }
        )
        capture.interrupt(reason)
        const result = yield* Fiber.join(fiber)
        expect(result.code).toBe(code)
        expect(result.stderr).toBe("")
        if ((args as ReadonlyArray<string>).includes("json")) {
          expect(jsonLines(result.stdout)).toEqual([
            { _tag: "Failure", error: { _tag: "Interrupted", message: `interrupted by ${reason}`, signal: reason } }
          ])
        } else {
          expect(result.stdout).toBe("")
        }
      }
      expect(server.requests.length).toBe(0)
    })
  )

  it.scopedLive("SIGTERM mid-stream in json mode ends with a Failure line, exit 143", () =>
    Effect.gen(function* () {
      const server = yield* stalled()
      const result = yield* stopMidStream(
        ["responses", "hi", "-o", "json"],
        { OPENAI_BASE_URL: server.baseUrl },
        "SIGTERM"
      )
      expect(result.code).toBe(143)
      const lines = jsonLines(result.stdout)
      expect(lines.some((l) => l._tag === "OutputTextDelta")).toBe(true)
      expect(lines.at(-1)).toEqual({
        _tag: "Failure",
        error: { _tag: "Interrupted", message: "interrupted by SIGTERM", signal: "SIGTERM" }
      })
      yield* Effect.repeat(Effect.sync(server.openConnections), {
        until: (open) => open === 0,
        schedule: Schedule.spaced("10 millis")
      })
    })
  )

  it.scopedLive("a closed stdout (EPIPE) ends quietly with exit 0 and aborts the request", () =>
    Effect.gen(function* () {
      const server = yield* stalled()
      const result = yield* stopMidStream(
        ["responses", "hi", "-o", "json"],
        { OPENAI_BASE_URL: server.baseUrl },
        "EPIPE"
      )
      expect(result.code).toBe(0)
      expect(result.stderr).toBe("")
      expect(jsonLines(result.stdout).every((l) => l._tag !== "Failure")).toBe(true)
      yield* Effect.repeat(Effect.sync(server.openConnections), {
        until: (open) => open === 0,
        schedule: Schedule.spaced("10 millis")
      })
    })
  )

  it.scopedLive("--log-level trace logs to stderr: stdout stays pure JSON lines", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({ defaults: DemoFixture.defaults() })
      const result = yield* runCli(["responses", "hi", "-o", "json", "--log-level", "trace"], {
        OPENAI_API_KEY: secret,
        OPENAI_BASE_URL: server.baseUrl
      })
      expect(result.code).toBe(0)
      const lines = result.stdout.trimEnd().split("\n")
      for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow()
      expect(lines.at(-1)).toContain('"_tag":"Completed"')
      expect(result.stderr).toMatch(/level=TRACE .*POST to http:\/\/127\.0\.0\.1/)
      expectNoSecret(result)
    })
  )

  it.live("--quiet leaves only the answer: no demo notice, usage, limits or spinner", () =>
    Effect.gen(function* () {
      const result = yield* runCli(["responses", "hi", "--quiet"], {}, { stderrIsTTY: true })
      expect(result.code).toBe(0)
      expect(result.stdout).toContain(DemoFixture.answer)
      expect(result.stderr).toBe("")
    })
  )

  it.live("NO_COLOR: no spinner and no ANSI codes anywhere, even on terminals", () =>
    Effect.gen(function* () {
      const tty = { stdoutIsTTY: true, stderrIsTTY: true }
      const result = yield* runCli(["responses", "hi"], { NO_COLOR: "1" }, tty)
      expect(result.code).toBe(0)
      expect(result.stdout).toContain(DemoFixture.answer)
      expect(`${result.stdout}${result.stderr}`).not.toMatch(/[\r\x1b]/)
      const failed = yield* runCli(
        ["responses", "hi", "--max-retries", "0"],
        { NO_COLOR: "1", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" },
        tty
      )
      expect(failed.code).toBe(1)
      expect(failed.stderr).toMatch(/^codex-api: cannot reach the server: /)
      expect(failed.stderr).not.toContain("\x1b")
      const colored = yield* runCli(
        ["responses", "hi", "--max-retries", "0"],
        { OPENAI_BASE_URL: "http://127.0.0.1:9/v1" },
        tty
      )
      expect(colored.stderr).toContain("\x1b[31mcodex-api:\x1b[39m")
    })
  )
})

describe("codex-api errors a person can read", () => {
  it.scopedLive("401 / 403 / 429 / 5xx: status, the server's message, request id and a hint, no debug rendering", () =>
    Effect.gen(function* () {
      const apiError = (message: string) => ({ error: { message, type: "invalid_request_error", code: null } })
      const server = yield* ResponsesServer.make({
        script: {
          "/responses": [
            {
              status: 401,
              json: apiError("Incorrect API key provided: sk-...abc."),
              headers: { "x-request-id": "req_401" }
            },
            { status: 401, json: apiError("Missing bearer authentication in header") },
            { status: 403, json: apiError("Project does not have access to model gpt-5") },
            { status: 429, json: apiError("Rate limit reached for gpt-5"), headers: { "retry-after": "12" } },
            { status: 502, body: "<html>Bad Gateway</html>\n" }
          ]
        }
      })
      const base = ["responses", "hi", "--max-retries", "0"]
      const keyed = { OPENAI_API_KEY: secret, OPENAI_BASE_URL: server.baseUrl }
      const results = [
        yield* runCli(base, keyed),
        yield* runCli(base, { OPENAI_BASE_URL: server.baseUrl }),
        yield* runCli(base, keyed),
        yield* runCli(base, keyed),
        yield* runCli(base, keyed)
      ]
      expect(results.map((r) => r.stderr)).toEqual([
        "codex-api: 401 Unauthorized: Incorrect API key provided: sk-...abc. (request req_401); check OPENAI_API_KEY: the server did not accept it\n",
        "codex-api: 401 Unauthorized: Missing bearer authentication in header (request req_test_2); set OPENAI_API_KEY\n",
        "codex-api: 403 Forbidden: Project does not have access to model gpt-5 (request req_test_3); check that the key's project and organization may use this model and endpoint\n",
        "codex-api: 429 Too Many Requests: Rate limit reached for gpt-5 (request req_test_4); retry after 12 s\n",
        "codex-api: 502 Bad Gateway: <html>Bad Gateway</html> (request req_test_5); the server failed; retry shortly\n"
      ])
      for (const r of results) {
        expect(r.code).toBe(1)
        expect(r.stdout).toBe("")
        expect(r.stderr).not.toMatch(/Some\(|None|\{"error"/)
        expectNoSecret(r)
      }
      // 401 is not retried even with retries left
      const retries = yield* runCli(["responses", "hi"], keyed)
      expect(retries.code).toBe(1)
      expect(server.requests.length).toBe(6)
    })
  )

  it.scopedLive("json mode: a Failure line with structured fields and the reference display string", () =>
    Effect.gen(function* () {
      const server = yield* ResponsesServer.make({
        defaults: {
          "/responses": {
            status: 401,
            json: { error: { message: "Incorrect API key provided" } },
            headers: { "x-request-id": "req_j" }
          }
        }
      })
      const result = yield* runCli(["responses", "hi", "-o", "json"], {
        OPENAI_API_KEY: secret,
        OPENAI_BASE_URL: server.baseUrl
      })
      expect(result.code).toBe(1)
      expect(result.stderr).toBe("")
      const [line] = jsonLines(result.stdout)
      expect(line).toMatchObject({
        _tag: "Failure",
        error: {
          _tag: "Transport",
          message: "401 Unauthorized: Incorrect API key provided",
          status: 401,
          requestId: "req_j",
          hint: "check OPENAI_API_KEY: the server did not accept it",
          reference: 'http 401: Some("{\\"error\\":{\\"message\\":\\"Incorrect API key provided\\"}}")',
          error: { _tag: "Http", status: 401 }
        }
      })
      expectNoSecret(result)
    })
  )
})
