/**
 * Renders a string the way Rust's `{:?}` does, so error displays match the Codex CLI.
 * @internal
 */
export const rustDebugString = (s: string): string => `"${s.replace(escaped, escapeChar)}"`

// One `replace` pass builds a flat string in time and memory linear in the input (appending one
// character at a time builds a rope of ~32 bytes per character).
const escaped = /[\\"\x00-\x1f\x7f]/g

const escapeChar = (ch: string): string => {
  switch (ch) {
    case "\\":
      return "\\\\"
    case '"':
      return '\\"'
    case "\n":
      return "\\n"
    case "\r":
      return "\\r"
    case "\t":
      return "\\t"
    case "\0":
      return "\\0"
    default:
      return `\\u{${ch.charCodeAt(0).toString(16)}}`
  }
}

/** `Some("…")` / `None` as Rust prints an `Option<String>`. @internal */
export const rustDebugOption = (s: string | undefined): string =>
  s === undefined ? "None" : `Some(${rustDebugString(s)})`
