// The Responses event payloads the streaming benchmarks serve (responses.mjs over SSE,
// websocket.mjs as WebSocket frames): the same JSON on both transports.

/** One `response.output_text.delta` (a 45-character delta). */
export const responsesDelta = (seq) => ({
  type: "response.output_text.delta",
  item_id: "msg_0123456789abcdef0123456789abcdef",
  output_index: 0,
  content_index: 0,
  delta: "The quick brown fox jumps over the lazy dog. ",
  logprobs: [],
  sequence_number: seq
})

export const responsesCreated = { type: "response.created", response: { id: "resp_bench", status: "in_progress" } }

export const responsesCompleted = {
  type: "response.completed",
  response: {
    id: "resp_bench",
    status: "completed",
    usage: {
      input_tokens: 10,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 15
    }
  }
}
