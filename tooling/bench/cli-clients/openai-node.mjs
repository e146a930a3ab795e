// The peer for tooling/bench/cli.mjs: the openai npm package streaming a Responses call to the end.
// Usage: node openai-node.mjs <base-url>
import OpenAI from "openai"

const client = new OpenAI({ apiKey: "sk-test", baseURL: process.argv[2], maxRetries: 0 })
const stream = await client.responses.create({ model: "m", input: "hi", stream: true })
let events = 0
for await (const _ of stream) events++
console.log(`events=${events}`)
