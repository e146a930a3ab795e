/**
 * The off-heap text log behind the realtime transcript reads back exactly what was appended: ASCII,
 * Latin-1, BMP and astral characters, lone surrogates, pieces split anywhere, and enough text to fill
 * several blocks of both kinds.
 */
import { describe, expect, it } from "@effect/vitest"
import { OffHeapText } from "../src/internal/offHeapText.js"

const appendAll = (pieces: ReadonlyArray<string>): string => {
  const text = new OffHeapText()
  for (const piece of pieces) text.append(piece)
  return text.read()
}

/** A deterministic pseudo-random generator (xorshift), so a failure reproduces. */
const random = (seed: number) => () => {
  seed ^= seed << 13
  seed ^= seed >>> 17
  seed ^= seed << 5
  return (seed >>> 0) / 0x1_0000_0000
}

describe("OffHeapText", () => {
  it("is empty before anything is appended", () => {
    expect(new OffHeapText().read()).toBe("")
  })

  it("keeps a few pieces in order, empty pieces included", () => {
    expect(appendAll(["delegate ", "", "now"])).toBe("delegate now")
  })

  it("reads back characters of every width and lone surrogates unchanged", () => {
    const pieces = ["plain ", "café ", "日本語 ", "😀", "\ud83d", "\ude00", " \udc00 alone ", "\ud800", "end"]
    const many = Array.from({ length: 40 }, (_, i) => pieces[i % pieces.length]!)
    expect(appendAll(many)).toBe(many.join(""))
  })

  it("splits a surrogate pair across pieces and across ASCII / non-ASCII groups", () => {
    const pieces = [
      ...Array.from({ length: 31 }, () => "a"),
      "\ud83d",
      "\ude00",
      ...Array.from({ length: 40 }, () => "b")
    ]
    expect(appendAll(pieces)).toBe(pieces.join(""))
  })

  it("after release, is empty, and a later text reusing its blocks reads back only its own characters", () => {
    const first = new OffHeapText()
    for (let i = 0; i < 100_000; i++) first.append("first turn, long enough to fill full-size blocks. ")
    expect(first.read().length).toBe(100_000 * 50)
    first.release()
    expect(first.read()).toBe("")

    const second = new OffHeapText()
    const pieces = Array.from({ length: 80_000 }, (_, i) => (i % 1000 === 999 ? "näive " : `second ${i % 10} `))
    for (const piece of pieces) second.append(piece)
    expect(second.read()).toBe(pieces.join(""))
    second.release()
  })

  it("reads back megabytes of mixed text, several times, with more appended in between", () => {
    const next = random(12345)
    const alphabet = ["The quick brown fox ", "jumps ", "über ", "den ", "犬 ", "🦊", "\ud83e", "!", "\n"]
    const text = new OffHeapText()
    let expected = ""
    for (let round = 0; round < 3; round++) {
      const pieces: Array<string> = []
      for (let i = 0; i < 60_000; i++) {
        // Long ASCII runs (narrow blocks) broken by occasional other characters (wide blocks).
        const piece = next() < 0.9 ? alphabet[Math.floor(next() * 2)]! : alphabet[Math.floor(next() * alphabet.length)]!
        pieces.push(piece)
        text.append(piece)
      }
      expected += pieces.join("")
      expect(text.read()).toBe(expected)
    }
    expect(expected.length).toBeGreaterThan(1_000_000)
  })
})
