/**
 * Flags with one line of help each, and the help texts built from them: `codex-api <sub>` usage
 * lines, one line per flag, no type boilerplate.
 * @internal
 */
import * as Options from "@effect/cli/Options"
import type * as Option from "effect/Option"

/** An @effect/cli option and how the help shows it. @internal */
export interface Flag<A> {
  readonly options: Options.Options<A>
  /** `-m, --model <slug>`: the names, then `<value>` when it takes one. */
  readonly usage: string
  readonly help: string
}

/** @internal */
export const flag = <A>(options: Options.Options<A>, usage: string, help: string): Flag<A> => ({
  options: Options.withDescription(options, help),
  usage,
  help
})

/** A flag that may be left out. @internal */
export const optional = <A>(options: Options.Options<A>, usage: string, help: string): Flag<Option.Option<A>> =>
  flag(Options.optional(options), usage, help)

/** The @effect/cli options of a record of flags. @internal */
export const optionsOf = <F extends Record<string, Flag<any>>>(
  flags: F
): { readonly [K in keyof F]: F[K]["options"] } =>
  Object.fromEntries(Object.entries(flags).map(([key, value]) => [key, value.options])) as {
    readonly [K in keyof F]: F[K]["options"]
  }

/** Names (`-m`, `--model`) of a usage string, and whether the flag takes a value. @internal */
export const namesOf = (usage: string): { readonly names: ReadonlyArray<string>; readonly takesValue: boolean } => ({
  names: usage
    .split(/[\s,]+/)
    .filter((word) => word.startsWith("-"))
    .map((word) => word.replace(/[=[].*$/, "")),
  takesValue: usage.includes("<")
})

/** Flags every command accepts, handled by @effect/cli or by `run`. @internal */
export const builtIns: ReadonlyArray<Pick<Flag<unknown>, "usage" | "help">> = [
  { usage: "--log-level <level>", help: "Log to stderr from this level: trace, debug, info, warning, error" },
  { usage: "-h, --help", help: "Show this help" }
]

/** A subcommand's help. @internal */
export interface CommandHelp {
  readonly name: string
  /** What follows the options in the usage line: `[<prompt> | -]`. */
  readonly operands: string
  readonly summary: string
  readonly details: ReadonlyArray<string>
  readonly flags: ReadonlyArray<Pick<Flag<unknown>, "usage" | "help">>
}

const table = (rows: ReadonlyArray<readonly [string, string]>): string => {
  const width = Math.max(...rows.map(([left]) => left.length))
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`).join("\n")
}

/** `codex-api <sub> [options] <operands>` plus the flags, one per line. @internal */
export const commandHelp = (command: CommandHelp): string =>
  [
    `Usage: codex-api ${command.name} [options] ${command.operands}`.trimEnd(),
    "",
    command.summary,
    ...(command.details.length > 0 ? ["", ...command.details] : []),
    "",
    "Options:",
    table([...command.flags, ...builtIns].map((f) => [f.usage, f.help] as const)),
    ""
  ].join("\n")

/** @internal */
export const shortUsage = (commands: ReadonlyArray<CommandHelp>): string =>
  `Usage: codex-api <command> [options]   (commands: ${commands.map((c) => c.name).join(", ")})\n` +
  "Run 'codex-api --help' for more, 'codex-api <command> --help' for a command's options.\n"

/** @internal */
export const rootHelp = (commands: ReadonlyArray<CommandHelp>, version: string): string =>
  [
    `codex-api ${version}: stream Codex / OpenAI Responses calls from the terminal`,
    "",
    "Usage: codex-api <command> [options]",
    "",
    "Commands:",
    table(commands.map((c) => [`${c.name} ${c.operands}`.trimEnd(), c.summary] as const)),
    "",
    "Options:",
    table([
      ["-h, --help", "Show this help; codex-api <command> --help shows a command's options"],
      ["--version", "Print the version"]
    ]),
    "",
    "Environment:",
    table([
      ["OPENAI_API_KEY", "API key (never printed). Without it and without a base URL: demo mode"],
      ["OPENAI_BASE_URL", "API base URL (--base-url wins)"],
      ["NO_COLOR", "No colours and no spinner"]
    ]),
    "",
    "stdout carries only the answer (or JSON lines); usage, rate limits, progress, logs and errors go",
    "to stderr. Exit status: 0 ok, 1 API or stream error, 2 bad usage, 130/143 stopped by SIGINT/SIGTERM.",
    ""
  ].join("\n")
