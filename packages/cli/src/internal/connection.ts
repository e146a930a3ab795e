/**
 * Flags + environment → the provider, auth and transport layers; demo mode when there is neither an
 * API key nor a base URL (the @codex/testing server runs in-process for the command's lifetime).
 * @internal
 */
import * as Auth from "@codex/api/Auth"
import * as Provider from "@codex/api/Provider"
import * as HttpTransport from "@codex/client/HttpTransport"
import * as Request from "@codex/client/Request"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { CliOutput } from "../CliOutput.js"

/** The demo server, loaded only in demo mode (it is not needed to start any other command). */
const loadDemo = Effect.promise(() =>
  Promise.all([import("@codex/testing/ResponsesServer"), import("@codex/testing/DemoFixture")])
)

/** Bad usage: exit code 2. @internal */
export class UsageError extends Data.TaggedError("UsageError")<{ readonly reason: string }> {
  override get message(): string {
    return this.reason
  }
}

/** @internal */
export interface ConnectionFlags {
  readonly baseUrl: Option.Option<string>
  readonly headers: ReadonlyArray<string>
  readonly idleTimeoutMs: Option.Option<number>
  readonly maxRetries: Option.Option<number>
  readonly retry429: boolean
  /** No demo-mode notice. */
  readonly quiet: boolean
}

/** @internal */
export interface Connection {
  readonly layer: Layer.Layer<HttpTransport.HttpTransport | Auth.AuthProvider | Provider.CurrentProvider>
  readonly provider: Provider.Provider
  readonly demo: boolean
  /** Whether `OPENAI_API_KEY` was set (for the hint on a 401). */
  readonly apiKeySet: boolean
}

const nonBlank = (value: string | undefined): string | undefined =>
  value === undefined || value.trim().length === 0 ? undefined : value.trim()

/** `name:value` → pair; the name must be a valid header token. @internal */
export const parseHeader = (raw: string): Effect.Effect<readonly [string, string], UsageError> => {
  const colon = raw.indexOf(":")
  const name = colon === -1 ? "" : raw.slice(0, colon).trim()
  if (colon === -1 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    return Effect.fail(
      new UsageError({ reason: `--header expects name:value, got ${JSON.stringify(raw.split(":")[0] ?? "")}` })
    )
  }
  return Effect.succeed([name, raw.slice(colon + 1).trim()] as const)
}

/** @internal */
export const connect = (flags: ConnectionFlags): Effect.Effect<Connection, UsageError, CliOutput | Scope.Scope> =>
  Effect.gen(function* () {
    const out = yield* CliOutput
    const env = out.env
    // The library's own configuration (CODEX_STREAM_IDLE_TIMEOUT_MS, OPENAI_ORGANIZATION, ...) read
    // from the CLI's environment; flags override it.
    const configured = yield* Effect.withConfigProvider(
      Provider.config,
      ConfigProvider.fromMap(
        new Map(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined))
      )
    ).pipe(Effect.mapError((error) => new UsageError({ reason: `invalid configuration: ${error.message}` })))
    const apiKey = nonBlank(env.OPENAI_API_KEY)
    let baseUrl = Option.getOrUndefined(flags.baseUrl) ?? nonBlank(env.OPENAI_BASE_URL)
    let demo = false
    if (apiKey === undefined && baseUrl === undefined) {
      const [ResponsesServer, DemoFixture] = yield* loadDemo
      const server = yield* ResponsesServer.make({
        defaults: DemoFixture.defaults({ chunkDelayMs: out.stdoutIsTTY ? 60 : 0 }),
        websocketHeaders: DemoFixture.websocketHeaders
      })
      baseUrl = server.baseUrl
      demo = true
      if (!flags.quiet)
        out.stderr(
          `codex-api: demo mode: OPENAI_API_KEY and OPENAI_BASE_URL are not set, so this answer comes from the local ` +
            `@codex/testing server at ${baseUrl} (scripted). Set OPENAI_API_KEY to call the real API.\n`
        )
    }
    if (baseUrl !== undefined) {
      const parsed = URL.canParse(baseUrl) ? new URL(baseUrl) : undefined
      if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
        return yield* new UsageError({
          reason: `--base-url must be an http(s) URL, got ${JSON.stringify(Request.redactUrl(baseUrl))}`
        })
      }
    }
    const extra = yield* Effect.forEach(flags.headers, parseHeader)
    if (Option.isSome(flags.idleTimeoutMs) && flags.idleTimeoutMs.value <= 0) {
      return yield* new UsageError({ reason: "--idle-timeout-ms must be > 0" })
    }
    if (Option.isSome(flags.maxRetries) && flags.maxRetries.value < 0) {
      return yield* new UsageError({ reason: "--max-retries must be >= 0" })
    }
    // Every configured setting is kept (spread first); only what the flags set is overridden.
    const provider = Provider.make({
      ...configured,
      baseUrl: baseUrl ?? configured.baseUrl,
      headers: [...Object.entries(configured.headers), ...extra],
      retry: {
        ...configured.retry,
        maxAttempts: Option.getOrElse(flags.maxRetries, () => configured.retry.maxAttempts),
        retry429: flags.retry429 || configured.retry.retry429
      },
      streamIdleTimeout: Option.match(flags.idleTimeoutMs, {
        onNone: () => configured.streamIdleTimeout,
        onSome: (ms) => Duration.millis(ms)
      })
    })
    const auth = apiKey === undefined ? Auth.layerNone : Auth.layerBearer({ token: Redacted.make(apiKey) })
    return {
      layer: Layer.mergeAll(Provider.layer(provider), auth, HttpTransport.layerNode),
      provider,
      demo,
      apiKeySet: apiKey !== undefined
    }
  })
