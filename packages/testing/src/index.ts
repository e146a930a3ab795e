/**
 * `@codex/testing`: test helpers for code built on `@codex/api`: a local Responses server with
 * scripted answers and fault injection, an in-memory transport, and SSE fixtures.
 *
 * @since 0.1.0
 */

/**
 * The demo conversation used by the CLI's demo mode and the examples.
 *
 * @since 0.1.0
 */
export * as DemoFixture from "./DemoFixture.js"
/**
 * Helpers to build SSE events and scripted responses.
 *
 * @since 0.1.0
 */
export * as Fixture from "./Fixture.js"
/**
 * An `HttpTransport` that answers from a script, without sockets.
 *
 * @since 0.1.0
 */
export * as InMemoryTransport from "./InMemoryTransport.js"
/**
 * A local HTTP/WebSocket server for tests, answering from a script, with fault injection.
 *
 * @since 0.1.0
 */
export * as ResponsesServer from "./ResponsesServer.js"
