/**
 * The `codex-api` command: `responses <prompt>` streams a Responses call, `compact` and `models`
 * call the other endpoints; all share the connection flags. With neither `OPENAI_API_KEY` nor a base
 * URL the command runs against the in-process @codex/testing server (demo mode).
 *
 * stdout carries only the answer (text), one JSON line per event (json) or one line (summary);
 * usage, rate limits, progress, logs and errors go to stderr.
 *
 * Exit codes: 0 success (also when the reader of stdout went away), 1 API or stream error, 2 bad
 * usage, 130 / 143 stopped by SIGINT / SIGTERM.
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
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Logger from "effect/Logger"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import { inspect } from "node:util"
import { CliOutput, exitCode } from "./CliOutput.js"
import type { Service as CliOutputService } from "./CliOutput.js"
import { type Connection, connect, UsageError } from "./internal/connection.js"
import * as Help from "./internal/help.js"
import * as Render from "./internal/render.js"
import { version as packageVersion } from "./internal/version.js"

/**
 * The version of `@codex/cli`, from its package.json.
 *
 * @since 0.1.0
 * @category constants
 */
export const version: string = packageVersion

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

const connectionFlags = {
  baseUrl: Help.optional(
    Options.text("base-url"),
    "--base-url <url>",
    "API base URL (default: OPENAI_BASE_URL, else https://api.openai.com/v1)"
  ),
  headers: Help.flag(
    Options.text("header").pipe(Options.repeated),
    "--header <name:value>",
    "Extra request header (optional, repeatable)"
  ),
  idleTimeoutMs: Help.optional(
    Options.integer("idle-timeout-ms"),
    "--idle-timeout-ms <ms>",
    "Stream idle timeout (default: CODEX_STREAM_IDLE_TIMEOUT_MS, else 300000)"
  ),
  maxRetries: Help.optional(
    Options.integer("max-retries"),
    "--max-retries <n>",
    "Request retries (default: CODEX_REQUEST_MAX_RETRIES, else 4)"
  ),
  retry429: Help.flag(Options.boolean("retry-429"), "--retry-429", "Also retry 429 (rate limited) responses"),
  output: Help.flag(
    Options.choice("output", ["text", "json", "summary"]).pipe(
      Options.withAlias("o"),
      Options.withDefault("text" as const)
    ),
    "-o, --output <mode>",
    "text: the answer; json: one JSON event per line; summary: one line (default: text)"
  ),
  quiet: Help.flag(
    Options.boolean("quiet").pipe(Options.withAlias("q")),
    "-q, --quiet",
    "Nothing on stderr but errors: no usage, rate limits, progress or notices"
  )
}

const modelFlag = Help.flag(
  Options.text("model").pipe(Options.withAlias("m"), Options.withDefault("gpt-5")),
  "-m, --model <slug>",
  "Model (default: gpt-5)"
)
const instructionsFlag = Help.optional(
  Options.text("instructions").pipe(Options.withAlias("i")),
  "-i, --instructions <text>",
  "System instructions"
)

// -----------------------------------------------------------------------------
// Failure reporting
// -----------------------------------------------------------------------------

/** What the failure report needs besides the error. */
interface FailureInfo {
  readonly mode: OutputMode
  readonly apiKeySet: boolean
  readonly retry429: boolean
  readonly upstreamRequestId?: string | undefined
}

const failureInfo = (mode: OutputMode, connection: Connection): FailureInfo => ({
  mode,
  apiKeySet: connection.apiKeySet,
  retry429: connection.provider.retry.retry429
})

const reportFailure = (out: CliOutputService, info: FailureInfo, error: ApiError.ApiError) =>
  Effect.flatMap(Clock.currentTimeMillis, (nowMillis) => {
    const described = Render.describe(error, {
      requestId: info.upstreamRequestId,
      apiKeySet: info.apiKeySet,
      retry429: info.retry429,
      nowMillis
    })
    if (info.mode === "json") {
      out.stdout(`${Render.failureLine(error, described)}\n`)
    } else {
      const style = Render.styleFor(out.stderrIsTTY, out.env)
      out.stderr(`${style.red("codex-api:")} ${Render.describedLine(described)}\n`)
    }
    return new Exit({ code: 1 })
  })

/**
 * When a signal stops the command mid-call (the call itself is interrupted, which aborts the
 * request): close the partial answer line (text) or end with a `Failure` line (json). Nothing when
 * stdout's reader went away.
 */
const whenStopped =
  (
    out: CliOutputService,
    mode: OutputMode,
    options: { readonly cleanup?: Effect.Effect<void>; readonly closeLine?: () => void } = {}
  ) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.onInterrupt(effect, () =>
      Effect.gen(function* () {
        if (options.cleanup !== undefined) yield* options.cleanup
        if (!(yield* Deferred.isDone(out.stop))) return
        const reason = yield* Deferred.await(out.stop)
        if (reason === "EPIPE") return
        if (mode === "json") out.stdout(`${Render.interruptedLine(reason)}\n`)
        else if (mode === "text") options.closeLine?.()
      })
    )

// -----------------------------------------------------------------------------
// responses
// -----------------------------------------------------------------------------

const loadWebsocket = Effect.promise(() => import("@codex/api/ResponsesWebsocket"))

const spinnerFrames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

/** A spinner on stderr (a TTY, without NO_COLOR or --quiet) until `stop` is called. */
const startSpinner = (out: CliOutputService, quiet: boolean) =>
  Effect.gen(function* () {
    if (quiet || !Render.colorAllowed(out.stderrIsTTY, out.env)) return Effect.void
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

const responsesFlags = {
  model: modelFlag,
  instructions: instructionsFlag,
  reasoning: Help.optional(
    Options.choice("reasoning", ["none", "minimal", "low", "medium", "high", "xhigh"]),
    "--reasoning <effort>",
    "none, minimal, low, medium, high or xhigh (asks for reasoning summaries too)"
  ),
  transport: Help.flag(
    Options.choice("transport", ["http", "websocket"]).pipe(Options.withDefault("http" as const)),
    "--transport <http|websocket>",
    "http (SSE, the default) or websocket"
  ),
  zstd: Help.flag(Options.boolean("zstd"), "--zstd", "Compress the request body with zstd (http only)"),
  sessionId: Help.optional(Options.text("session-id"), "--session-id <id>", "Send the session-id header"),
  threadId: Help.optional(
    Options.text("thread-id"),
    "--thread-id <id>",
    "Send thread-id / x-client-request-id (and use it as the prompt cache key)"
  ),
  ...connectionFlags
}

/**
 * The prompt: the argument, or stdin when the argument is `-` or left out while stdin is not a
 * terminal.
 */
const readPrompt = (out: CliOutputService, argument: Option.Option<string>) =>
  Effect.gen(function* () {
    if (Option.isSome(argument) && argument.value !== "-") return argument.value
    if (Option.isNone(argument) && out.stdinIsTTY) {
      return yield* new UsageError({ reason: "missing <prompt> (give it as an argument, or '-' to read stdin)" })
    }
    const text = yield* out.readStdin.pipe(
      Effect.mapError((error) => new UsageError({ reason: `cannot read the prompt from stdin: ${error.message}` }))
    )
    if (text.trim().length === 0) return yield* new UsageError({ reason: "the prompt on stdin is empty" })
    return text.endsWith("\n") ? text.slice(0, text.endsWith("\r\n") ? -2 : -1) : text
  })

const responsesCommand = Command.make(
  "responses",
  {
    prompt: Args.text({ name: "prompt" }).pipe(Args.withDescription("The user message, or - for stdin"), Args.optional),
    ...Help.optionsOf(responsesFlags)
  },
  (flags) =>
    Effect.scoped(
      Effect.gen(function* () {
        const out = yield* CliOutput
        if (flags.transport === "websocket" && flags.zstd) {
          return yield* new UsageError({ reason: "--zstd applies to --transport http only" })
        }
        // A signal while the prompt is read from stdin or the connection is set up (the demo server
        // starting) also ends json output with its Failure line.
        const [prompt, connection] = yield* Effect.zip(readPrompt(out, flags.prompt), connect(flags)).pipe(
          whenStopped(out, flags.output)
        )
        const request: ResponsesRequest.ResponsesApiRequest = {
          model: flags.model,
          instructions: Option.getOrElse(flags.instructions, () => ""),
          input: [{ type: "message", role: "user", content: [{ type: "input_text", text: prompt }] }],
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
        // The reasoning summary text of the current chunk (stderr), and whether its line is open.
        let reasoning = ""
        let reasoningOpen = false
        const reasoningStyle = Render.styleFor(out.stderrIsTTY, out.env)
        const flushReasoning = () => {
          if (reasoning.length === 0) return
          out.stderr(reasoningStyle.dim(reasoning))
          reasoningOpen = !reasoning.endsWith("\n")
          reasoning = ""
        }
        /** Ends the summary on stderr before the answer starts (a blank line when both share a terminal). */
        const endReasoning = () => {
          flushReasoning()
          closeReasoning("\n\n")
        }
        /** Ends an unterminated summary line on stderr. */
        const closeReasoning = (end: string) => {
          if (reasoningOpen) out.stderr(end)
          reasoningOpen = false
        }
        const startedAt = yield* Clock.currentTimeMillis
        const stopSpinner = mode === "text" ? yield* startSpinner(out, flags.quiet) : Effect.void

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
          // Reasoning summaries are not the answer: dimmed on stderr (none with --quiet), the answer
          // alone on stdout; a finished summary gets a blank line before what follows.
          if (event._tag === "ReasoningSummaryDelta") {
            state.phase = "reasoning"
            if (!flags.quiet) reasoning += event.delta
            return ""
          }
          if (event._tag === "ReasoningSummaryPartAdded" && event.summaryIndex > 0) {
            if (state.phase === "reasoning" && !flags.quiet) reasoning += "\n\n"
            return ""
          }
          if (event._tag === "OutputTextDelta") {
            if (state.phase === "reasoning") endReasoning()
            state.phase = "text"
            return event.delta
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
                flushReasoning()
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

        const result = yield* Effect.either(run).pipe(
          whenStopped(out, mode, {
            cleanup: stopSpinner,
            closeLine: () => {
              closeReasoning("\n")
              if (state.lastChar !== "\n") write("\n")
            }
          })
        )
        yield* stopSpinner
        // A stream that ended inside a reasoning summary (no answer, or a failure) closes its line.
        closeReasoning("\n")
        if (result._tag === "Left") {
          if (mode === "text" && state.lastChar !== "\n") write("\n")
          return yield* reportFailure(out, { ...failureInfo(mode, connection), upstreamRequestId }, result.left)
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
          if (flags.quiet) return
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
          // usage, limits and ids are not the answer: stderr
          const dim = Render.styleFor(out.stderrIsTTY, out.env).dim
          if (lines.length > 0) out.stderr(`\n${lines.map(dim).join("\n")}\n`)
        }
      })
    )
).pipe(Command.withDescription("Stream a Responses API call"))

// -----------------------------------------------------------------------------
// compact
// -----------------------------------------------------------------------------

const compactFlags = { model: modelFlag, instructions: instructionsFlag, ...connectionFlags }

const compactCommand = Command.make(
  "compact",
  {
    messages: Args.text({ name: "message" }).pipe(
      Args.withDescription("History to compact: user messages, in order"),
      Args.atLeast(1)
    ),
    ...Help.optionsOf(compactFlags)
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
        ).pipe(whenStopped(out, flags.output))
        if (result._tag === "Left") return yield* reportFailure(out, failureInfo(flags.output, connection), result.left)
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

const modelsFlags = {
  clientVersion: Help.flag(
    Options.text("client-version").pipe(Options.withDefault(version)),
    "--client-version <v>",
    `client_version query parameter (default: ${version})`
  ),
  ...connectionFlags
}

const modelsCommand = Command.make("models", Help.optionsOf(modelsFlags), (flags) =>
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
      ).pipe(whenStopped(out, flags.output))
      if (result._tag === "Left") return yield* reportFailure(out, failureInfo(flags.output, connection), result.left)
      const { etag, models } = result.right
      if (flags.output === "json") out.stdout(`${JSON.stringify({ _tag: "Models", etag, models })}\n`)
      else if (flags.output === "summary") out.stdout(`models=${models.length} etag=${etag ?? "-"}\n`)
      else {
        const width = Math.max(4, ...models.map((m) => m.slug.length))
        for (const m of models) out.stdout(`${m.slug.padEnd(width)}  ${m.display_name}\n`)
        if (etag !== undefined && !flags.quiet) out.stderr(`etag ${etag}\n`)
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

const commandHelps: ReadonlyArray<Help.CommandHelp> = [
  {
    name: "responses",
    operands: "[<prompt> | -]",
    summary: "Stream a Responses API call; the answer goes to stdout",
    details: [
      "The prompt is read from stdin when it is '-', or when it is left out and stdin is not a terminal:",
      "  git diff | codex-api responses -i 'Review this diff' -o json"
    ],
    flags: Object.values(responsesFlags)
  },
  {
    name: "compact",
    operands: "<message>...",
    summary: "Compact a conversation history (POST /responses/compact)",
    details: [],
    flags: Object.values(compactFlags)
  },
  { name: "models", operands: "", summary: "List models (GET /models)", details: [], flags: Object.values(modelsFlags) }
]

const formatArgs = (args: ReadonlyArray<unknown>): string =>
  args.map((a) => (typeof a === "string" ? a : inspect(a))).join(" ")

const ansi = /\x1b\[[0-9;]*m/g

/**
 * Routes @effect/cli's help and validation messages to {@link CliOutput}, without ANSI styling
 * when that stream is not a terminal or NO_COLOR is set.
 */
const consoleFor = (out: CliOutputService, current: Console.Console): Console.Console => {
  const plain = (tty: boolean) => (text: string) => (Render.colorAllowed(tty, out.env) ? text : text.replace(ansi, ""))
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
const { valueOptions, flagOptions } = (() => {
  const valueOptions = new Set(["--completions"])
  const flagOptions = new Set(["--version", "--wizard"])
  for (const flag of [...commandHelps.flatMap((c) => c.flags), ...Help.builtIns]) {
    const { names, takesValue } = Help.namesOf(flag.usage)
    for (const name of names) (takesValue ? valueOptions : flagOptions).add(name)
  }
  return { valueOptions, flagOptions }
})()

interface Scanned {
  /** The first argument that looks like an option but is none of ours. */
  readonly unknown?: string | undefined
  readonly help: boolean
  readonly version: boolean
  /** Index of a `-` operand (stdin), if any. */
  readonly stdinOperand?: number | undefined
}

/** The options of `args` up to `--` (values of value-taking options are skipped). */
const scan = (args: ReadonlyArray<string>): Scanned => {
  let help = false
  let version = false
  let stdinOperand: number | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--") break
    if (arg === "-") stdinOperand ??= i
    if (!arg.startsWith("-") || arg === "-" || /^-\d/.test(arg)) continue
    const name = arg.includes("=") ? arg.slice(0, arg.indexOf("=")) : arg
    if (valueOptions.has(name)) {
      if (!arg.includes("=")) i++
      continue
    }
    if (!flagOptions.has(name)) return { unknown: name, help, version, stdinOperand }
    if (name === "--help" || name === "-h") help = true
    if (name === "--version") version = true
  }
  return { help, version, stdinOperand }
}

/** Whether `args` ask for `--output json` (`-o json`, `--output=json`), up to `--`. */
const jsonOutput = (args: ReadonlyArray<string>): boolean => {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--") return false
    if (arg === "--output=json" || arg === "-o=json") return true
    if ((arg === "--output" || arg === "-o") && args[i + 1] === "json") return true
  }
  return false
}

/**
 * @effect/cli stops reading options at a `-` operand, so `responses - -o json` would fail: move the
 * `-` behind a `--`, where operands go.
 */
const withStdinOperandLast = (args: ReadonlyArray<string>, index: number | undefined): ReadonlyArray<string> => {
  if (index === undefined) return args
  const rest = args.filter((_, i) => i !== index)
  const dashes = rest.indexOf("--")
  return dashes === -1 ? [...rest, "--", "-"] : [...rest.slice(0, dashes + 1), "-", ...rest.slice(dashes + 1)]
}

/**
 * The first argument that looks like an option but is none of ours, if any (arguments after `--`
 * are never options).
 *
 * @since 0.1.0
 * @category parsing
 */
export const unknownOption = (args: ReadonlyArray<string>): string | undefined => scan(args).unknown

/** Effect's logs (`--log-level`) as logfmt lines on stderr, never mixed into stdout. */
const stderrLogger = (out: CliOutputService) =>
  Logger.replace(
    Logger.defaultLogger,
    Logger.make((options) => out.stderr(`${Logger.logfmtLogger.log(options)}\n`))
  )

/**
 * Runs the CLI on `args` (the arguments after the executable, e.g. `["responses", "hi"]`) and
 * returns the exit code. Never fails: every error is reported on the {@link CliOutput}. When the
 * output's `stop` completes (a signal, or stdout closed by its reader) the command is interrupted,
 * which aborts its request, and the exit code is 130 / 143 (or 0 for a closed stdout).
 *
 * @since 0.1.0
 * @category running
 */
export const run = (args: ReadonlyArray<string>): Effect.Effect<number, never, CliOutput | CliApp.CliApp.Environment> =>
  Effect.gen(function* () {
    const out = yield* CliOutput
    if (args.length === 0) {
      out.stderr(Help.shortUsage(commandHelps))
      return 2
    }
    const scanned = scan(args)
    if (scanned.unknown !== undefined) {
      out.stderr(`codex-api: unknown option ${scanned.unknown} (see codex-api --help)\n`)
      return 2
    }
    if (scanned.help) {
      const sub = commandHelps.find((c) => c.name === args[0])
      out.stdout(sub === undefined ? Help.rootHelp(commandHelps, version) : Help.commandHelp(sub))
      return 0
    }
    if (scanned.version) {
      out.stdout(`codex-api ${version}\n`)
      return 0
    }
    const current = yield* Effect.console
    const main = cliRun(["node", "codex-api", ...withStdinOperandLast(args, scanned.stdinOperand)]).pipe(
      Effect.as(0),
      Effect.catchAll((error) => {
        if (error instanceof Exit) return Effect.succeed(error.code)
        if (error instanceof UsageError) {
          return Effect.sync(() => {
            out.stderr(`codex-api: ${error.message}\n`)
            // json mode: a reader of stdout learns of the failure from a Failure line, as for every error
            if (jsonOutput(args)) out.stdout(`${Render.usageFailureLine(error.reason)}\n`)
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
      Effect.withConsole(consoleFor(out, current)),
      Effect.provide(stderrLogger(out))
    )
    return yield* Effect.raceFirst(main, Effect.map(Deferred.await(out.stop), exitCode))
  })
