/**
 * The ChatGPT host check: which hosts may receive
 * ChatGPT-only state such as the Cloudflare cookies of {@link CloudflareCookies}.
 *
 * @since 0.1.0
 */

const exactHosts: ReadonlySet<string> = new Set(["chatgpt.com", "chat.openai.com", "chatgpt-staging.com"])

// Suffixes start with a dot so that `evilchatgpt.com` does not pass as a subdomain.
const hostSuffixes: ReadonlyArray<string> = [".chatgpt.com", ".chatgpt-staging.com"]

/**
 * Whether `host` (a bare host name, no port) is a ChatGPT host: exactly `chatgpt.com`,
 * `chat.openai.com` or `chatgpt-staging.com`, or a subdomain of `chatgpt.com` or
 * `chatgpt-staging.com`. Case-insensitive. Subdomains of `chat.openai.com` are not ChatGPT hosts.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isAllowedChatgptHost = (host: string): boolean => {
  const name = host.toLowerCase()
  if (exactHosts.has(name)) return true
  return hostSuffixes.some((suffix) => name.length > suffix.length && name.endsWith(suffix))
}
