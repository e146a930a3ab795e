import * as SessionSource from "@codex/protocol/SessionSource"
import { describe, expect, it } from "@effect/vitest"
import * as ResponsesRequest from "../src/ResponsesRequest.js"

const base: ResponsesRequest.ResponsesApiRequest = {
  model: "gpt-5",
  instructions: "",
  input: [],
  tools: [],
  toolChoice: "auto",
  parallelToolCalls: true,
  store: false,
  stream: true,
  include: []
}

describe("ResponsesRequest", () => {
  it("minimal body: instructions omitted, reasoning null, key order", () => {
    const wire = ResponsesRequest.toWire(base)
    expect(JSON.stringify(wire)).toBe(
      '{"model":"gpt-5","input":[],"tools":[],"tool_choice":"auto","parallel_tool_calls":true,"reasoning":null,"store":false,"stream":true,"include":[]}'
    )
  })

  it("full body keeps the reference key order", () => {
    const wire = ResponsesRequest.toWire({
      ...base,
      instructions: "be brief",
      input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }],
      reasoning: { effort: "high", summary: "auto", context: "current_turn" },
      include: ["reasoning.encrypted_content"],
      serviceTier: "priority",
      promptCacheKey: "thread-1",
      text: ResponsesRequest.createTextParamForRequest("low", { type: "object" }, true),
      clientMetadata: { "x-codex-installation-id": "inst" }
    })
    expect(Object.keys(wire)).toEqual([
      "model",
      "instructions",
      "input",
      "tools",
      "tool_choice",
      "parallel_tool_calls",
      "reasoning",
      "store",
      "stream",
      "include",
      "service_tier",
      "prompt_cache_key",
      "text",
      "client_metadata"
    ])
    expect(wire.reasoning).toEqual({ effort: "high", summary: "auto", context: "current_turn" })
    expect(JSON.stringify(wire.text)).toBe(
      '{"verbosity":"low","format":{"type":"json_schema","strict":true,"schema":{"type":"object"},"name":"codex_output_schema"}}'
    )
    expect(wire.input).toEqual([{ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }])
  })

  it("reasoning with no fields is an empty object", () => {
    expect(ResponsesRequest.toWire({ ...base, reasoning: {} }).reasoning).toEqual({})
  })

  it("createTextParamForRequest", () => {
    expect(ResponsesRequest.createTextParamForRequest(undefined, undefined, true)).toBeUndefined()
    expect(JSON.stringify(ResponsesRequest.createTextParamForRequest("high", undefined, false))).toBe(
      '{"verbosity":"high"}'
    )
    expect(ResponsesRequest.createTextParamForRequest(undefined, { a: 1 }, false)?.format).toEqual({
      type: "json_schema",
      strict: false,
      schema: { a: 1 },
      name: "codex_output_schema"
    })
  })

  it("azure + store re-attaches ids on the listed item types only", () => {
    const request: ResponsesRequest.ResponsesApiRequest = {
      ...base,
      store: true,
      input: [
        { type: "message", id: "msg_1", role: "user", content: [] },
        { type: "function_call", id: "fc_1", name: "f", arguments: "{}", call_id: "c1" },
        { type: "function_call_output", call_id: "c1", output: "ok" },
        { type: "message", id: "", role: "user", content: [] }
      ]
    }
    const azure = ResponsesRequest.toWire(request, { azure: true }).input as Array<Record<string, unknown>>
    expect(azure.map((item) => item.id)).toEqual(["msg_1", "fc_1", undefined, undefined])
    const notStored = ResponsesRequest.toWire({ ...request, store: false }, { azure: true }).input as Array<
      Record<string, unknown>
    >
    expect(notStored.map((item) => item.id)).toEqual([undefined, undefined, undefined, undefined])
    const notAzure = ResponsesRequest.toWire(request).input as Array<Record<string, unknown>>
    expect(notAzure.map((item) => item.id)).toEqual([undefined, undefined, undefined, undefined])
  })

  it("headers: identity headers on top of extra headers", () => {
    const headers = ResponsesRequest.buildHeaders({
      sessionId: "s",
      threadId: "t",
      sessionSource: SessionSource.subAgent(SessionSource.threadSpawn()),
      extraHeaders: { "Thread-Id": "caller", "x-extra": "1" }
    })
    expect(headers["session-id"]).toBe("s")
    expect(headers["thread-id"]).toBe("t")
    expect(headers["x-client-request-id"]).toBe("t")
    expect(headers["x-openai-subagent"]).toBe("collab_spawn")
    expect(headers["x-extra"]).toBe("1")
  })

  it("headers: nothing set when options are empty; non-subagent sources add no header", () => {
    expect(ResponsesRequest.buildHeaders({})).toEqual({})
    const other = ResponsesRequest.buildHeaders({
      sessionSource: SessionSource.subAgent(SessionSource.other("x-label"))
    })
    expect(other["x-openai-subagent"]).toBe("x-label")
  })

  it("buildSessionHeaders: session-id and thread-id, each only when given", () => {
    expect(ResponsesRequest.buildSessionHeaders("s", "t")).toEqual({ "session-id": "s", "thread-id": "t" })
    expect(ResponsesRequest.buildSessionHeaders("s")).toEqual({ "session-id": "s" })
    expect(ResponsesRequest.buildSessionHeaders(undefined, "t")).toEqual({ "thread-id": "t" })
    expect(ResponsesRequest.buildSessionHeaders()).toEqual({})
  })
})
