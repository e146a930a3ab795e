/**
 * Custom CA bundles for Node: `CODEX_CA_CERTIFICATE` (wins) or `SSL_CERT_FILE` names a PEM file
 * whose certificates are trusted in addition to the system roots, for both HTTPS and WebSocket
 * TLS. Error texts match the Codex CLI's, including its hint.
 *
 * @since 0.1.0
 */
import * as crypto from "node:crypto"
import * as fs from "node:fs/promises"
import * as tls from "node:tls"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"

/**
 * Appended to every CA error caused by the bundle.
 *
 * @since 0.1.0
 * @category constants
 */
export const hint =
  "If you set CODEX_CA_CERTIFICATE or SSL_CERT_FILE, ensure it points to a PEM file containing one or more CERTIFICATE blocks, or unset it to use system roots."

/**
 * The environment variables that select a bundle, in priority order.
 *
 * @since 0.1.0
 * @category models
 */
export type EnvVar = "CODEX_CA_CERTIFICATE" | "SSL_CERT_FILE"

/**
 * Which CA bundle is used: its path and the environment variable that named it.
 *
 * @since 0.1.0
 * @category models
 */
export interface CaSelection {
  readonly path: string
  readonly envVar: EnvVar
}

/**
 * A loaded bundle: the certificates as normalized PEM `CERTIFICATE` blocks (what Node's `ca` takes).
 *
 * @since 0.1.0
 * @category models
 */
export interface CaBundle extends CaSelection {
  readonly certificates: ReadonlyArray<string>
}

/**
 * Why loading the CA bundle (or building a client with it) failed.
 *
 * @since 0.1.0
 * @category errors
 */
export class CustomCaError extends Data.TaggedError("CustomCaError")<{
  readonly reason:
    | "ReadCaFile"
    | "InvalidCaFile"
    | "ParseCertificate"
    | "BuildClientWithCustomCa"
    | "BuildClientWithSystemRoots"
  readonly path?: string | undefined
  readonly envVar?: EnvVar | undefined
  /** 1-based certificate number for `ParseCertificate`. */
  readonly index?: number | undefined
  readonly detail: string
  readonly cause?: unknown
}> {
  override get message(): string {
    switch (this.reason) {
      case "ReadCaFile":
        return `Failed to read CA certificate file ${this.path} selected by ${this.envVar}: ${this.detail}. ${hint}`
      case "InvalidCaFile":
        return `Failed to load CA certificates from ${this.path} selected by ${this.envVar}: ${this.detail}. ${hint}`
      case "ParseCertificate":
        return `Failed to parse certificate #${this.index} from ${this.path} selected by ${this.envVar}: ${this.detail}. ${hint}`
      case "BuildClientWithCustomCa":
        return `Failed to build HTTP client while using CA bundle from ${this.envVar} (${this.path}): ${this.detail}. ${hint}`
      default:
        return `Failed to build HTTP client while using system root certificates: ${this.detail}`
    }
  }
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value === "" ? undefined : value

/**
 * `CODEX_CA_CERTIFICATE` wins over `SSL_CERT_FILE`; empty values count as unset.
 *
 * @since 0.1.0
 * @category selection
 */
export const selectCaPath = (env: Readonly<Record<string, string | undefined>>): CaSelection | undefined => {
  const codex = nonEmpty(env.CODEX_CA_CERTIFICATE)
  if (codex !== undefined) return { path: codex, envVar: "CODEX_CA_CERTIFICATE" }
  const ssl = nonEmpty(env.SSL_CERT_FILE)
  return ssl === undefined ? undefined : { path: ssl, envVar: "SSL_CERT_FILE" }
}

/**
 * {@link selectCaPath} read through `Config` (so tests and apps can swap the `ConfigProvider`).
 *
 * @since 0.1.0
 * @category selection
 */
export const config: Config.Config<Option.Option<CaSelection>> = Config.all({
  codex: Config.option(Config.string("CODEX_CA_CERTIFICATE")),
  ssl: Config.option(Config.string("SSL_CERT_FILE"))
}).pipe(
  Config.map(({ codex, ssl }) =>
    Option.fromNullable(
      selectCaPath({ CODEX_CA_CERTIFICATE: Option.getOrUndefined(codex), SSL_CERT_FILE: Option.getOrUndefined(ssl) })
    )
  )
)

// ---------------------------------------------------------------------------------------------
// PEM
// ---------------------------------------------------------------------------------------------

const beginRe = /^-----BEGIN ([^-]+)-----$/
const endRe = /^-----END ([^-]+)-----$/
const base64Re = /^[A-Za-z0-9+/]*={0,2}$/

/**
 * Length of the first DER object (header + content), or `undefined` when the header is invalid or
 * runs past the data. Used to trim OpenSSL's trailing `X509_AUX` from `TRUSTED CERTIFICATE`s.
 */
const firstDerObjectLength = (der: Uint8Array): number | undefined => {
  if (der.length < 2) return undefined
  const first = der[1] as number
  let length: number
  let header: number
  if (first < 0x80) {
    length = first
    header = 2
  } else {
    const octets = first & 0x7f
    if (octets === 0 || octets > 4 || der.length < 2 + octets) return undefined
    length = 0
    for (let i = 0; i < octets; i++) length = length * 256 + (der[2 + i] as number)
    header = 2 + octets
  }
  const total = header + length
  return total > der.length ? undefined : total
}

/**
 * Extracts the certificates (DER) of a PEM bundle: `CERTIFICATE` blocks as is, `TRUSTED CERTIFICATE`
 * blocks trimmed to their first DER object, `X509 CRL` (and other) blocks skipped after their
 * base64 is checked. Left = the detail text the Codex CLI shows.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parsePem = (text: string): Either.Either<ReadonlyArray<Uint8Array>, string> => {
  const certificates: Array<Uint8Array> = []
  const lines = text.split(/\r?\n|\r/)
  let label: string | undefined
  let body: Array<string> = []
  for (const raw of lines) {
    const line = raw.trim()
    if (label === undefined) {
      const begin = beginRe.exec(line)
      if (begin !== null) {
        label = begin[1] as string
        body = []
      }
      continue
    }
    const end = endRe.exec(line)
    if (end === null) {
      if (beginRe.test(line)) return Either.left(`failed to parse PEM file: illegal section start in ${label} section`)
      // RFC 1421 encapsulated headers (`Proc-Type: ...`) carry no base64.
      if (!line.includes(":")) body.push(line)
      continue
    }
    if (end[1] !== label) {
      return Either.left(`failed to parse PEM file: section end "${end[1]}" does not match section start "${label}"`)
    }
    const b64 = body.join("")
    if (b64.length % 4 !== 0 || !base64Re.test(b64)) {
      return Either.left(`failed to parse PEM file: invalid base64 in ${label} section`)
    }
    const der = new Uint8Array(Buffer.from(b64, "base64"))
    if (label === "CERTIFICATE") {
      certificates.push(der)
    } else if (label === "TRUSTED CERTIFICATE") {
      const length = firstDerObjectLength(der)
      if (length === undefined) {
        return Either.left("failed to extract certificate data from TRUSTED CERTIFICATE: invalid DER length")
      }
      certificates.push(der.subarray(0, length))
    }
    label = undefined
  }
  if (label !== undefined) {
    return Either.left(`failed to parse PEM file: missing section end marker "-----END ${label}-----"`)
  }
  return certificates.length === 0 ? Either.left("no certificates found in PEM file") : Either.right(certificates)
}

const toPem = (der: Uint8Array): string => {
  const b64 = Buffer.from(der).toString("base64")
  const lines: Array<string> = []
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64))
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`
}

/**
 * Reads and validates the bundle at `path` (each certificate must parse as X.509 and the whole
 * set must be accepted by Node's TLS stack).
 *
 * @since 0.1.0
 * @category loading
 */
export const loadBundle = (path: string, envVar: EnvVar): Effect.Effect<CaBundle, CustomCaError> =>
  Effect.gen(function* () {
    const text = yield* Effect.tryPromise({
      try: () => fs.readFile(path, "utf8"),
      catch: (cause) => new CustomCaError({ reason: "ReadCaFile", path, envVar, detail: errorText(cause), cause })
    })
    const parsed = parsePem(text)
    if (Either.isLeft(parsed)) {
      return yield* new CustomCaError({ reason: "InvalidCaFile", path, envVar, detail: parsed.left })
    }
    const certificates: Array<string> = []
    for (const [i, der] of parsed.right.entries()) {
      try {
        new crypto.X509Certificate(der)
      } catch (cause) {
        return yield* new CustomCaError({
          reason: "ParseCertificate",
          path,
          envVar,
          index: i + 1,
          detail: errorText(cause),
          cause
        })
      }
      certificates.push(toPem(der))
    }
    try {
      tls.createSecureContext({ ca: certificates })
    } catch (cause) {
      return yield* new CustomCaError({
        reason: "BuildClientWithCustomCa",
        path,
        envVar,
        detail: errorText(cause),
        cause
      })
    }
    return { path, envVar, certificates }
  })

/**
 * Selects (via {@link config}) and loads the bundle; `None` when neither variable is set.
 *
 * @since 0.1.0
 * @category loading
 */
export const loadFromConfig: Effect.Effect<
  Option.Option<CaBundle>,
  CustomCaError | ConfigError.ConfigError
> = Effect.flatMap(config, (selection) =>
  Option.match(selection, {
    onNone: () => Effect.succeedNone,
    onSome: ({ path, envVar }) => Effect.asSome(loadBundle(path, envVar))
  })
)

/**
 * The full trust list for a TLS `ca` option: Node's bundled roots plus the bundle (passing `ca`
 * replaces Node's defaults, so the roots must be repeated to keep them trusted).
 *
 * @since 0.1.0
 * @category tls
 */
export const caCertificates = (bundle: CaBundle): ReadonlyArray<string> => [
  ...tls.rootCertificates,
  ...bundle.certificates
]

const contexts = new WeakMap<CaBundle, tls.SecureContext>()

/**
 * TLS options for `tls.connect` / `ws` / undici `connect`: a `secureContext` trusting
 * {@link caCertificates} (built once per bundle and reused: a `ca` option would re-parse the whole
 * trust list on every connection), or `{}` (system defaults) without a bundle.
 *
 * @since 0.1.0
 * @category tls
 */
export const tlsOptions = (bundle: CaBundle | undefined): { readonly secureContext?: tls.SecureContext } => {
  if (bundle === undefined) return {}
  let secureContext = contexts.get(bundle)
  if (secureContext === undefined) {
    secureContext = tls.createSecureContext({ ca: [...caCertificates(bundle)] })
    contexts.set(bundle, secureContext)
  }
  return { secureContext }
}

const errorText = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))
