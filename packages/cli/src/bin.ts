#!/usr/bin/env node
/**
 * The `codex-api` executable. Signals and a closed stdout are handled by `Cli.run` (through
 * `CliOutput.layerProcess`), which returns the exit code.
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Cli from "./Cli.js"
import * as CliOutput from "./CliOutput.js"

const fiber = Effect.runFork(
  Cli.run(process.argv.slice(2)).pipe(Effect.provide(Layer.merge(NodeContext.layer, CliOutput.layerProcess)))
)
fiber.addObserver((exit) => {
  const code = Exit.isSuccess(exit) ? exit.value : 1
  // 0: let stdout drain and the event loop end by itself; otherwise stop now (open sockets, stdin)
  if (code === 0) process.exitCode = 0
  else process.exit(code)
})
