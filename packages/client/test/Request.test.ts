import * as Headers from "@effect/platform/Headers"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { pipe } from "effect/Function"
import * as Stream from "effect/Stream"
import * as zstd from "../src/internal/zstd.js"
import * as Request from "../src/Request.js"
import * as TransportError from "../src/TransportError.js"

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes)

const bodyBytes = (prepared: Request.PreparedBody): Uint8Array => {
  if (prepared.body?._tag !== "Bytes") throw new Error("expected a bytes body")
  return prepared.body.bytes
}

const buildError = (exit: Exit.Exit<unknown, TransportError.Build>): TransportError.Build => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const failure = exit.cause._tag === "Fail" ? exit.cause.error : undefined
  if (failure === undefined) throw new Error("expected a typed failure")
  return failure
}

describe("Request.prepareBody", () => {
  // spec 123: prepare_body_for_send_serializes_json_and_sets_content_type
  it.effect("serializes JSON compactly, sets content-type and leaves the request untouched", () =>
    Effect.gen(function* () {
      const request = Request.withJson(Request.make("POST", "http://example.test/v1"), { model: "test-model" })
      const prepared = yield* Request.prepareBody(request)
      expect(text(bodyBytes(prepared))).toBe('{"model":"test-model"}')
      expect(prepared.headers["content-type"]).toBe("application/json")
      expect(prepared.headers["content-encoding"]).toBeUndefined()
      expect(request.headers["content-type"]).toBeUndefined()
      expect(request.body).toEqual({ _tag: "Json", value: { model: "test-model" } })
    })
  )

  // spec 124: prepare_body_for_send_rejects_existing_content_encoding_when_compressing
  it.effect("rejects zstd compression when content-encoding is already set", () =>
    Effect.gen(function* () {
      const request = pipe(
        Request.make("POST", "http://example.test/v1"),
        (r) => Request.withJson(r, { model: "test-model" }),
        (r) => Request.setHeader(r, "Content-Encoding", "gzip"),
        (r) => Request.withCompression(r, "zstd")
      )
      const error = buildError(yield* Effect.exit(Request.prepareBody(request)))
      expect(error).toBeInstanceOf(TransportError.Build)
      expect(error.reason).toBe("request compression was requested but content-encoding is already set")
      expect(error.message).toBe(
        "request build error: request compression was requested but content-encoding is already set"
      )
    })
  )

  it.effect("rejects compression of raw bodies", () =>
    Effect.gen(function* () {
      const raw = Request.withCompression(
        Request.withRawBody(Request.make("POST", "http://example.test/raw"), new Uint8Array([1, 2, 3])),
        "zstd"
      )
      expect(buildError(yield* Effect.exit(Request.prepareBody(raw))).reason).toBe(
        "request compression cannot be used with raw bodies"
      )
      const streamed: Request.Request = {
        ...Request.make("POST", "http://example.test/raw"),
        body: { _tag: "Stream", stream: Stream.make(new Uint8Array([1])) },
        compression: "zstd"
      }
      expect(buildError(yield* Effect.exit(Request.prepareBody(streamed))).reason).toBe(
        "request compression cannot be used with raw bodies"
      )
    })
  )

  it.effect("sends raw bodies as-is without a content type", () =>
    Effect.gen(function* () {
      const bytes = new Uint8Array([0, 255, 7])
      const prepared = yield* Request.prepareBody(Request.withRawBody(Request.make("PUT", "http://x.test/"), bytes))
      expect(bodyBytes(prepared)).toBe(bytes)
      expect(prepared.headers["content-type"]).toBeUndefined()
    })
  )

  it.effect("compresses JSON with zstd (round trip) and sets content-encoding", () =>
    Effect.gen(function* () {
      const value = { model: "test-model", input: "x".repeat(4096), n: [1, 2, 3] }
      const request = Request.withCompression(Request.withJson(Request.make("POST", "http://x.test/"), value), "zstd")
      const prepared = yield* Request.prepareBody(request)
      const compressed = bodyBytes(prepared)
      // zstd frame magic number 0xFD2FB528 (little endian)
      expect(Array.from(compressed.subarray(0, 4))).toEqual([0x28, 0xb5, 0x2f, 0xfd])
      expect(compressed.byteLength).toBeLessThan(JSON.stringify(value).length)
      expect(prepared.headers["content-encoding"]).toBe("zstd")
      expect(prepared.headers["content-type"]).toBe("application/json")
      expect(text(yield* zstd.decompress(compressed))).toBe(JSON.stringify(value))
    })
  )

  it.effect("keeps a caller-provided content type", () =>
    Effect.gen(function* () {
      const request = Request.setHeaders(Request.withJson(Request.make("POST", "http://x.test/"), [1]), {
        "Content-Type": "application/vnd.custom+json"
      })
      const prepared = yield* Request.prepareBody(request)
      expect(prepared.headers["content-type"]).toBe("application/vnd.custom+json")
      expect(Object.keys(prepared.headers).filter((k) => k === "content-type")).toHaveLength(1)
    })
  )

  it.effect("a request without a body keeps its headers", () =>
    Effect.gen(function* () {
      const request = Request.setHeader(Request.make("GET", "http://x.test/"), "accept", "text/event-stream")
      const prepared = yield* Request.prepareBody(request)
      expect(prepared.body).toBeUndefined()
      expect(prepared.headers).toEqual(Headers.fromInput({ accept: "text/event-stream" }))
    })
  )

  it.effect("a value JSON cannot encode is a Build error", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(Request.prepareBody(Request.withJson(Request.make("POST", "http://x/"), 1n)))
      expect(buildError(exit).reason).toMatch(/^failed to serialize JSON body/)
    })
  )
})

describe("Request.validateHeaders", () => {
  const reasonOf = (headers: Headers.Input) => buildError(Effect.runSyncExit(Request.validateHeaders(headers))).reason

  it("accepts tokens for names and tab, space, visible ASCII and Latin-1 in values", () => {
    expect(
      Exit.isSuccess(
        Effect.runSyncExit(
          Request.validateHeaders({ "x-ok_1.~": "a\tb c!~\u00e9\u00ff", authorization: "Bearer sk-abc", empty: "" })
        )
      )
    ).toBe(true)
    expect(Exit.isSuccess(Effect.runSyncExit(Request.validateHeaders([["x-pair", "v"]])))).toBe(true)
  })

  it.each([
    ["CR", "Bearer abc\r", "a line break (CR or LF)"],
    ["LF", "Bearer abc\nx-injected: 1", "a line break (CR or LF)"],
    ["NUL", "abc\0", "a NUL character"],
    ["a non-Latin-1 character", "caf\u00e9 \u2603", "a character outside Latin-1"],
    ["another control character", "a\u0007b", "a control character"]
  ])("a value with %s is a Build error naming the header, never its value", (_, value, what) => {
    const reason = reasonOf({ "x-secret-token": value })
    expect(reason).toBe(`invalid value for header "x-secret-token": it contains ${what}`)
    expect(reason).not.toContain("abc")
  })

  it.each([["x bad"], ["x:bad"], ["x\r\nbad"], ["caf\u00e9"], [""]])("the name %j is a Build error", (name) => {
    expect(reasonOf([[name, "v"]])).toBe(`invalid header name ${JSON.stringify(name)}`)
  })
})

describe("Request.validateUrl", () => {
  const reasonOf = (url: string) => buildError(Effect.runSyncExit(Request.validateUrl(url))).reason

  it("accepts absolute http(s) URLs with a host", () => {
    for (const url of ["http://127.0.0.1:8080/v1", "https://api.openai.com/v1/responses?a=b", "HTTPS://H/x"]) {
      expect(Exit.isSuccess(Effect.runSyncExit(Request.validateUrl(url)))).toBe(true)
    }
    expect(Exit.isSuccess(Effect.runSyncExit(Request.validateUrl("wss://h/v1", ["ws:", "wss:"])))).toBe(true)
  })

  it.each([
    ["ftp://h/v1", 'unsupported URL scheme "ftp:"'],
    ["file:///etc/passwd", 'unsupported URL scheme "file:"'],
    ["javascript:alert(1)", 'unsupported URL scheme "javascript:"'],
    ["ws://h/v1", 'unsupported URL scheme "ws:"'],
    ["mailto:a@b.c", 'unsupported URL scheme "mailto:"'],
    ["http://", "URL has no host"],
    ["http:///responses", "URL has no host"],
    ["http:/responses", "URL has no host"],
    ["http:responses", "URL has no host"],
    ["http://user:pw@/responses", "URL has no host"],
    ["http://h/v1#frag/responses", "URL has a fragment"],
    ["not a url", "not an absolute URL"],
    ["http://[::1/v1", "invalid URL"]
  ])("%s is a Build error", (url, expected) => {
    expect(reasonOf(url)).toContain(expected)
  })

  it("shows the URL with its credentials redacted", () => {
    const reason = reasonOf("ftp://user:s3cret-pw@h/v1")
    expect(reason).toContain("ftp://<redacted>@h/v1")
    expect(reason).not.toContain("s3cret-pw")
  })
})

describe("Request.redactUrl", () => {
  it.each([
    ["http://user:s3cret-pw@127.0.0.1:9/v1", "http://<redacted>@127.0.0.1:9/v1"],
    ["http://token@h/v1", "http://<redacted>@h/v1"],
    ["https://u:p@ss@h/x?y=1", "https://<redacted>@h/x?y=1"],
    ["http:user:s3cret-pw@h/v1", "http://<redacted>@h/v1"],
    ["POST to http://u:s3cret-pw@h/v1/responses: {}", "POST to http://<redacted>@h/v1/responses: {}"],
    ["proxy http://a:b@p:8080 and wss://c:d@q/", "proxy http://<redacted>@p:8080 and wss://<redacted>@q/"]
  ])("%s → %s", (input, expected) => {
    expect(Request.redactUrl(input)).toBe(expected)
  })

  it("leaves URLs without credentials unchanged", () => {
    for (const url of ["https://api.openai.com/v1", "http://h/a@b", "mailto:a@b.c", "http://h/?q=a@b"]) {
      expect(Request.redactUrl(url)).toBe(url)
    }
  })
})
