/**
 * A real node:http server on 127.0.0.1 (port 0) that records every request (method, url, headers,
 * exact body bytes) and answers with a scripted handler; plus the client layers the unary endpoint
 * tests share (undici transport, bearer auth, a provider pointing at the server).
 */
import * as Auth from "@codex/api/Auth"
import * as Provider from "@codex/api/Provider"
import * as HttpTransport from "@codex/client/HttpTransport"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"

export interface Recorded {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: Buffer
}

export interface Reply {
  readonly status?: number
  readonly headers?: Record<string, string>
  readonly body?: string | Uint8Array
  /** Answer only after this many (real) milliseconds. */
  readonly delayMs?: number
  /** Send the body but do not end the response (the server's scope closes it). */
  readonly keepOpen?: boolean
}

export interface TestServer {
  readonly origin: string
  readonly requests: Array<Recorded>
}

export const json = (value: unknown, status = 200, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(value)
})

export const startServer = (
  handler: (request: Recorded, index: number) => Reply
): Effect.Effect<TestServer, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ server: Http.Server; state: TestServer }>((resume) => {
      const requests: Array<Recorded> = []
      const server = Http.createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (chunk: Buffer) => chunks.push(chunk))
        req.on("end", () => {
          const recorded: Recorded = {
            method: req.method ?? "",
            url: req.url ?? "",
            headers: req.headers,
            body: Buffer.concat(chunks)
          }
          requests.push(recorded)
          const reply = handler(recorded, requests.length - 1)
          const send = () => {
            res.writeHead(reply.status ?? 200, reply.headers ?? {})
            if (reply.keepOpen === true) res.write(reply.body ?? "")
            else res.end(reply.body ?? "")
          }
          if (reply.delayMs === undefined) send()
          else setTimeout(send, reply.delayMs).unref()
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({ server, state: { origin: `http://127.0.0.1:${port}`, requests } }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ state }) => state))

export const TOKEN = "test-token"

/** Transport + bearer auth + a provider at `baseUrl` with a static provider header and fast retries. */
export const clientLayer = (
  baseUrl: string,
  options: { readonly maxAttempts?: number; readonly queryParams?: Record<string, string> } = {}
) =>
  Layer.mergeAll(
    HttpTransport.layerNode,
    Auth.layerBearer({ token: Redacted.make(TOKEN), accountId: "account_id" }),
    Provider.layer(
      Provider.make({
        name: "test",
        baseUrl,
        headers: { "x-provider-header": "provider" },
        queryParams: options.queryParams,
        retry: {
          ...Provider.defaultRetryConfig,
          maxAttempts: options.maxAttempts ?? 0,
          baseDelay: Duration.millis(1)
        }
      })
    )
  )

/** Waits (real time, polling every 5 ms) until the server has recorded `count` requests. */
export const awaitRequests = (server: TestServer, count: number): Effect.Effect<void> =>
  Effect.promise(
    () =>
      new Promise<void>((resolve) => {
        const check = () => (server.requests.length >= count ? resolve() : setTimeout(check, 5))
        check()
      })
  )
