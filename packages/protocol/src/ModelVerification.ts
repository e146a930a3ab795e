/**
 * Model verification kinds reported by the server (`trusted_access_for_cyber` is the only one known).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * Schema of a model verification kind (`"trusted_access_for_cyber"`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ModelVerification = Schema.Literal("trusted_access_for_cyber")

/**
 * A model verification kind reported by the server (`"trusted_access_for_cyber"`).
 *
 * @since 0.1.0
 * @category models
 */
export type ModelVerification = typeof ModelVerification.Type

/**
 * Parses a wire value; anything unknown is `undefined`.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (value: string): ModelVerification | undefined =>
  value === "trusted_access_for_cyber" ? value : undefined
