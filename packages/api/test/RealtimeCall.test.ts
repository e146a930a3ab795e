import * as RealtimeCall from "@codex/api/RealtimeCall"
import * as RealtimeSession from "@codex/api/RealtimeSession"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { clientLayer, startServer, TOKEN } from "./utils/endpointServer.js"

const OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"
const ANSWER = "v=0\r\n"

const answer = (location?: string) => () => ({
  status: 201,
  headers: { "content-type": "application/sdp", ...(location === undefined ? {} : { location }) },
  body: ANSWER
})

const config: RealtimeSession.RealtimeSessionConfig = {
  instructions: "be helpful",
  model: "gpt-realtime-1.5",
  sessionId: "sess_1",
  eventParser: "RealtimeV2",
  sessionMode: "Conversational",
  outputModality: "audio",
  voice: "cedar"
}

const withClient = <A, E>(baseUrl: string, f: (client: RealtimeCall.Service) => Effect.Effect<A, E>) =>
  Effect.flatMap(RealtimeCall.make, f).pipe(Effect.provide(clientLayer(baseUrl)))

describe("RealtimeCall", () => {
  it.scoped("sends_sdp_offer_as_raw_body", () =>
    Effect.gen(function* () {
      const server = yield* startServer(answer("/v1/realtime/calls/rtc_test"))
      const response = yield* withClient(`${server.origin}/v1`, (client) =>
        client.create(OFFER, { extraHeaders: { "x-extra": "1" } })
      )
      const request = server.requests[0]!
      expect(request.method).toBe("POST")
      expect(request.url).toBe("/v1/realtime/calls")
      expect(request.headers["content-type"]).toBe("application/sdp")
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`)
      expect(request.headers["x-provider-header"]).toBe("provider")
      expect(request.headers["x-extra"]).toBe("1")
      expect(request.body.toString("utf8")).toBe(OFFER)
      expect(response).toEqual({ sdp: ANSWER, callId: "rtc_test" })
    })
  )

  it.scoped("extracts_call_id_from_forwarded_backend_location", () =>
    Effect.gen(function* () {
      const server = yield* startServer(answer("/v1/realtime/calls/calls/rtc_backend_test?x=1"))
      const response = yield* withClient(`${server.origin}/backend-api/codex`, (client) => client.create(OFFER))
      expect(server.requests[0]!.url).toBe("/backend-api/codex/realtime/calls")
      expect(response.callId).toBe("rtc_backend_test")
    })
  )

  it.scoped("sends_api_session_call_as_multipart_body", () =>
    Effect.gen(function* () {
      const server = yield* startServer(answer("/v1/realtime/calls/rtc_multi"))
      const response = yield* withClient(`${server.origin}/v1`, (client) => client.createWithSession(OFFER, config))
      const request = server.requests[0]!
      const { id: _id, ...session } = RealtimeSession.sessionUpdateSessionJson(config)
      expect(Object.keys(session)[0]).toBe("type")
      expect(request.headers["content-type"]).toBe("multipart/form-data; boundary=codex-realtime-call-boundary")
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`)
      expect(request.body.toString("utf8")).toBe(
        "--codex-realtime-call-boundary\r\n" +
          'Content-Disposition: form-data; name="sdp"\r\n' +
          "Content-Type: application/sdp\r\n\r\n" +
          `${OFFER}\r\n` +
          "--codex-realtime-call-boundary\r\n" +
          'Content-Disposition: form-data; name="session"\r\n' +
          "Content-Type: application/json\r\n\r\n" +
          `${JSON.stringify(session)}\r\n` +
          "--codex-realtime-call-boundary--\r\n"
      )
      expect(
        JSON.parse(
          request.body
            .toString("utf8")
            .split('name="session"\r\nContent-Type: application/json\r\n\r\n')[1]!
            .split("\r\n")[0]!
        )
      ).toMatchObject({
        type: "realtime",
        model: "gpt-realtime-1.5"
      })
      expect(response.callId).toBe("rtc_multi")
    })
  )

  it.scoped("sends_backend_session_call_as_json_body", () =>
    Effect.gen(function* () {
      const server = yield* startServer(answer("/v1/realtime/calls/rtc_json"))
      yield* withClient(`${server.origin}/backend-api/codex`, (client) => client.createWithSession(OFFER, config))
      const request = server.requests[0]!
      const { id: _id, ...session } = RealtimeSession.sessionUpdateSessionJson(config)
      expect(request.headers["content-type"]).toBe("application/json")
      expect(request.body.toString("utf8")).toBe(JSON.stringify({ sdp: OFFER, session }))
      expect(request.body.toString("utf8")).not.toContain("sess_1")
    })
  )

  it.scoped("errors_when_location_is_missing", () =>
    Effect.gen(function* () {
      const server = yield* startServer(answer())
      const error = yield* Effect.flip(withClient(`${server.origin}/v1`, (client) => client.create(OFFER)))
      expect(error.message).toBe("stream error: realtime call response missing Location")
    })
  )

  it.scoped("rejects_location_without_call_id", () =>
    Effect.gen(function* () {
      const server = yield* startServer(answer("/v1/realtime/calls"))
      const error = yield* Effect.flip(withClient(`${server.origin}/v1`, (client) => client.create(OFFER)))
      expect(error.message).toBe("stream error: realtime call Location does not contain a call id: /v1/realtime/calls")
    })
  )

  it.scoped("an answer that is not UTF-8 is a Stream error", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => ({
        status: 201,
        headers: { location: "/v1/realtime/calls/rtc_x" },
        body: new Uint8Array([0xff, 0xfe, 0x00])
      }))
      const error = yield* Effect.flip(withClient(`${server.origin}/v1`, (client) => client.create(OFFER)))
      expect(error.message).toMatch(/^stream error: failed to decode realtime call SDP response: /)
    })
  )

  it("callIdFromLocation searches segments from the end", () => {
    expect(RealtimeCall.callIdFromLocation("/v1/realtime/calls/rtc_test")).toBe("rtc_test")
    expect(RealtimeCall.callIdFromLocation("/v1/realtime/calls/rtc_a/events")).toBe("rtc_a")
    expect(RealtimeCall.callIdFromLocation("/v1/realtime/calls/rtc_")).toBeUndefined()
    expect(RealtimeCall.callIdFromLocation("https://x/rtc_q?y=rtc_z")).toBe("rtc_q")
  })
})
