/**
 * zstd for request bodies where `node:zlib` does not exist (browsers, edge runtimes): the package's
 * `#zstd` import resolves here without the `node` condition, so those bundles carry neither
 * `node:zlib` nor the WebAssembly build. Compression fails, which `Request.prepareBody` reports as
 * a `TransportError.Build`; everything else works.
 * @internal
 */
import * as Effect from "effect/Effect"

const unavailable = Effect.fail(
  new Error(
    "zstd is not available in this runtime (it needs node:zlib: Node.js, Deno or Bun); send the body uncompressed"
  )
)

/** The zstd compression level used for request bodies. @internal */
export const level = 3

/** Whether the runtime's `node:zlib` provides zstd. @internal */
export const hasNative: boolean = false

/** Always fails: no zstd in this runtime. @internal */
export const compress = (_bytes: Uint8Array): Effect.Effect<Uint8Array, unknown> => unavailable

/** Always fails: no zstd in this runtime. @internal */
export const decompress = (_bytes: Uint8Array): Effect.Effect<Uint8Array, unknown> => unavailable
