import * as Images from "@codex/api/Images"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { clientLayer, json, startServer, TOKEN } from "./utils/endpointServer.js"

const imageResponse = {
  created: 1_700_000_000,
  data: [{ b64_json: "aW1hZ2U=" }],
  background: "opaque",
  quality: "medium",
  size: "1024x1536",
  output_format: "png",
  usage: { total_tokens: 10 }
}

const withClient = <A, E>(baseUrl: string, f: (client: Images.Service) => Effect.Effect<A, E>) =>
  Effect.flatMap(Images.make, f).pipe(Effect.provide(clientLayer(baseUrl)))

describe("Images", () => {
  it.scoped("generate_posts_typed_request_and_parses_image_response", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => json(imageResponse))
      const response = yield* withClient(`${server.origin}/api/codex`, (client) =>
        client.generate({
          prompt: "a cat",
          background: "opaque",
          model: "gpt-image-1",
          quality: "medium",
          size: "1024x1536"
        })
      )
      const request = server.requests[0]!
      expect(request.method).toBe("POST")
      expect(request.url).toBe("/api/codex/images/generations")
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`)
      expect(request.headers["x-provider-header"]).toBe("provider")
      expect(request.headers.accept).toBe("*/*")
      expect(request.headers["content-type"]).toBe("application/json")
      expect(request.body.toString("utf8")).toBe(
        '{"prompt":"a cat","background":"opaque","model":"gpt-image-1","quality":"medium","size":"1024x1536"}'
      )
      expect(response).toEqual({
        created: 1_700_000_000,
        data: [{ b64_json: "aW1hZ2U=" }],
        background: "opaque",
        quality: "medium",
        size: "1024x1536"
      })
    })
  )

  it.scoped("edit_posts_typed_request_and_parses_image_response", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => json(imageResponse))
      const response = yield* withClient(`${server.origin}/api/codex`, (client) =>
        client.edit({
          images: [{ image_url: "data:image/png;base64,Zm9v" }],
          prompt: "make it blue",
          model: "gpt-image-1",
          n: 2
        })
      )
      const request = server.requests[0]!
      expect(request.url).toBe("/api/codex/images/edits")
      expect(request.body.toString("utf8")).toBe(
        '{"images":[{"image_url":"data:image/png;base64,Zm9v"}],"prompt":"make it blue","model":"gpt-image-1","n":2}'
      )
      expect(response).toEqual({
        created: 1_700_000_000,
        data: [{ b64_json: "aW1hZ2U=" }],
        background: "opaque",
        quality: "medium",
        size: "1024x1536"
      })
    })
  )

  it.scoped("image_response_requires_image_data", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => json({ created: 1 }))
      const generation = yield* Effect.flip(
        withClient(server.origin, (client) => client.generate({ prompt: "p", model: "m" }))
      )
      expect(generation._tag).toBe("Stream")
      expect(
        generation.message.startsWith("stream error: failed to decode image generation response: missing field `data`")
      ).toBe(true)
      const edit = yield* Effect.flip(
        withClient(server.origin, (client) => client.edit({ images: [], prompt: "p", model: "m" }))
      )
      expect(edit.message).toBe(
        'stream error: failed to decode image edit response: missing field `data`; body: {"created":1}'
      )
    })
  )

  it.scoped("a non-2xx answer is a Transport error after the configured retries", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => json({ error: { message: "bad" } }, 400))
      const error = yield* Effect.flip(
        withClient(server.origin, (client) => client.generate({ prompt: "p", model: "m" }))
      )
      expect(error._tag).toBe("Transport")
      expect(error.message).toContain("http 400")
    })
  )
})
