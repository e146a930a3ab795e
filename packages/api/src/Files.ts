/**
 * ChatGPT file upload (`upload_local_file`): create the file (`POST {base}/files`), stream its bytes
 * to the returned upload URL (`PUT`, `x-ms-blob-type: BlockBlob`), then finalize
 * (`POST {base}/files/{id}/uploaded`, polled every 250 ms for up to 30 s). The result's `uri` is
 * `sediment://<file_id>`.
 *
 * As in the Codex CLI, this bypasses the provider (no provider headers, no retries): each request
 * only carries the auth headers (none on the upload `PUT`) and has a 60 s timeout. It still goes
 * through the {@link HttpTransport} service, and the file is streamed, never read into memory whole.
 *
 * @since 0.1.0
 */
import { HttpTransport } from "@codex/client/HttpTransport"
import * as Request from "@codex/client/Request"
import * as TransportError from "@codex/client/TransportError"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Headers from "@effect/platform/Headers"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { STATUS_CODES } from "node:http"
import { basename } from "node:path"
import { AuthProvider } from "./Auth.js"
import { describeParseError, quoteBody } from "./internal/endpointJson.js"
import { withDefaultAccept } from "./internal/headers.js"

/**
 * Largest accepted file: 512 MiB.
 *
 * @since 0.1.0
 * @category constants
 */
export const uploadLimitBytes = 536_870_912

/**
 * The prefix of the URI of an uploaded file (`sediment://`).
 *
 * @since 0.1.0
 * @category constants
 */
export const fileUriPrefix = "sediment://"

/**
 * Timeout of every request of the upload.
 *
 * @since 0.1.0
 * @category constants
 */
export const requestTimeout: Duration.Duration = Duration.seconds(60)

/**
 * How long finalization is polled while the server answers `retry`.
 *
 * @since 0.1.0
 * @category constants
 */
export const finalizeTimeout: Duration.Duration = Duration.seconds(30)

/**
 * Delay between finalization polls.
 *
 * @since 0.1.0
 * @category constants
 */
export const finalizeRetryDelay: Duration.Duration = Duration.millis(250)

/**
 * `sediment://<file_id>`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fileUri = (fileId: string): string => `${fileUriPrefix}${fileId}`

/**
 * A file uploaded with {@link uploadLocalFile}: its id, `sediment://` URI, download URL, name,
 * size, MIME type and local path.
 *
 * @since 0.1.0
 * @category models
 */
export interface UploadedOpenAiFile {
  readonly fileId: string
  /** `sediment://<fileId>`. */
  readonly uri: string
  readonly downloadUrl: string
  /** The server's file name, else the local one. */
  readonly fileName: string
  readonly fileSizeBytes: number
  readonly mimeType: string | undefined
  /** The local path that was uploaded. */
  readonly path: string
}

/**
 * Why an upload failed.
 *
 * @since 0.1.0
 * @category errors
 */
export type OpenAiFileErrorReason =
  | "NotFound"
  | "NotAFile"
  | "ReadFailed"
  | "FileTooLarge"
  | "Request"
  | "UnexpectedStatus"
  | "Decode"
  | "UploadNotReady"
  | "UploadFailed"

/**
 * An upload failure; `message` is the text the Codex CLI shows for its `reason`.
 *
 * @since 0.1.0
 * @category errors
 */
export class OpenAiFileError extends Data.TaggedError("OpenAiFileError")<{
  readonly reason: OpenAiFileErrorReason
  readonly description: string
  readonly url?: string | undefined
  readonly status?: number | undefined
  readonly body?: string | undefined
  readonly fileId?: string | undefined
  readonly cause?: unknown
}> {
  override get message(): string {
    return this.description
  }
}

/**
 * The files client: uploads local files to the ChatGPT backend so they can be referenced in
 * requests.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Uploads the file at `path` to the ChatGPT backend at `baseUrl` (e.g. `https://chatgpt.com/backend-api`). */
  readonly uploadLocalFile: (baseUrl: string, path: string) => Effect.Effect<UploadedOpenAiFile, OpenAiFileError>
}

/**
 * The files client's service tag; provide it with {@link layer}.
 *
 * @since 0.1.0
 * @category tags
 */
export class FilesClient extends Context.Tag("@codex/api/FilesClient")<FilesClient, Service>() {}

const CreateFileResponse = Schema.Struct({ file_id: Schema.String, upload_url: Schema.String })

const optionalText = Schema.optional(Schema.NullOr(Schema.String))

const DownloadLinkResponse = Schema.Struct({
  status: Schema.String,
  download_url: optionalText,
  file_name: optionalText,
  mime_type: optionalText,
  error_message: optionalText
})

const statusText = (status: number): string => {
  const phrase = STATUS_CODES[status]
  return phrase === undefined ? String(status) : `${status} ${phrase}`
}

const requestErrorClass = (error: TransportError.TransportError): string => {
  switch (error._tag) {
    case "Timeout":
      return "timeout"
    case "Network":
      return "network"
    case "Build":
      return "request"
    default:
      return "unknown"
  }
}

const fromTransportError = (url: string, error: TransportError.TransportError): OpenAiFileError =>
  error._tag === "Http"
    ? new OpenAiFileError({
        reason: "UnexpectedStatus",
        description: `OpenAI file request to ${url} failed with status ${statusText(error.status)}: ${quoteBody(error.body ?? "")}`,
        url,
        status: error.status,
        body: error.body,
        cause: error
      })
    : new OpenAiFileError({
        reason: "Request",
        description: `failed to send OpenAI file request to ${url} (${requestErrorClass(error)}): ${error.message}`,
        url,
        cause: error
      })

const textDecoder = new TextDecoder()

const decodeJson = <A, I>(schema: Schema.Schema<A, I, never>, url: string, body: Uint8Array) =>
  Effect.suspend(() => {
    const text = textDecoder.decode(body)
    const fail = (problem: string, cause: unknown) =>
      Effect.fail(
        new OpenAiFileError({
          reason: "Decode",
          description: `failed to parse OpenAI file response from ${url}: ${problem}`,
          url,
          body: quoteBody(text),
          cause
        })
      )
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (cause) {
      return fail(`invalid JSON (${(cause as Error).message})`, cause)
    }
    const decoded = ParseResult.decodeUnknownEither(schema, { errors: "first", exact: true })(json)
    if (Either.isRight(decoded)) return Effect.succeed(decoded.right)
    const error = new ParseResult.ParseError({ issue: decoded.left })
    return fail(describeParseError(error), error)
  })

const uploadLocalFile = (
  baseUrl: string,
  path: string
): Effect.Effect<UploadedOpenAiFile, OpenAiFileError, HttpTransport | AuthProvider | FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const transport = yield* HttpTransport
    const auth = yield* AuthProvider

    // 1. local checks
    const info = yield* fs.stat(path).pipe(
      Effect.mapError((error) =>
        error._tag === "SystemError" && error.reason === "NotFound"
          ? new OpenAiFileError({ reason: "NotFound", description: `path \`${path}\` does not exist`, cause: error })
          : new OpenAiFileError({
              reason: "ReadFailed",
              description: `failed to read file \`${path}\`: ${error.message}`,
              cause: error
            })
      )
    )
    if (info.type !== "File") {
      return yield* new OpenAiFileError({ reason: "NotAFile", description: `path \`${path}\` is not a file` })
    }
    const size = Number(info.size)
    if (size > uploadLimitBytes) {
      return yield* new OpenAiFileError({
        reason: "FileTooLarge",
        description: `file \`${path}\` is too large: ${size} bytes exceeds the limit of ${uploadLimitBytes} bytes`
      })
    }
    const localName = basename(path)
    const fileName = localName.length > 0 ? localName : "file"

    const send = (request: Request.Request) =>
      transport
        .execute(Request.withTimeout({ ...request, headers: withDefaultAccept(request.headers) }, requestTimeout))
        .pipe(Effect.mapError((error) => fromTransportError(request.url, error)))

    const authorized = (url: string, body: unknown) =>
      auth.addAuthHeaders(Headers.empty).pipe(
        Effect.mapError(
          (error) =>
            new OpenAiFileError({
              reason: "Request",
              description: `failed to send OpenAI file request to ${url} (auth): ${error.message}`,
              url,
              cause: error
            })
        ),
        Effect.map((headers) => Request.withJson({ ...Request.make("POST", url), headers }, body))
      )

    const root = baseUrl.replace(/\/+$/, "")

    // 2. create
    const createUrl = `${root}/files`
    const createRequest = yield* authorized(createUrl, { file_name: fileName, file_size: size, use_case: "codex" })
    const created = yield* send(createRequest).pipe(
      Effect.flatMap((response) => decodeJson(CreateFileResponse, createUrl, response.body))
    )

    // 3. upload, streamed
    const contents = fs
      .stream(path, { bytesToRead: size })
      .pipe(
        Stream.mapError(
          (error) =>
            new TransportError.Network({ reason: `failed to read file \`${path}\`: ${error.message}`, cause: error })
        )
      )
    yield* send({
      ...Request.setHeader(Request.make("PUT", created.upload_url), "x-ms-blob-type", "BlockBlob"),
      body: { _tag: "Stream", stream: contents, contentLength: size }
    })

    // 4. finalize, polled while the server says `retry`
    const finalizeUrl = `${root}/files/${created.file_id}/uploaded`
    const startedAt = yield* Clock.currentTimeMillis
    while (true) {
      const request = yield* authorized(finalizeUrl, {})
      const payload = yield* send(request).pipe(
        Effect.flatMap((response) => decodeJson(DownloadLinkResponse, finalizeUrl, response.body))
      )
      if (payload.status === "success") {
        if (payload.download_url == null) {
          return yield* new OpenAiFileError({
            reason: "UploadFailed",
            description: `OpenAI file upload for \`${created.file_id}\` failed: missing download_url`,
            fileId: created.file_id
          })
        }
        return {
          fileId: created.file_id,
          uri: fileUri(created.file_id),
          downloadUrl: payload.download_url,
          fileName: payload.file_name ?? fileName,
          fileSizeBytes: size,
          mimeType: payload.mime_type ?? undefined,
          path
        } satisfies UploadedOpenAiFile
      }
      if (payload.status !== "retry") {
        return yield* new OpenAiFileError({
          reason: "UploadFailed",
          description: `OpenAI file upload for \`${created.file_id}\` failed: ${payload.error_message ?? "upload finalization returned an error"}`,
          fileId: created.file_id
        })
      }
      const now = yield* Clock.currentTimeMillis
      if (now - startedAt >= Duration.toMillis(finalizeTimeout)) {
        return yield* new OpenAiFileError({
          reason: "UploadNotReady",
          description: `OpenAI file upload for \`${created.file_id}\` is not ready yet`,
          fileId: created.file_id
        })
      }
      yield* Effect.sleep(finalizeRetryDelay)
    }
  }).pipe(Effect.withSpan("files.upload_local_file"))

/**
 * Builds the client from the transport, auth and file system in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, HttpTransport | AuthProvider | FileSystem.FileSystem> = Effect.map(
  Effect.context<HttpTransport | AuthProvider | FileSystem.FileSystem>(),
  (context) =>
    FilesClient.of({
      uploadLocalFile: (baseUrl, path) => Effect.provide(uploadLocalFile(baseUrl, path), context)
    })
)

/**
 * A layer providing the {@link FilesClient}, from the transport, auth and a `FileSystem`.
 *
 * @example
 * ```ts
 * import * as Auth from "@codex/api/Auth"
 * import * as Files from "@codex/api/Files"
 * import * as HttpTransport from "@codex/client/HttpTransport"
 * import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
 * import { Effect, Layer, Redacted } from "effect"
 *
 * // Upload a local file to the ChatGPT backend and get the URI to reference it by.
 * const program = Effect.gen(function* () {
 *   const files = yield* Files.FilesClient
 *   const uploaded = yield* files.uploadLocalFile("https://chatgpt.com/backend-api", "./report.pdf")
 *   return uploaded.uri // sediment://<file id>
 * })
 *
 * export const main = program.pipe(
 *   Effect.provide(
 *     Files.layer.pipe(
 *       Layer.provide(
 *         Layer.mergeAll(
 *           Auth.layerBearer({ token: Redacted.make("<access token>") }),
 *           HttpTransport.layerNode,
 *           NodeFileSystem.layer
 *         )
 *       )
 *     )
 *   )
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<FilesClient, never, HttpTransport | AuthProvider | FileSystem.FileSystem> =
  Layer.effect(FilesClient, make)
