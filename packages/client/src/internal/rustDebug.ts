/**
 * Renders a string the way Rust's `{:?}` does, so error displays match the reference crate.
 * @internal
 */
export const rustDebugString = (s: string): string => {
  let out = '"'
  for (const ch of s) {
    const cp = ch.codePointAt(0)!
    switch (ch) {
      case "\\":
        out += "\\\\"
        break
      case '"':
        out += '\\"'
        break
      case "\n":
        out += "\\n"
        break
      case "\r":
        out += "\\r"
        break
      case "\t":
        out += "\\t"
        break
      case "\0":
        out += "\\0"
        break
      default:
        out += cp < 0x20 || cp === 0x7f ? `\\u{${cp.toString(16)}}` : ch
    }
  }
  return `${out}"`
}

/** `Some("…")` / `None` as Rust prints an `Option<String>`. @internal */
export const rustDebugOption = (s: string | undefined): string =>
  s === undefined ? "None" : `Some(${rustDebugString(s)})`
