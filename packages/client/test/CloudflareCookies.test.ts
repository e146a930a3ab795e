import * as http from "node:http"
import * as https from "node:https"
import type * as net from "node:net"
import * as Headers from "@effect/platform/Headers"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { Agent } from "undici"
import * as CloudflareCookies from "../src/CloudflareCookies.js"
import * as HttpTransport from "../src/HttpTransport.js"
import * as Request from "../src/Request.js"
import * as TransportError from "../src/TransportError.js"
import { makeTestCa } from "./utils/TestCa.js"

const chatgpt = "https://chatgpt.com/backend-api/codex/responses"

// ---------------------------------------------------------------------------------------------
// reference tests: chatgpt_cloudflare_cookies.rs
// ---------------------------------------------------------------------------------------------

describe("CloudflareCookies jar (reference tests)", () => {
  it("stores and returns cloudflare cookies for chatgpt hosts", () => {
    const jar = CloudflareCookies.make()
    jar.storeFromResponse("https://chatgpt.com/", [
      "_cfuvid=visitor; Path=/; Secure; HttpOnly",
      "cf_clearance=clearance; Path=/; Secure; HttpOnly"
    ])
    expect(jar.cookieHeaderFor(chatgpt)).toBe("_cfuvid=visitor; cf_clearance=clearance")
  })

  it("ignores non chatgpt cookies", () => {
    const jar = CloudflareCookies.make()
    jar.storeFromResponse("https://api.openai.com/v1/responses", ["_cfuvid=visitor; Path=/"])
    expect(jar.cookieHeaderFor("https://api.openai.com/v1/responses")).toBeUndefined()
    expect(jar.cookieHeaderFor(chatgpt)).toBeUndefined()
  })

  it("ignores non cloudflare cookies for chatgpt hosts", () => {
    const jar = CloudflareCookies.make()
    jar.storeFromResponse("https://chatgpt.com/", ["__Secure-next-auth.session-token=secret; Path=/; Secure"])
    expect(jar.cookieHeaderFor(chatgpt)).toBeUndefined()
  })

  it("ignores mixed non cloudflare cookies for chatgpt hosts", () => {
    const jar = CloudflareCookies.make()
    jar.storeFromResponse("https://chatgpt.com/", [
      "session-token=secret; Path=/",
      "_cfuvid=visitor; Path=/",
      "oai-did=device; Path=/"
    ])
    expect(jar.cookieHeaderFor(chatgpt)).toBe("_cfuvid=visitor")
  })

  it("does not return chatgpt cloudflare cookies for other hosts", () => {
    const jar = CloudflareCookies.make()
    jar.storeFromResponse("https://chatgpt.com/", ["cf_clearance=clearance; Path=/; Domain=chatgpt.com"])
    expect(jar.cookieHeaderFor(chatgpt)).toBe("cf_clearance=clearance")
    expect(jar.cookieHeaderFor("https://api.openai.com/v1/responses")).toBeUndefined()
    expect(jar.cookieHeaderFor("https://evilchatgpt.com/")).toBeUndefined()
    expect(jar.cookieHeaderFor("https://chatgpt.com.evil.example/")).toBeUndefined()
  })

  it("rejects plain http chatgpt cookie urls", () => {
    const jar = CloudflareCookies.make()
    jar.storeFromResponse("http://chatgpt.com/", ["cf_clearance=clearance; Path=/"])
    expect(jar.cookieHeaderFor(chatgpt)).toBeUndefined()
    // and a cookie stored over https is not sent over http
    jar.storeFromResponse("https://chatgpt.com/", ["cf_clearance=clearance; Path=/"])
    expect(jar.cookieHeaderFor("http://chatgpt.com/backend-api/codex/responses")).toBeUndefined()
    expect(jar.cookieHeaderFor(chatgpt)).toBe("cf_clearance=clearance")
  })

  it("only allows https urls", () => {
    expect(CloudflareCookies.isAllowedCookieUrl("https://chatgpt.com/")).toBe(true)
    expect(CloudflareCookies.isAllowedCookieUrl("https://foo.chatgpt.com:8443/x")).toBe(true)
    expect(CloudflareCookies.isAllowedCookieUrl("http://chatgpt.com/")).toBe(false)
    expect(CloudflareCookies.isAllowedCookieUrl("wss://chatgpt.com/backend-api/codex/responses")).toBe(false)
    expect(CloudflareCookies.isAllowedCookieUrl("ws://chatgpt.com/")).toBe(false)
    expect(CloudflareCookies.isAllowedCookieUrl("https://api.openai.com/")).toBe(false)
    expect(CloudflareCookies.isAllowedCookieUrl("not a url")).toBe(false)
  })

  it("allows only known cloudflare cookie names", () => {
    for (const name of [
      "__cf_bm",
      "__cflb",
      "__cfruid",
      "__cfseq",
      "__cfwaitingroom",
      "_cfuvid",
      "cf_clearance",
      "cf_ob_info",
      "cf_use_ob",
      "cf_chl_rc_ni",
      "cf_chl_2"
    ]) {
      expect(CloudflareCookies.isAllowedCookieName(name), name).toBe(true)
    }
    for (const name of ["not_cf_clearance", "cf_clearance_extra", "CF_CLEARANCE", "cf_chl", "__cf_bm_", "session"]) {
      expect(CloudflareCookies.isAllowedCookieName(name), name).toBe(false)
    }
  })
})

// ---------------------------------------------------------------------------------------------
// jar semantics beyond the reference list
// ---------------------------------------------------------------------------------------------

describe("CloudflareCookies jar", () => {
  it("a Domain cookie reaches subdomains; a host-only cookie only its host", () => {
    const jar = CloudflareCookies.make()
    jar.storeFromResponse("https://chatgpt.com/", ["__cf_bm=bm; path=/; domain=.chatgpt.com"])
    jar.storeFromResponse("https://chatgpt.com/", ["_cfuvid=uv; path=/"])
    expect(jar.cookieHeaderFor("https://chatgpt.com/")).toBe("__cf_bm=bm; _cfuvid=uv")
    expect(jar.cookieHeaderFor("https://ab.chatgpt.com/")).toBe("__cf_bm=bm")
    expect(jar.cookieHeaderFor("https://chatgpt-staging.com/")).toBeUndefined()
  })

  it("drops a Domain outside the host or beyond the ChatGPT hosts", () => {
    const jar = CloudflareCookies.make()
    jar.storeFromResponse("https://chat.openai.com/", ["cf_clearance=a; Path=/; Domain=openai.com"])
    jar.storeFromResponse("https://chatgpt.com/", ["cf_clearance=b; Path=/; Domain=evil.example"])
    jar.storeFromResponse("https://chatgpt.com/", ["cf_clearance=c; Path=/; Domain=com"])
    jar.storeFromResponse("https://foo.chatgpt.com/", ["cf_clearance=d; Path=/; Domain=bar.chatgpt.com"])
    expect(jar.cookieHeaderFor("https://chat.openai.com/")).toBeUndefined()
    expect(jar.cookieHeaderFor("https://chatgpt.com/")).toBeUndefined()
    expect(jar.cookieHeaderFor("https://bar.chatgpt.com/")).toBeUndefined()
    expect(jar.cookieHeaderFor("https://foo.chatgpt.com/")).toBeUndefined()
  })

  it("replaces a cookie by name, removes it on Max-Age=0 and expires it by time", () => {
    let now = 1_000_000
    const jar = CloudflareCookies.make({ now: () => now })
    jar.storeFromResponse(chatgpt, ["cf_clearance=one; Path=/; Max-Age=60"])
    jar.storeFromResponse(chatgpt, ["cf_clearance=two; Path=/; Max-Age=60", "__cf_bm=bm; Path=/; Max-Age=10"])
    expect(jar.cookieHeaderFor(chatgpt)).toBe("cf_clearance=two; __cf_bm=bm")
    now += 10_000
    expect(jar.cookieHeaderFor(chatgpt)).toBe("cf_clearance=two")
    jar.storeFromResponse(chatgpt, ["cf_clearance=; Path=/; Max-Age=0"])
    expect(jar.cookieHeaderFor(chatgpt)).toBeUndefined()
    jar.storeFromResponse(chatgpt, [`_cfuvid=uv; Path=/; Expires=${new Date(now - 1000).toUTCString()}`])
    expect(jar.cookieHeaderFor(chatgpt)).toBeUndefined()
  })

  it("scopes cookies by path (default path from the request URL), longest path first", () => {
    const jar = CloudflareCookies.make()
    jar.storeFromResponse("https://chatgpt.com/backend-api/codex/responses", ["__cfseq=scoped"])
    jar.storeFromResponse("https://chatgpt.com/", ["__cflb=root; Path=/"])
    expect(jar.cookieHeaderFor("https://chatgpt.com/backend-api/codex/models")).toBe("__cfseq=scoped; __cflb=root")
    expect(jar.cookieHeaderFor("https://chatgpt.com/backend-api/codexx")).toBe("__cflb=root")
    expect(jar.cookieHeaderFor("https://chatgpt.com/")).toBe("__cflb=root")
  })

  it("splits Set-Cookie values joined with ', ' without splitting Expires dates", () => {
    const jar = CloudflareCookies.make()
    jar.storeFromResponse(chatgpt, [
      "__cf_bm=bm; path=/; expires=Fri, 01-Jan-2100 00:00:00 GMT; domain=.chatgpt.com; HttpOnly; Secure; SameSite=None, session=secret; Path=/, _cfuvid=uv; path=/; expires=Fri, 01 Jan 2100 00:00:00 GMT"
    ])
    expect(jar.cookieHeaderFor(chatgpt)).toBe("__cf_bm=bm; _cfuvid=uv")
    // the attributes after the comma inside Expires still belong to __cf_bm
    expect(jar.cookieHeaderFor("https://ab.chatgpt.com/")).toBe("__cf_bm=bm")
  })

  it("keeps at most maxCookies, evicting the oldest", () => {
    const jar = CloudflareCookies.make({ maxCookies: 2 })
    jar.storeFromResponse(chatgpt, ["cf_chl_1=a; Path=/", "cf_chl_2=b; Path=/", "cf_chl_3=c; Path=/"])
    expect(jar.cookieHeaderFor(chatgpt)).toBe("cf_chl_2=b; cf_chl_3=c")
  })
})

// ---------------------------------------------------------------------------------------------
// transport decorator, in memory (the https path)
// ---------------------------------------------------------------------------------------------

interface Scripted {
  readonly transport: HttpTransport.Service
  readonly seen: Array<Request.Request>
}

/** Answers each request with the next scripted Set-Cookie headers (status 503 → `Http` error). */
const scriptedTransport = (answers: Array<{ readonly status: number; readonly setCookie?: string }>): Scripted => {
  const seen: Array<Request.Request> = []
  const next = (request: Request.Request) => {
    seen.push(request)
    const answer = answers.shift() ?? { status: 200 }
    const headers =
      answer.setCookie === undefined ? Headers.empty : Headers.fromInput({ "set-cookie": answer.setCookie })
    return answer.status >= 400
      ? Effect.fail(new TransportError.Http({ status: answer.status, url: request.url, headers, body: "challenge" }))
      : Effect.succeed({ status: answer.status, headers })
  }
  return {
    seen,
    transport: {
      execute: (request) => Effect.map(next(request), (r) => ({ ...r, body: new Uint8Array() })),
      stream: (request) => Effect.map(next(request), (r) => ({ ...r, body: Stream.empty }))
    }
  }
}

describe("withCloudflareCookies", () => {
  it.effect("stores Set-Cookie from responses and Http errors and sends the cookies back", () =>
    Effect.gen(function* () {
      const jar = CloudflareCookies.make()
      const { seen, transport } = scriptedTransport([
        { status: 503, setCookie: "cf_clearance=cleared; Path=/; Secure, session=secret; Path=/" },
        { status: 200, setCookie: "__cf_bm=bm; Path=/" },
        { status: 200 }
      ])
      const decorated = CloudflareCookies.withCloudflareCookies(transport, jar)
      const request = Request.make("POST", chatgpt)
      const first = yield* Effect.exit(decorated.execute(request))
      expect(Exit.isFailure(first)).toBe(true)
      yield* decorated.execute(request)
      yield* Effect.scoped(decorated.stream(request))
      expect(seen.map((r) => r.headers.cookie)).toEqual([
        undefined,
        "cf_clearance=cleared",
        "cf_clearance=cleared; __cf_bm=bm"
      ])
    })
  )

  it.effect("leaves a caller's Cookie header alone and adds nothing for other hosts", () =>
    Effect.gen(function* () {
      const jar = CloudflareCookies.make()
      jar.storeFromResponse(chatgpt, ["cf_clearance=cleared; Path=/"])
      const { seen, transport } = scriptedTransport([])
      const decorated = CloudflareCookies.withCloudflareCookies(transport, jar)
      yield* decorated.execute(Request.setHeader(Request.make("GET", chatgpt), "Cookie", "mine=1"))
      yield* decorated.execute(Request.make("GET", "https://api.openai.com/v1/models"))
      expect(seen.map((r) => r.headers.cookie)).toEqual(["mine=1", undefined])
    })
  )

  it.effect("uses the CloudflareCookieJar in context: the global jar by default, a layer's own jar otherwise", () =>
    Effect.gen(function* () {
      expect(yield* CloudflareCookies.CloudflareCookieJar).toBe(CloudflareCookies.globalJar)
      const { seen, transport } = scriptedTransport([{ status: 200, setCookie: "cf_use_ob=0; Path=/" }])
      const program = Effect.gen(function* () {
        const decorated = yield* HttpTransport.HttpTransport
        yield* decorated.execute(Request.make("GET", chatgpt))
        yield* decorated.execute(Request.make("GET", chatgpt))
        return (yield* CloudflareCookies.CloudflareCookieJar).cookieHeaderFor(chatgpt)
      })
      const stored = yield* program.pipe(
        Effect.provide(
          CloudflareCookies.layerTransport.pipe(
            Layer.provide(Layer.succeed(HttpTransport.HttpTransport, transport)),
            Layer.merge(CloudflareCookies.layer())
          )
        )
      )
      expect(stored).toBe("cf_use_ob=0")
      expect(seen.map((r) => r.headers.cookie)).toEqual([undefined, "cf_use_ob=0"])
      expect(CloudflareCookies.globalJar.cookieHeaderFor(chatgpt)).toBeUndefined()
    })
  )
})

// ---------------------------------------------------------------------------------------------
// real servers: chatgpt.com resolved to 127.0.0.1 by the dispatcher
// ---------------------------------------------------------------------------------------------

/** DNS that resolves every name to 127.0.0.1, so `chatgpt.com:<port>` reaches the local server. */
const lookupLocal: net.LookupFunction = (_host, options, callback) => {
  if (options.all === true) callback(null, [{ address: "127.0.0.1", family: 4 }])
  else callback(null, "127.0.0.1", 4)
}

/** A server that records each request's Cookie header and answers with Cloudflare and session cookies. */
const serve = (server: http.Server | https.Server, cookiesSeen: Array<string | undefined>) =>
  Effect.acquireRelease(
    Effect.async<number>((resume) => {
      server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
        cookiesSeen.push(req.headers.cookie)
        req.resume()
        req.on("end", () => {
          res.writeHead(200, {
            "content-type": "application/json",
            "set-cookie": [
              "__cf_bm=bm1; path=/; expires=Fri, 01-Jan-2100 00:00:00 GMT; domain=.chatgpt.com; HttpOnly; Secure; SameSite=None",
              "__Secure-next-auth.session-token=secret; Path=/; Secure; HttpOnly",
              "_cfuvid=uv1; path=/; domain=.chatgpt.com; HttpOnly; Secure; SameSite=None"
            ]
          })
          res.end("{}")
        })
      })
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed((server.address() as net.AddressInfo).port)))
    }),
    () =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

const agentResource = (options: Agent.Options) =>
  Effect.acquireRelease(
    Effect.sync(() => new Agent(options)),
    (agent) => Effect.promise(() => agent.close())
  )

describe("withCloudflareCookies over the wire", () => {
  it.scoped("https: keeps only the Cloudflare cookies of a real response and sends them on the next request", () =>
    Effect.gen(function* () {
      const pki = makeTestCa({ commonName: "chatgpt.com", subjectAltName: "DNS:chatgpt.com,DNS:*.chatgpt.com" })
      pki.cleanup()
      const tls = { ca: pki.caPem, key: pki.serverKey, cert: pki.serverCert }
      const cookiesSeen: Array<string | undefined> = []
      const port = yield* serve(https.createServer({ key: tls.key, cert: tls.cert }), cookiesSeen)
      const agent = yield* agentResource({ connect: { ca: tls.ca, lookup: lookupLocal } })
      const jar = CloudflareCookies.make()
      const transport = yield* Effect.provide(HttpTransport.HttpTransport, HttpTransport.layerNodeWithDispatcher(agent))
      const decorated = CloudflareCookies.withCloudflareCookies(transport, jar)
      const url = `https://chatgpt.com:${port}/backend-api/codex/responses`
      yield* decorated.execute(Request.withJson(Request.make("POST", url), { model: "m" }))
      yield* decorated.execute(Request.make("GET", `https://ab.chatgpt.com:${port}/backend-api/codex/models`))
      expect(cookiesSeen).toEqual([undefined, "__cf_bm=bm1; _cfuvid=uv1"])
      expect(jar.cookieHeaderFor("https://chatgpt.com/")).toBe("__cf_bm=bm1; _cfuvid=uv1")
    })
  )

  it.scoped("http: a ChatGPT host over plain http gets no cookies and stores none", () =>
    Effect.gen(function* () {
      const cookiesSeen: Array<string | undefined> = []
      const port = yield* serve(http.createServer(), cookiesSeen)
      const agent = yield* agentResource({ connect: { lookup: lookupLocal } })
      const jar = CloudflareCookies.make()
      jar.storeFromResponse("https://chatgpt.com/", ["cf_clearance=cleared; Path=/"])
      const transport = yield* Effect.provide(HttpTransport.HttpTransport, HttpTransport.layerNodeWithDispatcher(agent))
      const decorated = CloudflareCookies.withCloudflareCookies(transport, jar)
      yield* decorated.execute(Request.make("GET", `http://chatgpt.com:${port}/backend-api/codex/models`))
      yield* decorated.execute(Request.make("GET", `http://chatgpt.com:${port}/backend-api/codex/models`))
      expect(cookiesSeen).toEqual([undefined, undefined])
      expect(jar.cookieHeaderFor("https://chatgpt.com/")).toBe("cf_clearance=cleared")
    })
  )
})
