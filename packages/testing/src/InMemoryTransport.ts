/**
 * An `HttpTransport` that replays scripted responses without sockets: same script model and fault
 * injection as {@link ResponsesServer} (delays use the Effect clock, so `TestClock` drives them).
 *
 * @since 0.1.0
 */
import { HttpTransport } from "@codex/client/HttpTransport"
import type * as HttpTransportModule from "@codex/client/HttpTransport"
import * as Request from "@codex/client/Request"
import * as TransportError from "@codex/client/TransportError"
import * as Headers from "@effect/platform/Headers"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import type { Defaults, Script, Scripted } from "./Fixture.js"
import { concatBytes, decodeText, parseJson, Queue, render, routeOf } from "./internal/script.js"
import type { RecordedRequest } from "./ResponsesServer.js"

/**
 * What the transport answers: `{ script, defaults }`, or a bare {@link Script} as a shorthand for
 * `{ script }`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly script?: Script | undefined
  readonly defaults?: Defaults | undefined
}

/**
 * `{ script, defaults }` or a bare script (a record of routes to arrays of responses).
 *
 * @since 0.1.0
 * @category models
 */
export type Input = Options | Script

// A script maps routes to arrays; the values of `Options` (`script`, `defaults`) are never arrays.
const toOptions = (input: Input): Options =>
  Object.values(input).some((value) => Array.isArray(value)) ? { script: input as Script } : (input as Options)

/**
 * An in-memory transport: the `HttpTransport` service answering from a script, the requests it
 * received, and a way to script more responses.
 *
 * @since 0.1.0
 * @category models
 */
export interface InMemoryTransport {
  readonly transport: HttpTransportModule.Service
  /** Every request, in order, with the body bytes as they would go on the wire. */
  readonly requests: ReadonlyArray<RecordedRequest>
  readonly enqueue: (route: string, ...responses: ReadonlyArray<Scripted>) => void
}

const pathOf = (url: string): string => {
  try {
    const parsed = new URL(url)
    return parsed.pathname + parsed.search
  } catch {
    return url
  }
}

const record = (request: Request.Request): Effect.Effect<RecordedRequest, TransportError.TransportError> =>
  Effect.gen(function* () {
    const prepared = yield* Request.prepareBody(request)
    let body: Uint8Array = new Uint8Array(0)
    if (prepared.body?._tag === "Bytes") body = prepared.body.bytes
    else if (prepared.body?._tag === "Stream") {
      body = concatBytes(Chunk.toReadonlyArray(yield* Stream.runCollect(prepared.body.stream)))
    }
    const text = decodeText(body)
    const path = pathOf(request.url)
    return {
      method: request.method,
      route: routeOf(path),
      path,
      headers: prepared.headers,
      body,
      text,
      json: prepared.headers["content-encoding"] === undefined ? parseJson(text) : undefined
    }
  })

/**
 * Builds the transport and its recorder.
 *
 * @since 0.1.0
 * @category constructors
 */
export const unsafeMake = (input: Input = {}): InMemoryTransport => {
  const options = toOptions(input)
  const queue = new Queue(options.script, options.defaults)
  const requests: Array<RecordedRequest> = []

  const respond = (request: Request.Request) =>
    Effect.gen(function* () {
      const recorded = yield* record(request)
      requests.push(recorded)
      const plan = render(queue.next(recorded.method, recorded.route), queue.nextRequestId())
      if (plan.headersDelayMs > 0) yield* Effect.sleep(Duration.millis(plan.headersDelayMs))
      const headers = Headers.fromInput(plan.headers)
      let body: Stream.Stream<Uint8Array, TransportError.TransportError> = Stream.fromIterable(plan.chunks)
      if (plan.chunkDelayMs > 0) {
        const delay = Duration.millis(plan.chunkDelayMs)
        body = Stream.mapEffect(Stream.zipWithIndex(body), ([chunk, i]) =>
          i === 0 ? Effect.succeed(chunk) : Effect.as(Effect.sleep(delay), chunk)
        )
      }
      if (plan.ending === "drop") {
        body = Stream.concat(body, Stream.fail(new TransportError.Network({ reason: "connection reset mid-stream" })))
      } else if (plan.ending === "stall") {
        body = Stream.concat(body, Stream.never)
      }
      return { status: plan.status, headers, body, url: request.url, plan }
    })

  const withTimeout = <A, R>(request: Request.Request, effect: Effect.Effect<A, TransportError.TransportError, R>) =>
    request.timeout === undefined
      ? effect
      : Effect.timeoutFail(effect, { duration: request.timeout, onTimeout: () => new TransportError.Timeout() })

  const httpError = (status: number, url: string, headers: Headers.Headers, bytes: Uint8Array) =>
    new TransportError.Http({ status, url, headers, body: decodeText(bytes) })

  const transport: HttpTransportModule.Service = {
    execute: (request) =>
      withTimeout(
        request,
        Effect.gen(function* () {
          const r = yield* respond(request)
          const body = concatBytes(Chunk.toReadonlyArray(yield* Stream.runCollect(r.body)))
          if (r.status < 200 || r.status > 299) return yield* httpError(r.status, r.url, r.headers, body)
          return { status: r.status, headers: r.headers, body }
        })
      ),
    stream: (request) =>
      withTimeout(
        request,
        Effect.gen(function* () {
          const r = yield* respond(request)
          if (r.status < 200 || r.status > 299) {
            const body = concatBytes(Chunk.toReadonlyArray(yield* Stream.runCollect(r.body)))
            return yield* httpError(r.status, r.url, r.headers, body)
          }
          return { status: r.status, headers: r.headers, body: r.body }
        })
      )
  }

  return {
    transport,
    requests,
    enqueue: (route, ...responses) => queue.enqueue(route, responses)
  }
}

/**
 * Builds the transport and its recorder (`requests`, `enqueue`) in an Effect.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (input: Input = {}): Effect.Effect<InMemoryTransport> => Effect.sync(() => unsafeMake(input))

/**
 * Provides `HttpTransport` from a transport built with {@link make} / {@link unsafeMake}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFrom = (self: InMemoryTransport): Layer.Layer<HttpTransport> =>
  Layer.succeed(HttpTransport, self.transport)

/**
 * Provides `HttpTransport` answering from a script: `layer({ "/responses": [...] })` or
 * `layer({ script, defaults })`. Each build of the layer starts from the beginning of the script.
 *
 * @example
 * ```ts
 * import * as Auth from "@codex/api/Auth"
 * import * as Provider from "@codex/api/Provider"
 * import * as Responses from "@codex/api/Responses"
 * import * as Fixture from "@codex/testing/Fixture"
 * import * as InMemoryTransport from "@codex/testing/InMemoryTransport"
 * import { Effect, Layer, Stream } from "effect"
 *
 * // Swap the transport in a test: the client answers from the script, no sockets.
 * const TestServices = Layer.mergeAll(
 *   Provider.layer(Provider.make({ baseUrl: "http://test.local/v1" })),
 *   Auth.layerNone,
 *   InMemoryTransport.layer({ script: { "/responses": [{ events: Fixture.textAnswer(["Hi"]) }] } })
 * )
 *
 * export const text = Effect.gen(function* () {
 *   const client = yield* Responses.make
 *   return yield* client
 *     .stream({ model: "m", input: "Say hi" })
 *     .pipe(Stream.runFold("", (acc, event) => (event._tag === "OutputTextDelta" ? acc + event.delta : acc)))
 * }).pipe(Effect.provide(TestServices)) // "Hi"
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (input: Input = {}): Layer.Layer<HttpTransport> =>
  Layer.sync(HttpTransport, () => unsafeMake(input).transport)
