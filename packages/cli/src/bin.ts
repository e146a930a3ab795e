#!/usr/bin/env node
/**
 * The `codex-api` executable.
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Cli from "./Cli.js"
import * as CliOutput from "./CliOutput.js"

NodeRuntime.runMain(
  Cli.run(process.argv.slice(2)).pipe(Effect.provide(Layer.merge(NodeContext.layer, CliOutput.layerProcess))),
  {
    disableErrorReporting: true,
    teardown: (exit, onExit) => {
      const code = Exit.isSuccess(exit) && typeof exit.value === "number" ? exit.value : 1
      process.exitCode = code
      onExit(code)
    }
  }
)
