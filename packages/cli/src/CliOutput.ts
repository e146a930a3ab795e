/**
 * Where the CLI writes and what it knows about its terminal: stdout / stderr writers, whether each
 * is a TTY, stdin, the environment, and why it must stop early (a signal, or its reader closed
 * stdout). The Node layer uses `process`; tests capture everything in memory.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import * as Layer from "effect/Layer"

/**
 * Why the command stops before it is done: `SIGINT` / `SIGTERM`, or `EPIPE` when the reader of
 * stdout went away (`codex-api … | head -1`).
 *
 * @since 0.1.0
 * @category models
 */
export type StopReason = "SIGINT" | "SIGTERM" | "EPIPE"

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  readonly stdoutIsTTY: boolean
  readonly stderrIsTTY: boolean
  readonly stdinIsTTY: boolean
  /** All of stdin as UTF-8 text. */
  readonly readStdin: Effect.Effect<string, Error>
  readonly env: Readonly<Record<string, string | undefined>>
  /** Completed once when the command has to stop early. */
  readonly stop: Deferred.Deferred<StopReason>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class CliOutput extends Context.Tag("@codex/cli/CliOutput")<CliOutput, Service>() {}

const signalCodes: Record<StopReason, number> = { SIGINT: 130, SIGTERM: 143, EPIPE: 0 }

/**
 * The exit code for a stop: `128 + signal number` for signals, 0 for a closed stdout.
 *
 * @since 0.1.0
 * @category models
 */
export const exitCode = (reason: StopReason): number => signalCodes[reason]

const readAll = (input: NodeJS.ReadableStream): Effect.Effect<string, Error> =>
  Effect.async<string, Error>((resume) => {
    const chunks: Array<Buffer> = []
    const onData = (chunk: Buffer | string) => {
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk)
    }
    const onEnd = () => resume(Effect.succeed(Buffer.concat(chunks).toString("utf8")))
    const onError = (error: Error) => resume(Effect.fail(error))
    input.on("data", onData).once("end", onEnd).once("error", onError)
    return Effect.sync(() => {
      input.off("data", onData).off("end", onEnd).off("error", onError)
      input.pause()
    })
  })

/**
 * The process's stdout, stderr, stdin and environment. `SIGINT` / `SIGTERM` and an `EPIPE` on
 * stdout or stderr complete `stop` (a second signal exits at once); after `EPIPE` nothing more is
 * written to that stream.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerProcess: Layer.Layer<CliOutput> = Layer.scoped(
  CliOutput,
  Effect.gen(function* () {
    const stop = Deferred.unsafeMake<StopReason>(FiberId.none)
    const closed = { stdout: false, stderr: false }
    let signalled = false
    const onSignal = (signal: "SIGINT" | "SIGTERM") => () => {
      // the second Ctrl-C does not wait for the clean-up of the first
      if (signalled) process.exit(exitCode(signal))
      signalled = true
      Deferred.unsafeDone(stop, Exit.succeed(signal))
    }
    const onSigint = onSignal("SIGINT")
    const onSigterm = onSignal("SIGTERM")
    const onWriteError = (name: "stdout" | "stderr") => (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error
      closed[name] = true
      Deferred.unsafeDone(stop, Exit.succeed("EPIPE"))
    }
    const onStdoutError = onWriteError("stdout")
    const onStderrError = onWriteError("stderr")
    yield* Effect.acquireRelease(
      Effect.sync(() => {
        process.on("SIGINT", onSigint).on("SIGTERM", onSigterm)
        process.stdout.on("error", onStdoutError)
        process.stderr.on("error", onStderrError)
      }),
      () =>
        Effect.sync(() => {
          process.off("SIGINT", onSigint).off("SIGTERM", onSigterm)
          process.stdout.off("error", onStdoutError)
          process.stderr.off("error", onStderrError)
        })
    )
    return {
      stdout: (text) => {
        if (!closed.stdout) process.stdout.write(text)
      },
      stderr: (text) => {
        if (!closed.stderr) process.stderr.write(text)
      },
      stdoutIsTTY: process.stdout.isTTY === true,
      stderrIsTTY: process.stderr.isTTY === true,
      stdinIsTTY: process.stdin.isTTY === true,
      readStdin: readAll(process.stdin),
      env: process.env,
      stop
    }
  })
)

/**
 * An in-memory capture (for tests and embedding): read `stdout` / `stderr` after the run.
 *
 * @since 0.1.0
 * @category models
 */
export interface Capture extends Service {
  readonly output: { stdout: string; stderr: string }
  /** Stops the command as a signal or a closed stdout would. */
  readonly interrupt: (reason: StopReason) => void
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const capture = (
  options: {
    readonly env?: Readonly<Record<string, string | undefined>>
    readonly stdoutIsTTY?: boolean
    readonly stderrIsTTY?: boolean
    /**
     * Text on stdin (or how reading it ends, e.g. `Effect.never` for a writer that never closes it);
     * without it stdin is a terminal.
     */
    readonly stdin?: string | Effect.Effect<string, Error>
  } = {}
): Capture => {
  const output = { stdout: "", stderr: "" }
  const stop = Deferred.unsafeMake<StopReason>(FiberId.none)
  return {
    output,
    interrupt: (reason) => {
      Deferred.unsafeDone(stop, Exit.succeed(reason))
    },
    stop,
    stdinIsTTY: options.stdin === undefined,
    readStdin:
      typeof options.stdin === "string" || options.stdin === undefined
        ? Effect.succeed(options.stdin ?? "")
        : options.stdin,
    stdout: (text) => {
      output.stdout += text
    },
    stderr: (text) => {
      output.stderr += text
    },
    stdoutIsTTY: options.stdoutIsTTY ?? false,
    stderrIsTTY: options.stderrIsTTY ?? false,
    env: options.env ?? {}
  }
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (service: Service): Layer.Layer<CliOutput> => Layer.succeed(CliOutput, service)
