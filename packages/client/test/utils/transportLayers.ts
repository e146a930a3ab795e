/**
 * The HTTP transport layers every wire test runs against: undici with its own `Agent`, undici on a
 * dispatcher owned by the test file (as a custom CA / proxy layer would own its Agent; closed after
 * the file's tests), and the global `fetch`.
 */
import { afterAll } from "@effect/vitest"
import type * as Layer from "effect/Layer"
import { Agent } from "undici"
import * as HttpTransport from "../../src/HttpTransport.js"

const dispatcher = new Agent()
afterAll(() => dispatcher.close())

export const transportLayers: ReadonlyArray<readonly [string, Layer.Layer<HttpTransport.HttpTransport>]> = [
  ["layerNode", HttpTransport.layerNode],
  ["layerNodeWithDispatcher", HttpTransport.layerNodeWithDispatcher(dispatcher)],
  ["layerFetch", HttpTransport.layerFetch]
]
