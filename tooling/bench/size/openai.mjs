// openai-node's equivalent of ours.mjs: a streamed Responses call printing text deltas.
import OpenAI from "openai"

const client = new OpenAI({ dangerouslyAllowBrowser: true })
const stream = await client.responses.create({
  model: "gpt-5",
  instructions: "Answer in one sentence.",
  input: "What is Effect?",
  stream: true
})
for await (const event of stream) {
  if (event.type === "response.output_text.delta") console.log(event.delta)
}
