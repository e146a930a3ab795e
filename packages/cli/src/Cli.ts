/**
 * The `codex-api` command: `responses <prompt>` streams a Responses call, `compact` and `models`
 * call the other endpoints; all share the connection flags. With neither `OPENAI_API_KEY` nor a base
 * URL the command runs against the in-process @codex/testing server (demo mode).
 *
 * Exit codes: 0 success, 1 API or stream error, 2 bad usage.
 *
 * @since 0.1.0
 */
import type * as ApiError from "@codex/api/ApiError"
import * as Compact from "@codex/api/Compact"
import * as Models from "@codex/api/Models"
import type { RateLimitSnapshot } from "@codex/api/RateLimits"
import * as Responses from "@codex/api/Responses"
import * as ResponsesRequest from "@codex/api/ResponsesRequest"
import type { ResponseEvent } from "@codex/api/ResponseEvent"
import type { TokenUsage } from "@codex/protocol/TokenUsage"
import * as Args from "@effect/cli/Args"
import type * as CliApp from "@effect/cli/CliApp"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import type * as Console from "effect/Console"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import { inspect } from "node:util"
import { CliOutput } from "./CliOutput.js"
import type { Service as CliOutputService } from "./CliOutput.js"
import { connect, UsageError } from "./internal/connection.js"
import * as Render from "./internal/render.js"

/**
 * @since 0.1.0
 * @category constants
 */
export const version = "0.1.0"

/**
 * @since 0.1.0
 * @category models
 */
export type OutputMode = "text" | "json" | "summary"

/** The command failed after reporting it; carries the exit code. */
class Exit extends Data.TaggedError("Exit")<{ readonly code: number }> {}

// -----------------------------------------------------------------------------
// Flags
// -----------------------------------------------------------------------------

/** An optional flag with its help text. */
const optionalFlag = <A>(flag: Options.Options<A>, description: string): Options.Options<Option.Option<A>> =>
  flag.pipe(Options.withDescription(description), Options.optional)

const connectionFlags = {
  baseUrl: optionalFlag(
    Options.text("base-url"),
    "API base URL (default: OPENAI_BASE_URL, else https://api.openai.com/v1)"
  ),
  headers: Options.text("header").pipe(
    Options.withDescription("Extra request header name:value (repeatable)"),
    Options.repeated
  ),
  idleTimeoutMs: optionalFlag(
    Options.integer("idle-timeout-ms"),
    "Stream idle timeout in ms (default: CODEX_STREAM_IDLE_TIMEOUT_MS or 300000)"
  ),
  maxRetries: optionalFlag(Options.integer("max-retries"), "Request retries (default: CODEX_REQUEST_MAX_RETRIES or 4)"),
  retry429: Options.boolean("retry-429").pipe(Options.withDescription("Also retry 429 responses")),
  output: Options.choice("output", ["text", "json", "summary"]).pipe(
    Options.withDescription("text: streamed answer; json: one JSON event per line; summary: one line"),
    Options.withDefault("text" as const)
  )
}

const modelFlag = Options.text("model").pipe(Options.withDescription("Model slug"), Options.withDefault("gpt-5"))
const instructionsFlag = optionalFlag(Options.text("instructions"), "System instructions")

// -----------------------------------------------------------------------------
// Failure reporting
// -----------------------------------------------------------------------------

const requestIdOf = (error: ApiError.ApiError): string | undefined =>
  error._tag === "Transport" && error.error._tag === "Http" ? error.error.header("x-request-id") : undefined

const reportFailure = (
  out: CliOutputService,
  mode: OutputMode,
  error: ApiError.ApiError,
  upstreamRequestId?: string | undefined
) => {
  if (mode === "json") {
    out.stdout(`${Render.failureLine(error)}\n`)
  } else {
    const style = Render.styleFor(out.stderrIsTTY, out.env)
    const requestId = requestIdOf(error) ?? upstreamRequestId
    out.stderr(
      `${style.red(`codex-api: error (${error._tag})`)}: ${error.message}${requestId === undefined ? "" : ` [request ${requestId}]`}\n`
    )
  }
  return new Exit({ code: 1 })
}

// -----------------------------------------------------------------------------
// responses
// -----------------------------------------------------------------------------

const loadWebsocket = Effect.promise(() => import("@codex/api/ResponsesWebsocket"))

const spinnerFrames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

/** A spinner on stderr (TTY only) until `stop` is called. */
const startSpinner = (out: CliOutputService) =>
  Effect.gen(function* () {
    if (!out.stderrIsTTY) return Effect.void
    let frame = 0
    const fiber = yield* Effect.forkScoped(
      Effect.repeat(
        Effect.sync(() =>
          out.stderr(`\r${spinnerFrames[frame++ % spinnerFrames.length]} waiting for the first event…`)
        ),
        Schedule.spaced(Duration.millis(80))
      )
    )
    let stopped = false
    return Effect.suspend(() => {
      if (stopped) return Effect.void
      stopped = true
      return Effect.zipRight(
        Fiber.interrupt(fiber),
        Effect.sync(() => out.stderr("\r\x1b[K"))
      )
    })
  })

interface StreamState {
  events: number
  textChars: number
  usage: TokenUsage | undefined
  responseId: string | undefined
  model: string | undefined
  rateLimits: Map<string, RateLimitSnapshot>
  phase: "none" | "reasoning" | "text"
  lastChar: string
  firstEventAt: number | undefined
}

const responsesCommand = Command.make(
  "responses",
  {
    prompt: Args.text({ name: "prompt" }).pipe(Args.withDescription("The user message")),
    model: modelFlag,
    instructions: instructionsFlag,
    reasoning: optionalFlag(
      Options.choice("reasoning", ["none", "minimal", "low", "medium", "high", "xhigh"]),
      "Reasoning effort (asks for reasoning summaries too)"
    ),
    zstd: Options.boolean("zstd").pipe(Options.withDescription("Compress the request body with zstd")),
    sessionId: optionalFlag(Options.text("session-id"), "session-id header"),
    threadId: optionalFlag(Options.text("thread-id"), "thread-id / x-client-request-id headers"),
    transport: Options.choice("transport", ["http", "websocket"]).pipe(
      Options.withDescription("http (SSE) or websocket"),
      Options.withDefault("http" as const)
    ),
    ...connectionFlags
  },
  (flags) =>
    Effect.scoped(
      Effect.gen(function* () {
        const out = yield* CliOutput
        if (flags.transport === "websocket" && flags.zstd) {
          return yield* new UsageError({ reason: "--zstd applies to --transport http only" })
        }
        const connection = yield* connect(flags)
        const request: ResponsesRequest.ResponsesApiRequest = {
          model: flags.model,
          instructions: Option.getOrElse(flags.instructions, () => ""),
          input: [{ type: "message", role: "user", content: [{ type: "input_text", text: flags.prompt }] }],
          tools: [],
          toolChoice: "auto",
          parallelToolCalls: false,
          reasoning: Option.isSome(flags.reasoning) ? { effort: flags.reasoning.value, summary: "auto" } : undefined,
          store: false,
          stream: true,
          include: [],
          promptCacheKey: Option.getOrUndefined(flags.threadId)
        }
        const identity: ResponsesRequest.ResponsesOptions = {
          sessionId: Option.getOrUndefined(flags.sessionId),
          threadId: Option.getOrUndefined(flags.threadId)
        }

        const mode: OutputMode = flags.output
        const style = Render.styleFor(out.stdoutIsTTY, out.env)
        const state: StreamState = {
          events: 0,
          textChars: 0,
          usage: undefined,
          responseId: undefined,
          model: undefined,
          rateLimits: new Map(),
          phase: "none",
          lastChar: "\n",
          firstEventAt: undefined
        }
        const write = (text: string) => {
          if (text.length === 0) return
          out.stdout(text)
          state.lastChar = text[text.length - 1] ?? state.lastChar
        }
        const startedAt = yield* Clock.currentTimeMillis
        const stopSpinner = mode === "text" ? yield* startSpinner(out) : Effect.void

        // Per event: state and the text to print; per chunk: one clock read and one write.
        const onEvent = (event: ResponseEvent): string => {
          state.events++
          switch (event._tag) {
            case "OutputTextDelta":
              state.textChars += event.delta.length
              break
            case "Completed":
              state.responseId = event.responseId
              state.usage = event.tokenUsage
              break
            case "ServerModel":
              state.model = event.model
              break
            case "RateLimits":
              state.rateLimits.set(event.snapshot.limit_id ?? "codex", event.snapshot)
              break
          }
          if (mode === "json") return `${Render.eventLine(event)}\n`
          if (mode !== "text") return ""
          if (event._tag === "ReasoningSummaryDelta") {
            state.phase = "reasoning"
            return style.dim(event.delta)
          }
          if (event._tag === "ReasoningSummaryPartAdded" && event.summaryIndex > 0) {
            return state.phase === "reasoning" ? "\n\n" : ""
          }
          if (event._tag === "OutputTextDelta") {
            const separator = state.phase === "reasoning" ? "\n\n" : ""
            state.phase = "text"
            return separator + event.delta
          }
          return ""
        }
        const onChunk = (chunk: Chunk.Chunk<ResponseEvent>): Effect.Effect<void> =>
          Effect.zipRight(
            stopSpinner,
            Effect.flatMap(Clock.currentTimeMillis, (now) =>
              Effect.sync(() => {
                if (state.firstEventAt === undefined) state.firstEventAt = now
                const events = Chunk.toReadonlyArray(chunk)
                let text = ""
                for (let i = 0; i < events.length; i++) text += onEvent(events[i]!)
                write(text)
              })
            )
          )

        // HTTP: the request id is known once headers arrived. WebSocket: one connection for this
        // call, identity headers on the handshake (a socket request cannot carry headers).
        const openHttp = Effect.flatMap(Responses.ResponsesClient, (client) =>
          client.openRequest(request, { ...identity, compression: flags.zstd ? "zstd" : "none" })
        ).pipe(Effect.provide(Responses.layer))
        // The WebSocket client (and `ws`) is loaded only for --transport websocket.
        const openWebsocket = Effect.flatMap(loadWebsocket, (ResponsesWebsocket) =>
          Effect.flatMap(ResponsesWebsocket.ResponsesWebsocketClient, (client) =>
            Effect.map(
              client.connect({ extraHeaders: ResponsesRequest.buildHeaders(identity) }),
              (socket): Responses.ResponseStream => ({
                upstreamRequestId: undefined,
                events: socket.streamRequest(ResponsesWebsocket.fromApiRequest(request))
              })
            )
          ).pipe(Effect.provide(ResponsesWebsocket.layer))
        )
        let upstreamRequestId: string | undefined
        const run = Effect.gen(function* () {
          const opened = yield* flags.transport === "websocket" ? openWebsocket : openHttp
          upstreamRequestId = opened.upstreamRequestId
          yield* Stream.runForEachChunk(opened.events, onChunk)
          return opened.upstreamRequestId
        }).pipe(Effect.scoped, Effect.provide(connection.layer))

        const result = yield* Effect.either(run)
        yield* stopSpinner
        if (result._tag === "Left") {
          if (mode === "text" && state.lastChar !== "\n") write("\n")
          return yield* reportFailure(out, mode, result.left, upstreamRequestId)
        }
        const requestId = result.right
        const endedAt = yield* Clock.currentTimeMillis
        if (mode === "summary") {
          const u = state.usage
          const fields = [
            `events=${state.events}`,
            `text_chars=${state.textChars}`,
            `input_tokens=${u?.input_tokens ?? 0}`,
            `cached_input_tokens=${u?.cached_input_tokens ?? 0}`,
            `output_tokens=${u?.output_tokens ?? 0}`,
            `reasoning_output_tokens=${u?.reasoning_output_tokens ?? 0}`,
            `total_tokens=${u?.total_tokens ?? 0}`,
            `response_id=${state.responseId ?? "-"}`,
            `request_id=${requestId ?? "-"}`,
            `ttfe_ms=${state.firstEventAt === undefined ? "-" : state.firstEventAt - startedAt}`,
            `elapsed_ms=${endedAt - startedAt}`
          ]
          out.stdout(`${fields.join(" ")}\n`)
        } else if (mode === "text") {
          if (state.lastChar !== "\n") write("\n")
          const lines: Array<string> = []
          if (state.usage !== undefined) lines.push(Render.usageLine(state.usage))
          const nowSeconds = Math.floor(endedAt / 1000)
          for (const snapshot of state.rateLimits.values()) {
            const line = Render.rateLimitLine(snapshot, nowSeconds)
            if (line !== undefined) lines.push(line)
          }
          const ids = [
            requestId === undefined ? undefined : `request ${requestId}`,
            state.responseId === undefined ? undefined : `response ${state.responseId}`,
            state.model === undefined ? undefined : `model ${state.model}`
          ].filter((s): s is string => s !== undefined)
          if (ids.length > 0) lines.push(ids.join(" · "))
          if (lines.length > 0) write(`\n${lines.map((line) => style.dim(line)).join("\n")}\n`)
        }
      })
    )
).pipe(Command.withDescription("Stream a Responses API call"))

// -----------------------------------------------------------------------------
// compact
// -----------------------------------------------------------------------------

const compactCommand = Command.make(
  "compact",
  {
    messages: Args.text({ name: "message" }).pipe(
      Args.withDescription("History to compact: user messages, in order"),
      Args.atLeast(1)
    ),
    model: modelFlag,
    instructions: instructionsFlag,
    ...connectionFlags
  },
  (flags) =>
    Effect.scoped(
      Effect.gen(function* () {
        const out = yield* CliOutput
        const connection = yield* connect(flags)
        const body: Record<string, unknown> = { model: flags.model }
        body.input = flags.messages.map((text) => ({
          type: "message",
          role: "user",
          content: [{ type: "input_text", text }]
        }))
        if (Option.isSome(flags.instructions) && flags.instructions.value.length > 0) {
          body.instructions = flags.instructions.value
        }
        body.tools = []
        body.parallel_tool_calls = false
        const requestTimeout = Duration.times(Duration.decode(connection.provider.streamIdleTimeout), 4)
        const result = yield* Effect.either(
          Compact.CompactClient.pipe(
            Effect.flatMap((client) => client.compact(body, { requestTimeout })),
            Effect.provide(Compact.layer),
            Effect.provide(connection.layer)
          )
        )
        if (result._tag === "Left") return yield* reportFailure(out, flags.output, result.left)
        const items = result.right
        if (flags.output === "json") out.stdout(`${JSON.stringify({ _tag: "Compacted", output: items })}\n`)
        else if (flags.output === "summary") out.stdout(`items=${items.length}\n`)
        else {
          out.stdout(`${items.length} item${items.length === 1 ? "" : "s"}:\n`)
          for (const item of items) out.stdout(`${JSON.stringify(item)}\n`)
        }
      })
    )
).pipe(Command.withDescription("Compact a conversation history (POST /responses/compact)"))

// -----------------------------------------------------------------------------
// models
// -----------------------------------------------------------------------------

const modelsCommand = Command.make(
  "models",
  {
    clientVersion: Options.text("client-version").pipe(
      Options.withDescription("client_version query parameter"),
      Options.withDefault(version)
    ),
    ...connectionFlags
  },
  (flags) =>
    Effect.scoped(
      Effect.gen(function* () {
        const out = yield* CliOutput
        const connection = yield* connect(flags)
        const result = yield* Effect.either(
          Models.ModelsClient.pipe(
            Effect.flatMap((client) => client.list(flags.clientVersion)),
            Effect.provide(Models.layer),
            Effect.provide(connection.layer)
          )
        )
        if (result._tag === "Left") return yield* reportFailure(out, flags.output, result.left)
        const { etag, models } = result.right
        if (flags.output === "json") out.stdout(`${JSON.stringify({ _tag: "Models", etag, models })}\n`)
        else if (flags.output === "summary") out.stdout(`models=${models.length} etag=${etag ?? "-"}\n`)
        else {
          const width = Math.max(4, ...models.map((m) => m.slug.length))
          for (const m of models) out.stdout(`${m.slug.padEnd(width)}  ${m.display_name}\n`)
          if (etag !== undefined) out.stdout(`etag ${etag}\n`)
        }
      })
    )
).pipe(Command.withDescription("List models (GET /models)"))

/**
 * The root command.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("codex-api").pipe(
  Command.withDescription("Stream Codex / OpenAI Responses calls from the terminal"),
  Command.withSubcommands([responsesCommand, compactCommand, modelsCommand])
)

const cliRun = Command.run(command, { name: "codex-api", version })

const formatArgs = (args: ReadonlyArray<unknown>): string =>
  args.map((a) => (typeof a === "string" ? a : inspect(a))).join(" ")

const ansi = /\x1b\[[0-9;]*m/g

/**
 * Routes @effect/cli's help and validation messages to {@link CliOutput}, without ANSI styling
 * when that stream is not a terminal or NO_COLOR is set.
 */
const consoleFor = (out: CliOutputService, current: Console.Console): Console.Console => {
  const noColor = out.env.NO_COLOR !== undefined && out.env.NO_COLOR !== ""
  const plain = (tty: boolean) => (text: string) => (tty && !noColor ? text : text.replace(ansi, ""))
  const toStdout = plain(out.stdoutIsTTY)
  const toStderr = plain(out.stderrIsTTY)
  return {
    ...current,
    log: (...args) => Effect.sync(() => out.stdout(toStdout(`${formatArgs(args)}\n`))),
    info: (...args) => Effect.sync(() => out.stdout(toStdout(`${formatArgs(args)}\n`))),
    error: (...args) => Effect.sync(() => out.stderr(toStderr(`${formatArgs(args)}\n`))),
    warn: (...args) => Effect.sync(() => out.stderr(toStderr(`${formatArgs(args)}\n`)))
  }
}

// @effect/cli takes an unknown `--flag` as the positional prompt; reject it as bad usage instead.
const valueOptions = new Set([
  "--base-url",
  "--header",
  "--idle-timeout-ms",
  "--max-retries",
  "--output",
  "--model",
  "--instructions",
  "--reasoning",
  "--session-id",
  "--thread-id",
  "--transport",
  "--client-version",
  "--log-level",
  "--completions"
])
const flagOptions = new Set(["--retry-429", "--zstd", "--help", "-h", "--version", "--wizard"])

/**
 * The first argument that looks like an option but is none of ours, if any (arguments after `--`
 * are never options).
 *
 * @since 0.1.0
 * @category parsing
 */
export const unknownOption = (args: ReadonlyArray<string>): string | undefined => {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--") return undefined
    if (!arg.startsWith("-") || arg === "-" || /^-\d/.test(arg)) continue
    const name = arg.includes("=") ? arg.slice(0, arg.indexOf("=")) : arg
    if (valueOptions.has(name)) {
      if (!arg.includes("=")) i++
      continue
    }
    if (!flagOptions.has(name)) return name
  }
  return undefined
}

/**
 * Runs the CLI on `args` (the arguments after the executable, e.g. `["responses", "hi"]`) and
 * returns the exit code. Never fails: every error is reported on the {@link CliOutput}.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (args: ReadonlyArray<string>): Effect.Effect<number, never, CliOutput | CliApp.CliApp.Environment> =>
  Effect.gen(function* () {
    const out = yield* CliOutput
    const unknown = unknownOption(args)
    if (unknown !== undefined) {
      out.stderr(`codex-api: unknown option ${unknown} (see codex-api --help)\n`)
      return 2
    }
    const current = yield* Effect.console
    return yield* cliRun(["node", "codex-api", ...args]).pipe(
      Effect.as(0),
      Effect.catchAll((error) => {
        if (error instanceof Exit) return Effect.succeed(error.code)
        if (error instanceof UsageError) {
          return Effect.sync(() => {
            out.stderr(`codex-api: ${error.message}\n`)
            return 2
          })
        }
        if (ValidationError.isValidationError(error)) return Effect.succeed(2)
        return Effect.sync(() => {
          out.stderr(`codex-api: ${String(error)}\n`)
          return 1
        })
      }),
      Effect.catchAllDefect((defect) =>
        Effect.sync(() => {
          out.stderr(`codex-api: unexpected error: ${Cause.pretty(Cause.die(defect))}\n`)
          return 1
        })
      ),
      Effect.withConsole(consoleFor(out, current))
    )
  })
