import type * as ApiError from "@codex/api/ApiError"
import * as Auth from "@codex/api/Auth"
import * as Provider from "@codex/api/Provider"
import * as RealtimeWebsocket from "@codex/api/RealtimeWebsocket"
import * as ResponsesWebsocket from "@codex/api/ResponsesWebsocket"
import * as WebsocketTls from "@codex/api/WebsocketTls"
import * as CustomCa from "@codex/client/CustomCa"
import { afterAll, describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Https from "node:https"
// Test-only import across packages: the client's test PKI (openssl-generated CA and server cert).
import { makeTestCa } from "../../client/test/utils/TestCa.js"
import { listenWs } from "./utils/wsServer.js"

const ca = makeTestCa()
afterAll(() => ca.cleanup())

/** A `wss` server on 127.0.0.1 whose certificate is signed by the test CA. */
const wssServer = Effect.gen(function* () {
  const https = yield* Effect.acquireRelease(
    Effect.async<Https.Server>((resume) => {
      const server = Https.createServer({ key: ca.serverKey, cert: ca.serverCert })
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )
  return yield* listenWs({ httpServer: https })
})

const testBundle = CustomCa.loadBundle(ca.caPath, "CODEX_CA_CERTIFICATE")

const responsesConnect = (origin: string) =>
  Effect.flatMap(ResponsesWebsocket.make, (client) => client.connect()).pipe(
    Effect.provide(
      Layer.mergeAll(
        Provider.layer(Provider.make({ baseUrl: `${origin}/v1` })),
        Auth.layerBearer({ token: Redacted.make("secret-token"), accountId: "acct-1" })
      )
    )
  )

const realtimeConnect = (origin: string) =>
  RealtimeWebsocket.make(Provider.make({ baseUrl: origin })).connect({
    instructions: "backend prompt",
    eventParser: "V1",
    sessionMode: "Conversational",
    outputModality: "audio",
    voice: "breeze"
  })

type Connect = (origin: string) => Effect.Effect<unknown, ApiError.ApiError, Scope.Scope>

const clients: ReadonlyArray<readonly [string, Connect, string]> = [
  ["ResponsesWebsocket", responsesConnect, "/v1/responses"],
  ["RealtimeWebsocket", realtimeConnect, "/v1/realtime?intent=quicksilver"]
]

const handshakeFailure = (exit: Exit.Exit<unknown, { readonly message: string }>): string => {
  if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") throw new Error(`expected a handshake failure: ${exit}`)
  return exit.cause.error.message
}

for (const [name, connect, path] of clients) {
  describe(`${name} over wss with a custom CA`, () => {
    it.scopedLive("the handshake fails without the bundle (the test CA is not a system root)", () =>
      Effect.gen(function* () {
        const server = yield* wssServer
        const message = handshakeFailure(yield* Effect.exit(connect(server.origin)))
        expect(message).toMatch(/certificate/i)
        expect(yield* Queue.size(server.connections)).toBe(0)
      })
    )

    it.scopedLive("the handshake succeeds with WebsocketTls.layer(bundle)", () =>
      Effect.gen(function* () {
        const server = yield* wssServer
        const bundle = yield* testBundle
        yield* connect(server.origin).pipe(Effect.provide(WebsocketTls.layer(bundle)))
        const conn = yield* Queue.take(server.connections)
        expect(conn.request.url).toBe(path)
      })
    )

    it.scopedLive("WebsocketTls.layerConfig: CODEX_CA_CERTIFICATE wins over SSL_CERT_FILE", () =>
      Effect.gen(function* () {
        const server = yield* wssServer
        const fromEnv = (env: Record<string, string>) =>
          Layer.provide(WebsocketTls.layerConfig, Layer.setConfigProvider(ConfigProvider.fromJson(env)))
        // only the unrelated CA: rejected
        const wrong = yield* Effect.exit(
          connect(server.origin).pipe(Effect.provide(fromEnv({ SSL_CERT_FILE: ca.otherCaPath })))
        )
        expect(handshakeFailure(wrong)).toMatch(/certificate/i)
        // the test CA through CODEX_CA_CERTIFICATE beats the unrelated SSL_CERT_FILE
        yield* connect(server.origin).pipe(
          Effect.provide(fromEnv({ CODEX_CA_CERTIFICATE: ca.caPath, SSL_CERT_FILE: ca.otherCaPath }))
        )
        const conn = yield* Queue.take(server.connections)
        expect(conn.request.url).toBe(path)
      })
    )
  })
}

describe("WebsocketTls.layerConfig", () => {
  it.effect("a bad bundle fails the layer with CustomCaError", () =>
    Effect.gen(function* () {
      const path = ca.write("not-a-bundle.pem", "no certificates here\n")
      const exit = yield* Effect.exit(
        Effect.provide(
          WebsocketTls.WebsocketTls,
          Layer.provide(
            WebsocketTls.layerConfig,
            Layer.setConfigProvider(ConfigProvider.fromJson({ CODEX_CA_CERTIFICATE: path }))
          )
        )
      )
      if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") throw new Error(`expected CustomCaError: ${exit}`)
      const error = exit.cause.error
      expect(error._tag).toBe("CustomCaError")
      expect(error.message).toBe(
        `Failed to load CA certificates from ${path} selected by CODEX_CA_CERTIFICATE: no certificates found in PEM file. ${CustomCa.hint}`
      )
    })
  )

  it.effect("without CODEX_CA_CERTIFICATE / SSL_CERT_FILE there is no bundle", () =>
    Effect.gen(function* () {
      const tls = yield* Effect.provide(
        WebsocketTls.WebsocketTls,
        Layer.provide(WebsocketTls.layerConfig, Layer.setConfigProvider(ConfigProvider.fromJson({})))
      )
      expect(tls.ca).toBeUndefined()
    })
  )
})
