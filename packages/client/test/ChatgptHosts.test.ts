import { describe, expect, it } from "@effect/vitest"
import { isAllowedChatgptHost } from "../src/ChatgptHosts.js"

describe("ChatgptHosts", () => {
  // reference: chatgpt_hosts.rs::recognizes_chatgpt_hosts_without_suffix_tricks
  it("recognizes chatgpt hosts without suffix tricks", () => {
    for (const host of [
      "chatgpt.com",
      "foo.chatgpt.com",
      "staging.chatgpt.com",
      "chat.openai.com",
      "chatgpt-staging.com",
      "api.chatgpt-staging.com"
    ]) {
      expect(isAllowedChatgptHost(host), host).toBe(true)
    }
    for (const host of ["evilchatgpt.com", "chatgpt.com.evil.example", "api.openai.com", "foo.chat.openai.com"]) {
      expect(isAllowedChatgptHost(host), host).toBe(false)
    }
  })

  it("rejects the bare suffixes, look-alikes and the empty host", () => {
    for (const host of [
      ".chatgpt.com",
      ".chatgpt-staging.com",
      "",
      "openai.com",
      "chatgpt.co",
      "xchatgpt-staging.com"
    ]) {
      expect(isAllowedChatgptHost(host), host).toBe(false)
    }
  })

  it("ignores case, as host names do", () => {
    expect(isAllowedChatgptHost("ChatGPT.com")).toBe(true)
    expect(isAllowedChatgptHost("Foo.CHATGPT.COM")).toBe(true)
  })
})
