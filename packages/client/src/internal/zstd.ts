/**
 * zstd for request bodies. `node:zlib` has zstd only from Node 22.15; on older runtimes (Node 20)
 * the WebAssembly build of `@bokuweb/zstd-wasm` is loaded once, lazily, on first use.
 * @internal
 */
import * as zlib from "node:zlib"
import * as Effect from "effect/Effect"

type ZlibZstd = {
  readonly zstdCompressSync: (buf: Uint8Array, options?: { params?: Record<number, number> }) => Uint8Array
  readonly zstdDecompressSync: (buf: Uint8Array) => Uint8Array
  readonly constants: Record<string, number>
}

const nativeZstd: ZlibZstd | undefined =
  typeof (zlib as unknown as Partial<ZlibZstd>).zstdCompressSync === "function" &&
  typeof (zlib as unknown as Partial<ZlibZstd>).zstdDecompressSync === "function"
    ? (zlib as unknown as ZlibZstd)
    : undefined

type WasmZstd = typeof import("@bokuweb/zstd-wasm")

let wasm: Promise<WasmZstd> | undefined

const loadWasm = (): Promise<WasmZstd> => {
  if (wasm === undefined) {
    wasm = import("@bokuweb/zstd-wasm").then(async (mod) => {
      // The package is CommonJS; depending on the loader the API is on the namespace or `default`.
      const api = ((mod as unknown as { default?: WasmZstd }).default ?? mod) as WasmZstd
      await api.init()
      return api
    })
    // A failed init must not poison every later call.
    wasm.catch(() => {
      wasm = undefined
    })
  }
  return wasm
}

/** The zstd compression level used for request bodies (as in the Codex CLI). @internal */
export const level = 3

/** Whether the runtime's `node:zlib` provides zstd. @internal */
export const hasNative: boolean = nativeZstd !== undefined

/** Compresses `bytes` with zstd at level 3. @internal */
export const compress = (bytes: Uint8Array): Effect.Effect<Uint8Array, unknown> => {
  if (nativeZstd !== undefined) {
    const zstd = nativeZstd
    const levelParam = zstd.constants["ZSTD_c_compressionLevel"] ?? 100
    return Effect.try(() => {
      const out = zstd.zstdCompressSync(bytes, { params: { [levelParam]: level } })
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
    })
  }
  return Effect.tryPromise(async () => (await loadWasm()).compress(bytes, level))
}

/** Decompresses a zstd frame (used by tests to check what went on the wire). @internal */
export const decompress = (bytes: Uint8Array): Effect.Effect<Uint8Array, unknown> => {
  if (nativeZstd !== undefined) {
    const zstd = nativeZstd
    return Effect.try(() => {
      const out = zstd.zstdDecompressSync(bytes)
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
    })
  }
  return Effect.tryPromise(async () => (await loadWasm()).decompress(bytes))
}
