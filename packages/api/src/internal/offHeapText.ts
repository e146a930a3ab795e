/**
 * Text appended piece by piece and read back whole, with its characters kept outside the JS heap.
 *
 * A realtime turn's transcript is kept until the next handoff, and a long turn is megabytes of
 * small deltas. Kept as strings, every byte of it survives young-generation collections and is
 * copied by the garbage collector twice (to the survivor space, then to the old generation), which
 * dominated the reader's cost. Here pieces are concatenated in small groups (which die young) and
 * copied into Buffers: 1 byte per character when a group is ASCII, UTF-16 code units otherwise, so
 * any string (lone surrogates included) reads back identical.
 *
 * Full-size (1 MiB) blocks given back by `release` are kept for reuse by later texts of any
 * connection (at most 16, dropped 30 s after they were first kept), so that a process streaming one
 * long turn after another does not allocate megabytes of fresh external memory per turn: V8 counts
 * that towards its next full collection, which then comes after every turn or two.
 * @internal
 */

/** Pieces per copy into a block: few enough that the pending ones rarely outlive a collection. */
const piecesPerCopy = 32

const minBlockBytes = 16 * 1024
const maxBlockBytes = 1024 * 1024

/**
 * Characters per string when reading back: below V8's large-object size, where a string is a
 * plain young allocation (large-object strings are much slower to create).
 */
const charsPerRead = 32 * 1024

/** Released full-size blocks kept for reuse, at most {@link maxSpareBlocks}. */
const spare: Array<Buffer> = []
const maxSpareBlocks = 16
/** Spare blocks are dropped this long after the first release that found none kept. */
const spareLifetimeMs = 30_000
let dropSpare: ReturnType<typeof setTimeout> | undefined

const keepSpare = (bytes: Buffer): void => {
  if (spare.length >= maxSpareBlocks) return
  spare.push(bytes)
  if (dropSpare === undefined) {
    dropSpare = setTimeout(() => {
      spare.length = 0
      dropSpare = undefined
    }, spareLifetimeMs)
    // Never what keeps a process alive.
    dropSpare.unref?.()
  }
}

const allocateBlock = (bytes: number): Buffer =>
  (bytes === maxBlockBytes ? spare.pop() : undefined) ?? Buffer.allocUnsafeSlow(bytes)

interface Block {
  readonly bytes: Buffer
  used: number
  /** UTF-16 code units (2 bytes per character) rather than ASCII (1 byte). */
  readonly wide: boolean
}

/** @internal */
export class OffHeapText {
  /** The pieces not copied yet, concatenated (a rope until it is written out). */
  private pending = ""
  private pendingPieces = 0
  private blocks: Array<Block> = []

  /** Appends `text` (after everything appended before). */
  append(text: string): void {
    this.pending += text
    if (++this.pendingPieces >= piecesPerCopy) this.copyPending()
  }

  /** Everything appended, in order. */
  read(): string {
    this.copyPending()
    let out = ""
    for (const block of this.blocks) {
      const encoding = block.wide ? "utf16le" : "latin1"
      const step = block.wide ? 2 * charsPerRead : charsPerRead
      for (let start = 0; start < block.used; start += step) {
        out += block.bytes.toString(encoding, start, Math.min(start + step, block.used))
      }
    }
    return out
  }

  /** Empties the text and offers its blocks for reuse: call it only when the text is no longer needed. */
  release(): void {
    for (const block of this.blocks) {
      if (block.bytes.length === maxBlockBytes) keepSpare(block.bytes)
    }
    this.blocks = []
    this.pending = ""
    this.pendingPieces = 0
  }

  private copyPending(): void {
    const text = this.pending
    this.pending = ""
    this.pendingPieces = 0
    if (text.length === 0) return
    let block = this.blocks[this.blocks.length - 1]
    if (block === undefined || !block.wide) {
      // Written as UTF-8 (the fastest write), ASCII takes one byte per character and any other
      // character more, so the byte count tells whether the text belongs in a 1-byte block.
      if (block === undefined || block.used + 3 * text.length > block.bytes.length) {
        block = this.addBlock(3 * text.length, false)
      }
      const written = block.bytes.write(text, block.used)
      if (written === text.length) {
        block.used += written
        return
      }
      // Not ASCII: the bytes written past `used` are ignored and the text goes to a UTF-16 block
      // (a 1-byte block added for it and left empty is given back).
      if (block.used === 0) {
        this.blocks.pop()
        if (block.bytes.length === maxBlockBytes) keepSpare(block.bytes)
      }
      block = this.addBlock(2 * text.length, true)
    } else if (block.used + 2 * text.length > block.bytes.length) {
      block = this.addBlock(2 * text.length, true)
    }
    block.used += block.bytes.write(text, block.used, "utf16le")
  }

  /** A new last block of at least `bytes`; sizes double from `minBlockBytes` up to `maxBlockBytes`. */
  private addBlock(bytes: number, wide: boolean): Block {
    const previous = this.blocks[this.blocks.length - 1]
    const preferred = Math.min(maxBlockBytes, Math.max(minBlockBytes, 2 * (previous?.bytes.length ?? 0)))
    const block: Block = { bytes: allocateBlock(Math.max(bytes, preferred)), used: 0, wide }
    this.blocks.push(block)
    return block
  }
}
