import * as Auth from "@codex/api/Auth"
import * as Request from "@codex/client/Request"
import * as TransportError from "@codex/client/TransportError"
import * as Headers from "@effect/platform/Headers"
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Redacted from "effect/Redacted"
import { inspect } from "node:util"

const TOKEN = "sk-secret-token-123"
const ACCOUNT = "acct-secret-42"

/** Captures every log line as the default string logger renders it. */
const captureLogs = () => {
  const lines: Array<string> = []
  const logger = Logger.map(Logger.logfmtLogger, (line) => {
    lines.push(line)
  })
  return { lines, layer: Logger.replace(Logger.defaultLogger, logger) }
}

describe("Auth", () => {
  describe("bearer", () => {
    it.effect("adds Authorization, ChatGPT-Account-ID and X-OpenAI-Fedramp", () =>
      Effect.gen(function* () {
        const service = Auth.bearer({ token: Redacted.make(TOKEN), accountId: ACCOUNT, fedramp: true })
        const headers = yield* service.addAuthHeaders(Headers.fromInput({ Authorization: "old", "x-keep": "1" }))
        expect({ ...headers }).toEqual({
          authorization: `Bearer ${TOKEN}`,
          "chatgpt-account-id": ACCOUNT,
          "x-openai-fedramp": "true",
          "x-keep": "1"
        })
      })
    )

    it.effect("omits the account and FedRAMP headers when not known", () =>
      Effect.gen(function* () {
        const headers = yield* Auth.bearer({ token: Redacted.make(TOKEN), fedramp: false }).addAuthHeaders(
          Headers.empty
        )
        expect({ ...headers }).toEqual({ authorization: `Bearer ${TOKEN}` })
      })
    )

    it.effect("applyAuth returns the request with auth headers and everything else unchanged", () =>
      Effect.gen(function* () {
        const request = Request.withJson(
          Request.setHeader(Request.make("POST", "https://example.com/v1/responses"), "accept", "text/event-stream"),
          { a: 1 }
        )
        const authed = yield* Auth.bearer({ token: Redacted.make(TOKEN) }).applyAuth(request)
        expect(authed.url).toBe(request.url)
        expect(authed.body).toEqual(request.body)
        expect({ ...authed.headers }).toEqual({ accept: "text/event-stream", authorization: `Bearer ${TOKEN}` })
        // the input request is not mutated
        expect({ ...request.headers }).toEqual({ accept: "text/event-stream" })
      })
    )
  })

  it.effect("none adds nothing", () =>
    Effect.gen(function* () {
      const request = Request.setHeader(Request.make("GET", "https://example.com/models"), "x-a", "1")
      const authed = yield* Auth.none.applyAuth(request)
      expect({ ...authed.headers }).toEqual({ "x-a": "1" })
      expect(yield* Auth.headerTelemetry(Auth.none)).toEqual({ attached: false })
      expect(yield* Auth.headerTelemetry(Auth.bearer({ token: Redacted.make(TOKEN) }))).toEqual({
        attached: true,
        name: "authorization"
      })
    })
  )

  describe("layers", () => {
    it.effect("layerApiKeyConfig reads OPENAI_API_KEY as a bearer token", () =>
      Effect.gen(function* () {
        const auth = yield* Auth.AuthProvider
        const headers = yield* auth.addAuthHeaders(Headers.empty)
        expect(headers.authorization).toBe(`Bearer ${TOKEN}`)
      }).pipe(
        Effect.provide(
          Auth.layerApiKeyConfig.pipe(
            Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["OPENAI_API_KEY", TOKEN]]))))
          )
        )
      )
    )

    it.effect("layerApiKeyConfig fails when OPENAI_API_KEY is missing, without leaking anything", () =>
      Effect.gen(function* () {
        const exit = yield* Effect.exit(
          Auth.AuthProvider.pipe(
            Effect.provide(
              Auth.layerApiKeyConfig.pipe(Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map()))))
            )
          )
        )
        expect(exit._tag).toBe("Failure")
        if (exit._tag === "Failure") expect(Cause.pretty(exit.cause)).toContain("OPENAI_API_KEY")
      })
    )

    it.effect("layerNone provides an auth that adds nothing", () =>
      Effect.gen(function* () {
        const auth = yield* Auth.AuthProvider
        expect({ ...(yield* auth.addAuthHeaders(Headers.fromInput({ a: "b" }))) }).toEqual({ a: "b" })
      }).pipe(Effect.provide(Auth.layerNone))
    )
  })

  describe("secrets never print", () => {
    it.effect("logged auth headers are redacted under the auth layers", () => {
      const capture = captureLogs()
      return Effect.gen(function* () {
        const auth = yield* Auth.AuthProvider
        const request = yield* auth.applyAuth(Request.make("POST", "https://example.com/v1/responses"))
        yield* Effect.log("request headers", request.headers)
        yield* Effect.logError(Cause.fail(request.headers))
        const output = capture.lines.join("\n")
        expect(capture.lines.length).toBe(2)
        expect(output).not.toContain(TOKEN)
        expect(output).not.toContain(ACCOUNT)
        expect(output).toContain("<redacted>")
      }).pipe(
        Effect.provide(
          Layer.merge(Auth.layerBearer({ token: Redacted.make(TOKEN), accountId: ACCOUNT }), capture.layer)
        )
      )
    })

    it.effect("the auth service and its options do not expose the token", () =>
      Effect.sync(() => {
        const options = { token: Redacted.make(TOKEN), accountId: "a" }
        const service = Auth.bearer(options)
        for (const rendered of [
          inspect(service, { depth: 10 }),
          JSON.stringify(service),
          Inspectable.format(service),
          inspect(options, { depth: 10 }),
          JSON.stringify(options),
          String(options.token)
        ]) {
          expect(rendered).not.toContain(TOKEN)
        }
      })
    )

    it.effect("auth and transport errors do not expose the token", () =>
      Effect.sync(() => {
        const http = new TransportError.Http({
          status: 401,
          url: "https://example.com/v1/responses",
          headers: Headers.fromInput({ authorization: `Bearer ${TOKEN}`, "chatgpt-account-id": ACCOUNT }),
          body: '{"error":"unauthorized"}'
        })
        const errors: Array<unknown> = [http, new Auth.AuthBuildError({ reason: "invalid auth configuration" })]
        for (const error of errors) {
          for (const rendered of [
            JSON.stringify(error),
            Inspectable.format(error),
            Cause.pretty(Cause.fail(error)),
            String(error)
          ]) {
            expect(rendered).not.toContain(TOKEN)
            expect(rendered).not.toContain(ACCOUNT)
          }
        }
      })
    )

    it("registers the account and auth headers as redacted names", () => {
      for (const name of ["authorization", "chatgpt-account-id", "openai-organization", "openai-project", "cookie"]) {
        expect(Auth.redactedHeaderNames).toContain(name)
      }
    })
  })
})
