import * as http from "node:http"
import * as net from "node:net"
import * as tls from "node:tls"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as HttpTransport from "../src/HttpTransport.js"
import * as NodeTransport from "../src/NodeTransport.js"
import * as OutboundProxy from "../src/Proxy.js"
import * as Request from "../src/Request.js"
import { makeTestCa, startTlsServer, type TestCa, type TlsServer } from "./utils/TestCa.js"

// ---------------------------------------------------------------------------------------------
// a CONNECT proxy that counts tunnels, and a plain HTTP origin
// ---------------------------------------------------------------------------------------------

interface ConnectProxy {
  readonly url: string
  /** `host:port` targets of the CONNECT requests seen so far. */
  readonly tunnels: Array<string>
  readonly close: () => Promise<void>
}

const listen = (server: http.Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)))

const closeServer = (server: http.Server, sockets: Set<net.Socket>) =>
  new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy()
    server.closeAllConnections()
    server.close(() => resolve())
  })

const startConnectProxy = async (): Promise<ConnectProxy> => {
  const tunnels: Array<string> = []
  const sockets = new Set<net.Socket>()
  const server = http.createServer((_req, res) => {
    res.writeHead(405)
    res.end()
  })
  server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    tunnels.push(req.url ?? "")
    const [host, port] = (req.url ?? "").split(":")
    const upstream = net.connect(Number(port), host === "localhost" ? "127.0.0.1" : (host as string), () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n")
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(client).add(upstream)
    const drop = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on("error", drop)
    upstream.on("error", drop)
  })
  const port = await listen(server)
  return { url: `http://127.0.0.1:${port}`, tunnels, close: () => closeServer(server, sockets) }
}

/**
 * A TLS-intercepting CONNECT proxy: it answers CONNECT, terminates the client's TLS itself with a
 * certificate signed by the custom CA and replies to the tunnelled request on its own.
 */
const startInterceptingProxy = async (ca: TestCa) => {
  const seen: Array<{ method: string; url: string; body: string }> = []
  const sockets = new Set<net.Socket>()
  const inner = http.createServer((req, res) => {
    let body = ""
    req.setEncoding("utf8")
    req.on("data", (chunk: string) => {
      body += chunk
    })
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", body })
      res.end("intercepted")
    })
  })
  const server = http.createServer()
  server.on("connect", (_req: http.IncomingMessage, client: net.Socket) => {
    sockets.add(client)
    client.write("HTTP/1.1 200 Connection Established\r\n\r\n", () => {
      const secure = new tls.TLSSocket(client, { isServer: true, key: ca.serverKey, cert: ca.serverCert })
      inner.emit("connection", secure)
    })
  })
  const port = await listen(server)
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: async () => {
      inner.closeAllConnections()
      await closeServer(server, sockets)
    }
  }
}

let ca: TestCa
let origin: TlsServer
let proxy: ConnectProxy
let plain: { port: number; close: () => Promise<void> }

beforeAll(async () => {
  ca = makeTestCa()
  origin = await startTlsServer(ca)
  proxy = await startConnectProxy()
  const server = http.createServer((_req, res) => res.end("plain"))
  plain = { port: await listen(server), close: () => closeServer(server, new Set()) }
})

afterAll(async () => {
  await proxy?.close()
  await origin?.close()
  await plain?.close()
  ca?.cleanup()
})

const get = (env: Record<string, string>, url: string) =>
  Effect.gen(function* () {
    const transport = yield* HttpTransport.HttpTransport
    const response = yield* transport.execute(Request.make("GET", url))
    return { status: response.status, body: new TextDecoder().decode(response.body) }
  }).pipe(
    Effect.provide(
      NodeTransport.layerConfig.pipe(
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))
      )
    )
  )

/** Runs `effect` and returns how many CONNECT tunnels the proxy opened meanwhile. */
const countTunnels = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const before = proxy.tunnels.length
    const result = yield* effect
    return { result, tunnels: proxy.tunnels.slice(before) }
  })

describe("Proxy.fromEnv", () => {
  it("uppercase wins, lowercase is a fallback, empty values are unset", () => {
    assert.deepStrictEqual(
      OutboundProxy.fromEnv({
        HTTPS_PROXY: "http://a",
        https_proxy: "http://b",
        http_proxy: "http://c",
        no_proxy: "x"
      }),
      { httpProxy: "http://c", httpsProxy: "http://a", noProxy: "x" }
    )
    assert.deepStrictEqual(OutboundProxy.fromEnv({ HTTPS_PROXY: "", https_proxy: "http://b", NO_PROXY: "" }), {
      httpProxy: undefined,
      httpsProxy: "http://b",
      noProxy: undefined
    })
    assert.isFalse(OutboundProxy.isConfigured(OutboundProxy.fromEnv({ NO_PROXY: "*" })))
  })
})

describe("Proxy over real sockets", () => {
  it.effect("HTTPS_PROXY routes TLS requests through a CONNECT tunnel (custom CA for the origin)", () =>
    Effect.gen(function* () {
      const url = `https://127.0.0.1:${origin.port}/v1/models`
      const { result, tunnels } = yield* countTunnels(
        get({ HTTPS_PROXY: proxy.url, CODEX_CA_CERTIFICATE: ca.caPath }, url)
      )
      assert.deepStrictEqual(result, { status: 200, body: '{"ok":true}' })
      assert.deepStrictEqual(tunnels, [`127.0.0.1:${origin.port}`])
    })
  )

  it.effect("lowercase https_proxy works too", () =>
    Effect.gen(function* () {
      const url = `https://localhost:${origin.port}/`
      const { result, tunnels } = yield* countTunnels(get({ https_proxy: proxy.url, SSL_CERT_FILE: ca.caPath }, url))
      assert.strictEqual(result.status, 200)
      assert.deepStrictEqual(tunnels, [`localhost:${origin.port}`])
    })
  )

  it.effect("the custom CA still governs origin TLS inside the tunnel", () =>
    Effect.gen(function* () {
      const url = `https://127.0.0.1:${origin.port}/`
      const error = yield* Effect.flip(get({ HTTPS_PROXY: proxy.url }, url))
      assert.strictEqual(error._tag, "Network")
    })
  )

  it.effect("NO_PROXY=127.0.0.1 bypasses the proxy", () =>
    Effect.gen(function* () {
      const url = `https://127.0.0.1:${origin.port}/`
      const { result, tunnels } = yield* countTunnels(
        get({ HTTPS_PROXY: proxy.url, NO_PROXY: "127.0.0.1", CODEX_CA_CERTIFICATE: ca.caPath }, url)
      )
      assert.strictEqual(result.status, 200)
      assert.deepStrictEqual(tunnels, [])
    })
  )

  it.effect("HTTP_PROXY applies to http: origins only", () =>
    Effect.gen(function* () {
      const viaHttp = yield* countTunnels(get({ HTTP_PROXY: proxy.url }, `http://127.0.0.1:${plain.port}/`))
      assert.deepStrictEqual(viaHttp.result, { status: 200, body: "plain" })
      assert.deepStrictEqual(viaHttp.tunnels, [`127.0.0.1:${plain.port}`])
      const viaHttps = yield* countTunnels(
        get({ HTTP_PROXY: proxy.url, CODEX_CA_CERTIFICATE: ca.caPath }, `https://127.0.0.1:${origin.port}/`)
      )
      assert.strictEqual(viaHttps.result.status, 200)
      assert.deepStrictEqual(viaHttps.tunnels, [])
    })
  )

  it.effect("no proxy variables: direct connection", () =>
    Effect.gen(function* () {
      const { result, tunnels } = yield* countTunnels(
        get({ CODEX_CA_CERTIFICATE: ca.caPath }, `https://127.0.0.1:${origin.port}/`)
      )
      assert.strictEqual(result.status, 200)
      assert.deepStrictEqual(tunnels, [])
    })
  )

  it.effect("an unreachable proxy is a network error, not a silent direct connection", () =>
    Effect.gen(function* () {
      const closed = yield* Effect.promise(async () => {
        const server = http.createServer()
        const port = await listen(server)
        await closeServer(server, new Set())
        return port
      })
      const error = yield* Effect.flip(
        get(
          { HTTPS_PROXY: `http://127.0.0.1:${closed}`, CODEX_CA_CERTIFICATE: ca.caPath },
          `https://127.0.0.1:${origin.port}/`
        )
      )
      assert.strictEqual(error._tag, "Network")
    })
  )

  it.effect("posts to the token origin through a TLS-intercepting proxy that uses the custom CA", () =>
    Effect.gen(function* () {
      const interceptor = yield* Effect.acquireRelease(
        Effect.promise(() => startInterceptingProxy(ca)),
        (p) => Effect.promise(() => p.close())
      )
      const response = yield* Effect.gen(function* () {
        const transport = yield* HttpTransport.HttpTransport
        const request = Request.withRawBody(
          Request.setHeader(
            Request.make("POST", `https://localhost:${origin.port}/oauth/token`),
            "content-type",
            "application/x-www-form-urlencoded"
          ),
          new TextEncoder().encode("grant_type=authorization_code&code=test")
        )
        return yield* transport.execute(request)
      }).pipe(
        Effect.provide(
          NodeTransport.layerConfig.pipe(
            Layer.provide(
              Layer.setConfigProvider(
                ConfigProvider.fromMap(
                  new Map([
                    ["HTTPS_PROXY", interceptor.url],
                    ["CODEX_CA_CERTIFICATE", ca.caPath]
                  ])
                )
              )
            )
          )
        )
      )
      assert.strictEqual(response.status, 200)
      assert.strictEqual(new TextDecoder().decode(response.body), "intercepted")
      assert.deepStrictEqual(interceptor.seen, [
        { method: "POST", url: "/oauth/token", body: "grant_type=authorization_code&code=test" }
      ])
    }).pipe(Effect.scoped)
  )
})
