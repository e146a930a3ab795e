/**
 * Shared by the examples: the services they need, from the environment when `OPENAI_API_KEY` is set,
 * else from the local @codex/testing server playing the example's script.
 */
import * as Auth from "@codex/api/Auth"
import * as Provider from "@codex/api/Provider"
import * as HttpTransport from "@codex/client/HttpTransport"
import type * as Fixture from "@codex/testing/Fixture"
import * as ResponsesServer from "@codex/testing/ResponsesServer"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { pathToFileURL } from "node:url"

/** What every example program needs. */
export type Services = HttpTransport.HttpTransport | Auth.AuthProvider | Provider.CurrentProvider

/** Provider, no auth and the Node transport pointed at a local server. */
export const layerLocal = (server: ResponsesServer.ResponsesServer): Layer.Layer<Services> =>
  Layer.mergeAll(Provider.layer(Provider.make({ baseUrl: server.baseUrl })), Auth.layerNone, HttpTransport.layerNode)

/** The real API (OPENAI_API_KEY, OPENAI_BASE_URL, ...) or, without a key, the local server. */
export const layerFromEnv = (script: Fixture.Script) =>
  process.env.OPENAI_API_KEY
    ? Layer.mergeAll(Provider.layerConfig, Auth.layerApiKeyConfig, HttpTransport.layerNode)
    : Layer.unwrapScoped(
        Effect.map(
          Effect.tap(ResponsesServer.make({ script }), (server) =>
            Console.error(`(OPENAI_API_KEY is not set: using the local @codex/testing server at ${server.baseUrl})`)
          ),
          layerLocal
        )
      )

/** Runs `program` when the file is executed directly (`tsx src/<name>.ts`), not when imported. */
export const runIfMain = <A, E>(
  importMetaUrl: string,
  program: Effect.Effect<A, E, Services>,
  script: Fixture.Script
): void => {
  const entry = process.argv[1]
  if (entry === undefined || pathToFileURL(entry).href !== importMetaUrl) return
  NodeRuntime.runMain(Effect.provide(program, layerFromEnv(script)))
}

/** A user message item. */
export const userMessage = (text: string) =>
  ({ type: "message", role: "user", content: [{ type: "input_text", text }] }) as const
