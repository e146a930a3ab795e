/**
 * @since 0.1.0
 */
export * as DemoFixture from "./DemoFixture.js"
/**
 * @since 0.1.0
 */
export * as Fixture from "./Fixture.js"
/**
 * @since 0.1.0
 */
export * as InMemoryTransport from "./InMemoryTransport.js"
/**
 * @since 0.1.0
 */
export * as ResponsesServer from "./ResponsesServer.js"
