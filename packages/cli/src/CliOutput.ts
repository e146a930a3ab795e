/**
 * Where the CLI writes and what it knows about its terminal: stdout / stderr writers, whether each
 * is a TTY, and the environment. The Node layer uses `process`; tests capture everything in memory.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Layer from "effect/Layer"

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  readonly stdoutIsTTY: boolean
  readonly stderrIsTTY: boolean
  readonly env: Readonly<Record<string, string | undefined>>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class CliOutput extends Context.Tag("@codex/cli/CliOutput")<CliOutput, Service>() {}

/**
 * The process's stdout, stderr and environment.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerProcess: Layer.Layer<CliOutput> = Layer.sync(CliOutput, () => ({
  stdout: (text) => {
    process.stdout.write(text)
  },
  stderr: (text) => {
    process.stderr.write(text)
  },
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  env: process.env
}))

/**
 * An in-memory capture (for tests and embedding): read `stdout` / `stderr` after the run.
 *
 * @since 0.1.0
 * @category models
 */
export interface Capture extends Service {
  readonly output: { stdout: string; stderr: string }
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
  } = {}
): Capture => {
  const output = { stdout: "", stderr: "" }
  return {
    output,
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
