/**
 * JSON edges of the unary endpoints: encode a typed body with its Schema (canonical key order,
 * absent optional keys omitted) and decode a response body once, turning every failure into an
 * `ApiError.Stream` with the reference message prefix plus a bounded quote of what the server sent.
 * @internal
 */
import { ReasoningContext, ReasoningEffort, ReasoningSummary } from "@codex/protocol/Reasoning"
import * as Effect from "effect/Effect"
import type * as AST from "effect/SchemaAST"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as ApiError from "../ApiError.js"

/** How much of a bad response body an error message quotes. @internal */
export const maxQuotedBodyChars = 1024

const textDecoder = new TextDecoder()

/** The body as text, cut at {@link maxQuotedBodyChars} characters. @internal */
export const quoteBody = (body: Uint8Array | string): string => {
  const text = typeof body === "string" ? body : textDecoder.decode(body)
  if (text.length <= maxQuotedBodyChars) return text
  return `${text.slice(0, maxQuotedBodyChars)}… (${text.length} chars total)`
}

const pathToString = (path: ReadonlyArray<PropertyKey>): string =>
  path
    .map((key, index) => (typeof key === "number" ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`))
    .join("")

/**
 * A short, serde-like description of the first decode problem: `missing field \`data\`` for a
 * missing key (with its path when nested), otherwise the Schema message and path.
 * @internal
 */
export const describeParseError = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const first = issues[0]
  if (first === undefined) return error.message
  const path = first.path
  if (first._tag === "Missing" && path.length > 0) {
    const field = `missing field \`${String(path[path.length - 1])}\``
    return path.length === 1 ? field : `${field} at ${pathToString(path.slice(0, -1))}`
  }
  return path.length === 0 ? first.message : `${first.message} at ${pathToString(path)}`
}

/**
 * Parses `body` as JSON and decodes it with `schema`. Failures:
 * `failed to decode <what> response: <problem>; body: <first KiB of the body>`.
 * @internal
 */
export const decodeResponse = <A, I>(
  schema: Schema.Schema<A, I, never>,
  what: string,
  body: Uint8Array,
  options?: AST.ParseOptions
): Effect.Effect<A, ApiError.Stream> =>
  Effect.suspend(() => {
    const text = textDecoder.decode(body)
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (cause) {
      return Effect.fail(
        ApiError.stream(
          `failed to decode ${what} response: invalid JSON (${(cause as Error).message}); body: ${quoteBody(text)}`,
          cause
        )
      )
    }
    const decoded = ParseResult.decodeUnknownEither(schema, { errors: "first", exact: true, ...options })(json)
    if (Either.isRight(decoded)) return Effect.succeed(decoded.right)
    const error = new ParseResult.ParseError({ issue: decoded.left })
    return Effect.fail(
      ApiError.stream(
        `failed to decode ${what} response: ${describeParseError(error)}; body: ${quoteBody(text)}`,
        error
      )
    )
  })

/**
 * Encodes a typed request body with `schema` into a plain JSON value.
 * Failures: `failed to encode <what>: <problem>`.
 * @internal
 */
export const encodeBody = <A, I>(
  schema: Schema.Schema<A, I, never>,
  what: string,
  value: A
): Effect.Effect<I, ApiError.Stream> =>
  Effect.suspend(() => {
    const encoded = ParseResult.encodeEither(schema, { errors: "first" })(value)
    if (Either.isRight(encoded)) return Effect.succeed(encoded.right)
    const error = new ParseResult.ParseError({ issue: encoded.left })
    return Effect.fail(ApiError.stream(`failed to encode ${what}: ${describeParseError(error)}`, error))
  })

/**
 * `{ effort?, summary?, context? }`, the reasoning controls several bodies share.
 * @internal
 */
export const Reasoning = Schema.Struct({
  effort: Schema.optional(ReasoningEffort),
  summary: Schema.optional(ReasoningSummary),
  context: Schema.optional(ReasoningContext)
})
