/**
 * Where a session comes from. Only needed to compute the `x-openai-subagent` header.
 *
 * @since 0.1.0
 */

/**
 * The kind of sub-agent a session runs as.
 *
 * @since 0.1.0
 * @category models
 */
export type SubAgentSource =
  | { readonly _tag: "Review" }
  | { readonly _tag: "Compact" }
  | { readonly _tag: "MemoryConsolidation" }
  | { readonly _tag: "ThreadSpawn"; readonly parentThreadId?: string | undefined; readonly depth?: number | undefined }
  | { readonly _tag: "Other"; readonly label: string }

/**
 * Where a session comes from: the CLI, VS Code, exec, MCP, a sub-agent, or unknown.
 *
 * @since 0.1.0
 * @category models
 */
export type SessionSource =
  | { readonly _tag: "Cli" }
  | { readonly _tag: "VSCode" }
  | { readonly _tag: "Exec" }
  | { readonly _tag: "Mcp" }
  | { readonly _tag: "SubAgent"; readonly source: SubAgentSource }
  | { readonly _tag: "Unknown" }

/**
 * A session running as a sub-agent of the given kind.
 *
 * @since 0.1.0
 * @category constructors
 */
export const subAgent = (source: SubAgentSource): SessionSource => ({ _tag: "SubAgent", source })

/**
 * A review sub-agent.
 *
 * @since 0.1.0
 * @category constructors
 */
export const review: SubAgentSource = { _tag: "Review" }

/**
 * A compaction sub-agent.
 *
 * @since 0.1.0
 * @category constructors
 */
export const compact: SubAgentSource = { _tag: "Compact" }

/**
 * A memory consolidation sub-agent.
 *
 * @since 0.1.0
 * @category constructors
 */
export const memoryConsolidation: SubAgentSource = { _tag: "MemoryConsolidation" }

/**
 * A sub-agent spawned from another thread, with optional parent thread id and depth.
 *
 * @since 0.1.0
 * @category constructors
 */
export const threadSpawn = (
  options: { readonly parentThreadId?: string; readonly depth?: number } = {}
): SubAgentSource => ({
  _tag: "ThreadSpawn",
  ...options
})

/**
 * A sub-agent of another kind, sent with the given label.
 *
 * @since 0.1.0
 * @category constructors
 */
export const other = (label: string): SubAgentSource => ({ _tag: "Other", label })

/**
 * The `x-openai-subagent` header value: `review`, `compact`, `memory_consolidation`,
 * `collab_spawn` (thread spawn) or the `Other` label verbatim; `undefined` unless the session is a
 * sub-agent.
 *
 * @since 0.1.0
 * @category accessors
 */
export const subagentHeader = (source: SessionSource | undefined): string | undefined => {
  if (source === undefined || source._tag !== "SubAgent") return undefined
  switch (source.source._tag) {
    case "Review":
      return "review"
    case "Compact":
      return "compact"
    case "MemoryConsolidation":
      return "memory_consolidation"
    case "ThreadSpawn":
      return "collab_spawn"
    case "Other":
      return source.source.label
  }
}
