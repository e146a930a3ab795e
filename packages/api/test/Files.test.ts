import * as Auth from "@codex/api/Auth"
import * as Files from "@codex/api/Files"
import * as HttpTransport from "@codex/client/HttpTransport"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as TestClock from "effect/TestClock"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as nodePath from "node:path"
import { json, type Recorded, type Reply, startServer, TOKEN } from "./utils/endpointServer.js"

const layer = Layer.mergeAll(
  HttpTransport.layerNode,
  Auth.layerBearer({ token: Redacted.make(TOKEN), accountId: "account_id" }),
  NodeFileSystem.layer
)

const tempDir: Effect.Effect<string, never, Scope.Scope> = Effect.acquireRelease(
  Effect.promise(() => fs.mkdtemp(nodePath.join(os.tmpdir(), "codex-files-"))),
  (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }))
)

const writeFile = (dir: string, name: string, contents: string | Uint8Array) =>
  Effect.promise(async () => {
    const file = nodePath.join(dir, name)
    await fs.writeFile(file, contents)
    return file
  })

/**
 * Runs the upload in a fiber and advances the TestClock in 1 s steps (with a short real pause so
 * the real HTTP round trips complete) until it finishes.
 */
const upload = (baseUrl: string, path: string) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.fork(
      Effect.flatMap(Files.make, (client) => client.uploadLocalFile(baseUrl, path)).pipe(Effect.provide(layer))
    )
    while (Option.isNone(yield* Fiber.poll(fiber))) {
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 5)))
      yield* TestClock.adjust("1 second")
    }
    return yield* Fiber.join(fiber)
  })

/** A backend at `/backend-api` with an upload endpoint at `/upload/file_123`. */
const backend = (finalize: (index: number) => Reply, overrides: Partial<Record<"create" | "put", Reply>> = {}) => {
  let finalizeCalls = 0
  return startServer((request: Recorded) => {
    if (request.method === "POST" && request.url === "/backend-api/files") {
      return overrides.create ?? json({ file_id: "file_123", upload_url: `${origin()}/upload/file_123` })
    }
    if (request.method === "PUT" && request.url === "/upload/file_123") return overrides.put ?? { status: 201 }
    if (request.method === "POST" && request.url === "/backend-api/files/file_123/uploaded") {
      return finalize(finalizeCalls++)
    }
    return { status: 404, body: "no route" }
  }).pipe(Effect.tap((server) => Effect.sync(() => (currentOrigin = server.origin))))
}
let currentOrigin = ""
const origin = () => currentOrigin

const success = json({
  status: "success",
  download_url: "https://download.example/file_123",
  file_name: "hello.txt",
  mime_type: "text/plain",
  file_size_bytes: 5
})

describe("Files", () => {
  it.scoped("upload_local_file_returns_canonical_uri (finalize retry → success, 2 calls)", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const file = yield* writeFile(dir, "hello.txt", "hello")
      const server = yield* backend((index) => (index === 0 ? json({ status: "retry" }) : success))
      const uploaded = yield* upload(`${server.origin}/backend-api/`, file)

      expect(uploaded).toEqual({
        fileId: "file_123",
        uri: "sediment://file_123",
        downloadUrl: "https://download.example/file_123",
        fileName: "hello.txt",
        fileSizeBytes: 5,
        mimeType: "text/plain",
        path: file
      })
      const [create, put, ...finalize] = server.requests
      expect(create!.method).toBe("POST")
      expect(create!.url).toBe("/backend-api/files")
      expect(create!.headers.authorization).toBe(`Bearer ${TOKEN}`)
      expect(create!.headers["chatgpt-account-id"]).toBe("account_id")
      expect(create!.headers["content-type"]).toBe("application/json")
      expect(create!.headers.accept).toBe("*/*")
      expect(create!.body.toString("utf8")).toBe('{"file_name":"hello.txt","file_size":5,"use_case":"codex"}')

      expect(put!.method).toBe("PUT")
      expect(put!.headers["x-ms-blob-type"]).toBe("BlockBlob")
      expect(put!.headers.accept).toBe("*/*")
      expect(put!.headers["content-length"]).toBe("5")
      expect(put!.headers.authorization).toBeUndefined()
      expect(put!.headers["chatgpt-account-id"]).toBeUndefined()
      expect(put!.body.toString("utf8")).toBe("hello")

      expect(finalize).toHaveLength(2)
      for (const request of finalize) {
        expect(request.body.toString("utf8")).toBe("{}")
        expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`)
      }
    })
  )

  it.scoped("finalize is polled again exactly 250 ms (test clock) after a retry answer", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const file = yield* writeFile(dir, "hello.txt", "hello")
      const server = yield* backend((index) => (index === 0 ? json({ status: "retry" }) : success))
      const fiber = yield* Effect.fork(
        Effect.flatMap(Files.make, (client) => client.uploadLocalFile(`${server.origin}/backend-api`, file)).pipe(
          Effect.provide(layer)
        )
      )
      // wait (real time) until the upload sleeps between polls (other sleeps: request timeouts)
      const now = yield* Clock.currentTimeMillis
      while (!Chunk.some(yield* TestClock.sleeps(), (wakeAt) => wakeAt === now + 250)) {
        yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 5)))
      }
      expect(server.requests).toHaveLength(3)
      yield* TestClock.adjust("249 millis")
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))
      expect(server.requests).toHaveLength(3)
      yield* TestClock.adjust("1 millis")
      const uploaded = yield* Fiber.join(fiber)
      expect(uploaded.uri).toBe("sediment://file_123")
      expect(server.requests).toHaveLength(4)
    })
  )

  it.scoped("streams a larger file byte for byte; server file name missing → local name", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const bytes = new Uint8Array(300_000).map((_, i) => (i * 31) % 251)
      const file = yield* writeFile(dir, "data.bin", bytes)
      const server = yield* backend(() => json({ status: "success", download_url: "u" }))
      const uploaded = yield* upload(`${server.origin}/backend-api`, file)
      expect(uploaded.fileName).toBe("data.bin")
      expect(uploaded.mimeType).toBeUndefined()
      expect(server.requests[1]!.headers["content-length"]).toBe("300000")
      expect(Buffer.compare(server.requests[1]!.body, Buffer.from(bytes))).toBe(0)
    })
  )

  it.scoped("finalize keeps answering retry → not ready after 30 s (TestClock)", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const file = yield* writeFile(dir, "hello.txt", "hello")
      const server = yield* backend(() => json({ status: "retry" }))
      const error = yield* Effect.flip(upload(`${server.origin}/backend-api`, file))
      expect(error.reason).toBe("UploadNotReady")
      expect(error.message).toBe("OpenAI file upload for `file_123` is not ready yet")
      const finalizeCalls = server.requests.filter((r) => r.url.endsWith("/uploaded")).length
      // polls are 250 ms apart on the (test) clock: at most 30 s / 250 ms + 1 of them
      expect(finalizeCalls).toBeGreaterThanOrEqual(2)
      expect(finalizeCalls).toBeLessThanOrEqual(121)
    })
  )

  it.scoped("finalize error status → UploadFailed with the server message or the default", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const file = yield* writeFile(dir, "hello.txt", "hello")
      const server = yield* backend((index) =>
        index === 0 ? json({ status: "failed", error_message: "virus found" }) : json({ status: "error" })
      )
      const first = yield* Effect.flip(upload(`${server.origin}/backend-api`, file))
      expect(first.message).toBe("OpenAI file upload for `file_123` failed: virus found")
      const second = yield* Effect.flip(upload(`${server.origin}/backend-api`, file))
      expect(second.message).toBe("OpenAI file upload for `file_123` failed: upload finalization returned an error")
    })
  )

  it.scoped("success without download_url → UploadFailed(missing download_url)", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const file = yield* writeFile(dir, "hello.txt", "hello")
      const server = yield* backend(() => json({ status: "success" }))
      const error = yield* Effect.flip(upload(`${server.origin}/backend-api`, file))
      expect(error.reason).toBe("UploadFailed")
      expect(error.message).toBe("OpenAI file upload for `file_123` failed: missing download_url")
    })
  )

  it.scoped("non-2xx at each step → UnexpectedStatus with url, status and body", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const file = yield* writeFile(dir, "hello.txt", "hello")

      const create = yield* backend(() => success, { create: { status: 500, body: "create broke" } })
      const createError = yield* Effect.flip(upload(`${create.origin}/backend-api`, file))
      expect(createError.reason).toBe("UnexpectedStatus")
      expect(createError.status).toBe(500)
      expect(createError.message).toBe(
        `OpenAI file request to ${create.origin}/backend-api/files failed with status 500 Internal Server Error: create broke`
      )

      const put = yield* backend(() => success, { put: { status: 403, body: "denied" } })
      const putError = yield* Effect.flip(upload(`${put.origin}/backend-api`, file))
      expect(putError.message).toBe(
        `OpenAI file request to ${put.origin}/upload/file_123 failed with status 403 Forbidden: denied`
      )
      expect(put.requests.filter((r) => r.url.endsWith("/uploaded"))).toHaveLength(0)

      const finalize = yield* backend(() => ({ status: 502, body: "gateway" }))
      const finalizeError = yield* Effect.flip(upload(`${finalize.origin}/backend-api`, file))
      expect(finalizeError.message).toBe(
        `OpenAI file request to ${finalize.origin}/backend-api/files/file_123/uploaded failed with status 502 Bad Gateway: gateway`
      )
    })
  )

  it.scoped("a create response that is not the expected JSON → Decode error naming the url", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const file = yield* writeFile(dir, "hello.txt", "hello")
      const server = yield* backend(() => success, { create: json({ file_id: "file_123" }) })
      const error = yield* Effect.flip(upload(`${server.origin}/backend-api`, file))
      expect(error.reason).toBe("Decode")
      expect(error.message).toBe(
        `failed to parse OpenAI file response from ${server.origin}/backend-api/files: missing field \`upload_url\``
      )
    })
  )

  it.scoped("local checks: missing path, directory, file too large (sparse) — nothing is sent", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const server = yield* backend(() => success)
      const base = `${server.origin}/backend-api`

      const missing = nodePath.join(dir, "nope.txt")
      const notFound = yield* Effect.flip(upload(base, missing))
      expect(notFound.reason).toBe("NotFound")
      expect(notFound.message).toBe(`path \`${missing}\` does not exist`)

      const notAFile = yield* Effect.flip(upload(base, dir))
      expect(notAFile.reason).toBe("NotAFile")
      expect(notAFile.message).toBe(`path \`${dir}\` is not a file`)

      const big = nodePath.join(dir, "big.bin")
      yield* Effect.promise(async () => {
        await fs.writeFile(big, "")
        await fs.truncate(big, Files.uploadLimitBytes + 1)
      })
      const tooLarge = yield* Effect.flip(upload(base, big))
      expect(tooLarge.reason).toBe("FileTooLarge")
      expect(tooLarge.message).toBe(
        `file \`${big}\` is too large: 536870913 bytes exceeds the limit of 536870912 bytes`
      )
      expect(server.requests).toHaveLength(0)
    })
  )
})
