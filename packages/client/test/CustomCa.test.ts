import * as fs from "node:fs"
import * as tls from "node:tls"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as CustomCa from "../src/CustomCa.js"
import * as HttpTransport from "../src/HttpTransport.js"
import * as NodeTransport from "../src/NodeTransport.js"
import * as Request from "../src/Request.js"
import { makeTestCa, startTlsServer, type TestCa, type TlsServer } from "./utils/TestCa.js"

let ca: TestCa
let server: TlsServer

beforeAll(async () => {
  ca = makeTestCa()
  server = await startTlsServer(ca)
})

afterAll(async () => {
  await server?.close()
  ca?.cleanup()
})

const transport = (env: Record<string, string>) =>
  NodeTransport.layerConfig.pipe(
    Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))
  )

/** The reference probe's request: a form POST to `/oauth/token` over TLS 1.3. */
const postToken = (env: Record<string, string>, host = "localhost") =>
  Effect.gen(function* () {
    const transport = yield* HttpTransport.HttpTransport
    const request = Request.withRawBody(
      Request.setHeader(
        Request.make("POST", `https://${host}:${server.port}/oauth/token`),
        "content-type",
        "application/x-www-form-urlencoded"
      ),
      new TextEncoder().encode("grant_type=authorization_code&code=test")
    )
    const response = yield* transport.execute(request)
    return { status: response.status, body: new TextDecoder().decode(response.body) }
  }).pipe(Effect.provide(transport(env)))

const buildError = (env: Record<string, string>) =>
  Effect.flip(Effect.scoped(Layer.build(transport(env)))).pipe(
    Effect.map((error) => {
      assert.strictEqual(error._tag, "CustomCaError")
      return error as CustomCa.CustomCaError
    })
  )

const assertHint = (message: string) => {
  assert.include(message, CustomCa.hint)
  assert.include(message, "CODEX_CA_CERTIFICATE")
  assert.include(message, "SSL_CERT_FILE")
}

describe("CustomCa.selectCaPath", () => {
  it("prefers CODEX_CA_CERTIFICATE", () => {
    assert.deepStrictEqual(CustomCa.selectCaPath({ CODEX_CA_CERTIFICATE: "/a.pem", SSL_CERT_FILE: "/b.pem" }), {
      path: "/a.pem",
      envVar: "CODEX_CA_CERTIFICATE"
    })
  })
  it("falls back to SSL_CERT_FILE", () => {
    assert.deepStrictEqual(CustomCa.selectCaPath({ SSL_CERT_FILE: "/b.pem" }), {
      path: "/b.pem",
      envVar: "SSL_CERT_FILE"
    })
  })
  it("ignores empty values", () => {
    assert.deepStrictEqual(CustomCa.selectCaPath({ CODEX_CA_CERTIFICATE: "", SSL_CERT_FILE: "/b.pem" }), {
      path: "/b.pem",
      envVar: "SSL_CERT_FILE"
    })
    assert.strictEqual(CustomCa.selectCaPath({ CODEX_CA_CERTIFICATE: "", SSL_CERT_FILE: "" }), undefined)
    assert.strictEqual(CustomCa.selectCaPath({}), undefined)
  })
})

describe("CustomCa.parsePem", () => {
  it("trims the X509_AUX trailer of a TRUSTED CERTIFICATE to the certificate DER", () => {
    const plain = Either.getOrThrow(CustomCa.parsePem(ca.caPem))
    const trusted = Either.getOrThrow(CustomCa.parsePem(fs.readFileSync(ca.trustedPath, "utf8")))
    assert.strictEqual(trusted.length, 1)
    assert.deepStrictEqual(Buffer.from(trusted[0] as Uint8Array), Buffer.from(plain[0] as Uint8Array))
  })
  it("rejects a TRUSTED CERTIFICATE whose DER length runs past the data", () => {
    const pem = `-----BEGIN TRUSTED CERTIFICATE-----\n${Buffer.from([0x30, 0x82, 0x10, 0x00, 0x01]).toString("base64")}\n-----END TRUSTED CERTIFICATE-----\n`
    assert.deepStrictEqual(
      CustomCa.parsePem(pem),
      Either.left("failed to extract certificate data from TRUSTED CERTIFICATE: invalid DER length")
    )
  })
  it("a malformed CRL still fails the load", () => {
    const result = CustomCa.parsePem(`${ca.caPem}-----BEGIN X509 CRL-----\n@@@@\n-----END X509 CRL-----\n`)
    assert.isTrue(Either.isLeft(result))
    assert.include(Either.isLeft(result) ? result.left : "", "failed to parse PEM file")
  })
  it("keeps every certificate of a bundle and skips other blocks", () => {
    const keyBlock = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
    assert.strictEqual(Either.getOrThrow(CustomCa.parsePem(`${keyBlock}${ca.caPem}\r\n${ca.caPem}`)).length, 2)
  })
})

describe("CustomCa over a real TLS 1.3 server", () => {
  it.effect("uses CODEX_CA_CERTIFICATE (form POST to /oauth/token)", () =>
    Effect.gen(function* () {
      const before = server.bodies.length
      const response = yield* postToken({ CODEX_CA_CERTIFICATE: ca.caPath })
      assert.deepStrictEqual(response, { status: 200, body: '{"ok":true}' })
      assert.strictEqual(server.bodies[before], "grant_type=authorization_code&code=test")
      // and by IP address (the certificate has an IP SAN)
      assert.strictEqual((yield* postToken({ CODEX_CA_CERTIFICATE: ca.caPath }, "127.0.0.1")).status, 200)
    })
  )

  it.effect("fails without a custom CA (system roots only)", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(postToken({}))
      assert.strictEqual(error._tag, "Network")
    })
  )

  it.effect("falls back to SSL_CERT_FILE", () =>
    Effect.gen(function* () {
      assert.strictEqual((yield* postToken({ SSL_CERT_FILE: ca.caPath })).status, 200)
    })
  )

  it.effect("an empty CODEX_CA_CERTIFICATE counts as unset", () =>
    Effect.gen(function* () {
      assert.strictEqual((yield* postToken({ CODEX_CA_CERTIFICATE: "", SSL_CERT_FILE: ca.caPath })).status, 200)
    })
  )

  it.effect("prefers CODEX_CA_CERTIFICATE over a bad SSL_CERT_FILE", () =>
    Effect.gen(function* () {
      const bad = ca.write("bad.pem", "not a pem file")
      assert.strictEqual((yield* postToken({ CODEX_CA_CERTIFICATE: ca.caPath, SSL_CERT_FILE: bad })).status, 200)
      assert.strictEqual(
        (yield* postToken({ CODEX_CA_CERTIFICATE: ca.caPath, SSL_CERT_FILE: `${ca.dir}/missing.pem` })).status,
        200
      )
    })
  )

  it.effect("the selected CA is required: an unrelated CA is not enough", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(postToken({ CODEX_CA_CERTIFICATE: ca.otherCaPath }))
      assert.strictEqual(error._tag, "Network")
    })
  )

  it.effect("handles a multi-certificate bundle", () =>
    Effect.gen(function* () {
      const bundle = ca.write("bundle.pem", `${fs.readFileSync(ca.otherCaPath, "utf8")}${ca.caPem}`)
      const loaded = yield* CustomCa.loadBundle(bundle, "CODEX_CA_CERTIFICATE")
      assert.strictEqual(loaded.certificates.length, 2)
      assert.strictEqual(CustomCa.caCertificates(loaded).length, tls.rootCertificates.length + 2)
      assert.strictEqual((yield* postToken({ CODEX_CA_CERTIFICATE: bundle })).status, 200)
    })
  )

  it.effect("accepts an OpenSSL TRUSTED CERTIFICATE", () =>
    Effect.gen(function* () {
      assert.include(fs.readFileSync(ca.trustedPath, "utf8"), "BEGIN TRUSTED CERTIFICATE")
      assert.strictEqual((yield* postToken({ CODEX_CA_CERTIFICATE: ca.trustedPath })).status, 200)
    })
  )

  it.effect("accepts a bundle with a CRL", () =>
    Effect.gen(function* () {
      const crl = fs.readFileSync(ca.crlPath, "utf8")
      assert.include(crl, "BEGIN X509 CRL")
      const bundle = ca.write("with-crl.pem", `${crl}${ca.caPem}`)
      assert.strictEqual((yield* postToken({ SSL_CERT_FILE: bundle })).status, 200)
    })
  )
})

describe("CustomCa errors", () => {
  it.effect("rejects an empty PEM file with the hint", () =>
    Effect.gen(function* () {
      const empty = ca.write("empty.pem", "")
      const error = yield* buildError({ CODEX_CA_CERTIFICATE: empty })
      assert.strictEqual(error.reason, "InvalidCaFile")
      assert.strictEqual(
        error.message,
        `Failed to load CA certificates from ${empty} selected by CODEX_CA_CERTIFICATE: no certificates found in PEM file. ${CustomCa.hint}`
      )
      assertHint(error.message)
    })
  )

  it.effect("rejects a malformed PEM with the hint", () =>
    Effect.gen(function* () {
      const malformed = ca.write("malformed.pem", "-----BEGIN CERTIFICATE-----\nMIIBroken\n")
      const error = yield* buildError({ SSL_CERT_FILE: malformed })
      assert.strictEqual(error.reason, "InvalidCaFile")
      assert.include(
        error.message,
        `Failed to load CA certificates from ${malformed} selected by SSL_CERT_FILE: failed to parse PEM file`
      )
      assertHint(error.message)
      const badBase64 = ca.write("bad64.pem", "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n")
      assert.include((yield* buildError({ SSL_CERT_FILE: badBase64 })).message, "failed to parse PEM file")
    })
  )

  it.effect("reports an unreadable file", () =>
    Effect.gen(function* () {
      const missing = `${ca.dir}/does-not-exist.pem`
      const error = yield* buildError({ CODEX_CA_CERTIFICATE: missing })
      assert.strictEqual(error.reason, "ReadCaFile")
      assert.include(error.message, `Failed to read CA certificate file ${missing} selected by CODEX_CA_CERTIFICATE: `)
      assertHint(error.message)
    })
  )

  it.effect("reports a certificate block that is not X.509, numbered from 1", () =>
    Effect.gen(function* () {
      const garbage = `-----BEGIN CERTIFICATE-----\n${Buffer.from("not a certificate").toString("base64")}\n-----END CERTIFICATE-----\n`
      const file = ca.write("garbage.pem", `${ca.caPem}${garbage}`)
      const error = yield* buildError({ CODEX_CA_CERTIFICATE: file })
      assert.strictEqual(error.reason, "ParseCertificate")
      assert.include(error.message, `Failed to parse certificate #2 from ${file} selected by CODEX_CA_CERTIFICATE: `)
      assertHint(error.message)
    })
  )
})

describe("CustomCa.tlsOptions (WebSocket / raw TLS)", () => {
  const handshake = (options: tls.ConnectionOptions) =>
    Effect.async<boolean, Error>((resume) => {
      const socket = tls.connect({ host: "127.0.0.1", port: server.port, servername: "localhost", ...options })
      socket.once("secureConnect", () => resume(Effect.succeed(socket.authorized)))
      socket.once("error", (error) => resume(Effect.fail(error)))
      return Effect.sync(() => socket.destroy())
    })

  it.effect("builds a context trusting the bundle (SNI kept) and reuses it per bundle", () =>
    Effect.gen(function* () {
      const bundle = yield* CustomCa.loadBundle(ca.caPath, "CODEX_CA_CERTIFICATE")
      const options = CustomCa.tlsOptions(bundle)
      assert.isDefined(options.secureContext)
      assert.strictEqual(CustomCa.tlsOptions(bundle).secureContext, options.secureContext)
      assert.isTrue(yield* handshake(options))
    })
  )

  it.effect("without a bundle it is empty and the handshake uses system roots (and fails here)", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(CustomCa.tlsOptions(undefined), {})
      const error = yield* Effect.flip(handshake(CustomCa.tlsOptions(undefined)))
      assert.include(error.message, "certificate")
    })
  )
})
