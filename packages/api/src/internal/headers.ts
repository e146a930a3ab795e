/**
 * Header merge helpers. Precedence for HTTP requests is provider < caller extras < endpoint < auth,
 * every later layer replacing same-named values; for the WebSocket handshake it is provider < extras
 * < defaults (only filling names still absent) < auth.
 * @internal
 */
import * as Headers from "@effect/platform/Headers"

/**
 * Every name of `input` replaces all values of that name in `self` (names compare case-insensitively).
 * @internal
 */
export const mergeReplace = (self: Headers.Headers, input: Headers.Input | undefined): Headers.Headers =>
  input === undefined ? self : Headers.setAll(self, input)

/**
 * Adds the names of `defaults` that `self` does not carry yet; existing values are kept.
 * @internal
 */
export const fillMissing = (self: Headers.Headers, defaults: Headers.Input | undefined): Headers.Headers => {
  if (defaults === undefined) return self
  let out = self
  for (const [name, value] of Object.entries(Headers.fromInput(defaults))) {
    if (!Headers.has(out, name)) out = Headers.set(out, name, value)
  }
  return out
}

/**
 * The wildcard `accept` header (any media type) unless `self` already has an `accept` header: what
 * the Codex backend sees from the reference client's HTTP library on every request that sets none
 * (all JSON endpoints).
 * @internal
 */
export const withDefaultAccept = (self: Headers.Headers): Headers.Headers =>
  Headers.has(self, "accept") ? self : Headers.set(self, "accept", "*/*")
