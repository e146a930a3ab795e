import * as util from "node:util"
import * as Headers from "@effect/platform/Headers"
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Logger from "effect/Logger"
import * as TransportError from "../src/TransportError.js"

const secrets = {
  authorization: "Bearer sk-SECRET-AUTH",
  cookie: "session=SECRET-COOKIE",
  "set-cookie": "cf_clearance=SECRET-SET-COOKIE",
  "api-key": "SECRET-API-KEY",
  "x-api-key": "SECRET-X-API-KEY",
  "proxy-authorization": "Basic SECRET-PROXY",
  "chatgpt-account-id": "SECRET-ACCOUNT"
}
const secretValues = Object.values(secrets)

const httpError = () =>
  new TransportError.Http({
    status: 401,
    url: "https://api.example.test/v1/responses",
    headers: Headers.fromInput({ ...secrets, "x-request-id": "req-123", "Retry-After": "3" }),
    body: '{"error":"unauthorized"}'
  })

const expectNoSecret = (label: string, output: string) => {
  for (const secret of secretValues) {
    expect(output.includes(secret), `${label} leaks ${secret}:\n${output}`).toBe(false)
  }
}

/** Runs `effect` with a logger that appends every formatted line to `lines`. */
const captureLogs = (lines: Array<string>, logger: Logger.Logger<unknown, string>) =>
  Logger.replace(
    Logger.defaultLogger,
    Logger.map(logger, (line) => {
      lines.push(line)
    })
  )

describe("TransportError display strings", () => {
  it("matches the reference crate", () => {
    expect(httpError().message).toBe('http 401: Some("{\\"error\\":\\"unauthorized\\"}")')
    expect(new TransportError.Http({ status: 502 }).message).toBe("http 502: None")
    expect(new TransportError.Http({ status: 500, body: 'a\nb\t"c"' }).message).toBe(
      'http 500: Some("a\\nb\\t\\"c\\"")'
    )
    expect(new TransportError.RetryLimit().message).toBe("retry limit reached")
    expect(new TransportError.Timeout().message).toBe("timeout")
    expect(new TransportError.Network({ reason: "connection reset" }).message).toBe("network error: connection reset")
    expect(new TransportError.Build({ reason: "bad body" }).message).toBe("request build error: bad body")
  })

  it("keeps what the server said and looks headers up case-insensitively", () => {
    const error = httpError()
    expect(error.status).toBe(401)
    expect(error.url).toBe("https://api.example.test/v1/responses")
    expect(error.body).toBe('{"error":"unauthorized"}')
    expect(error.header("X-Request-Id")).toBe("req-123")
    expect(error.header("retry-after")).toBe("3")
    // the values stay available to code (e.g. a cookie jar), only displays are redacted
    expect(error.header("Authorization")).toBe(secrets.authorization)
    expect(TransportError.isTransportError(error)).toBe(true)
    expect(TransportError.isTransportError(new Error("x"))).toBe(false)
  })
})

describe("TransportError secret redaction", () => {
  it("String, message, JSON.stringify and util.inspect never show secret header values", () => {
    const error = httpError()
    expectNoSecret("String", String(error))
    expectNoSecret("message", error.message)
    expectNoSecret("JSON.stringify", JSON.stringify(error))
    expectNoSecret("inspect", util.inspect(error))
    expectNoSecret("inspect deep/hidden", util.inspect(error, { depth: Infinity, showHidden: true }))
    expectNoSecret("inspect headers", util.inspect(error.headers, { showHidden: true }))
    expectNoSecret("JSON headers", JSON.stringify(error.headers))
    expectNoSecret("format", Inspectable.format(error))
    expectNoSecret("toString of toJSON", Inspectable.toStringUnknown(error.toJSON()))
    // ... while the non-secret fields are still shown
    const inspected = util.inspect(error)
    expect(inspected).toContain("req-123")
    expect(inspected).toContain("<redacted>")
    expect(inspected).toContain("http 401")
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      _tag: "Http",
      status: 401,
      headers: { authorization: "<redacted>", "x-request-id": "req-123" }
    })
  })

  it("Cause.pretty of a failure, a defect and a nested cause never shows secret header values", () => {
    const error = httpError()
    for (const cause of [
      Cause.fail(error),
      Cause.die(error),
      Cause.sequential(Cause.fail(error), Cause.die(new Error("wrapped", { cause: error })))
    ]) {
      const pretty = Cause.pretty(cause, { renderErrorCause: true })
      expectNoSecret("Cause.pretty", pretty)
      expect(pretty).toContain("http 401")
    }
  })

  it.effect("Effect loggers never show secret header values of errors or causes", () =>
    Effect.gen(function* () {
      const lines: Array<string> = []
      const error = httpError()
      for (const logger of [Logger.logfmtLogger, Logger.jsonLogger, Logger.stringLogger]) {
        yield* Effect.logError("request failed", error).pipe(Effect.provide(captureLogs(lines, logger)))
        yield* Effect.logError(Cause.fail(error)).pipe(Effect.provide(captureLogs(lines, logger)))
        yield* Effect.fail(error).pipe(
          Effect.tapErrorCause((cause) => Effect.logWarning("attempt failed", cause)),
          Effect.ignore,
          Effect.provide(captureLogs(lines, logger))
        )
      }
      expect(lines.length).toBe(9)
      for (const line of lines) expectNoSecret("log line", line)
      expect(lines.some((line) => line.includes("http 401"))).toBe(true)
    })
  )

  it.effect("request headers logged in the program are redacted with layerRedactSecretHeaders", () =>
    Effect.gen(function* () {
      const requestHeaders = Headers.fromInput(secrets)
      const lines: Array<string> = []
      yield* Effect.log("sending", requestHeaders).pipe(
        Effect.provide(captureLogs(lines, Logger.logfmtLogger)),
        Effect.provide(TransportError.layerRedactSecretHeaders)
      )
      yield* Effect.log("sending", requestHeaders).pipe(
        TransportError.withSecretHeadersRedacted,
        Effect.provide(captureLogs(lines, Logger.jsonLogger))
      )
      expect(lines).toHaveLength(2)
      for (const line of lines) expectNoSecret("request headers", line)
      expect(lines[0]).toContain("<redacted>")
      // without the extension, the platform default misses e.g. `api-key` (Azure) and `chatgpt-account-id`
      const plain: Array<string> = []
      yield* Effect.log("sending", requestHeaders).pipe(Effect.provide(captureLogs(plain, Logger.logfmtLogger)))
      expect(plain[0]).toContain(secrets["api-key"])
      expect(plain[0]).not.toContain(secrets.authorization)
    })
  )
})
