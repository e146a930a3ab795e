import * as Sse from "@codex/client/Sse"
import * as ExperimentalSse from "@effect/experimental/Sse"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Chunk, Effect, Exit, FastCheck as fc, Fiber, Option, Stream } from "effect"

// ---------------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------------

const encoder = new TextEncoder()
type Input = string | Uint8Array | ReadonlyArray<number>
const toBytes = (input: Input): Uint8Array =>
  typeof input === "string" ? encoder.encode(input) : input instanceof Uint8Array ? input : Uint8Array.from(input)

const ev = (data: string, extra: Partial<Sse.Event> = {}): Sse.Event => ({
  event: "message",
  data,
  id: undefined,
  ...extra
})

const decodeSync = (chunks: ReadonlyArray<Input>, options?: Sse.DecodeOptions): Array<Sse.Event> => {
  const decoder = Sse.makeDecoder(options)
  const out: Array<Sse.Event> = []
  for (const chunk of chunks) out.push(...decoder.push(toBytes(chunk)))
  out.push(...decoder.end())
  return out
}

const decodeStream = (chunks: ReadonlyArray<Input>, options?: Sse.DecodeOptions) =>
  Stream.fromIterable(chunks.map(toBytes)).pipe(
    Stream.rechunk(1),
    Sse.decode(options),
    Stream.runCollect,
    Effect.map(Chunk.toArray)
  )

/** Decodes through the Effect stream AND the sync decoder; both must give `expected`. */
const expectEvents = (chunks: ReadonlyArray<Input>, expected: ReadonlyArray<Sse.Event>, options?: Sse.DecodeOptions) =>
  Effect.gen(function* () {
    const viaStream = yield* decodeStream(chunks, options)
    assert.deepStrictEqual(viaStream, expected)
    assert.deepStrictEqual(decodeSync(chunks, options), expected)
  })

/** Every way of cutting `text` into two chunks, plus 1-byte chunks. */
const allSplits = (text: string): Array<Array<Uint8Array>> => {
  const bytes = encoder.encode(text)
  const out: Array<Array<Uint8Array>> = [[bytes]]
  for (let i = 1; i < bytes.length; i++) out.push([bytes.subarray(0, i), bytes.subarray(i)])
  out.push(Array.from(bytes, (b) => Uint8Array.of(b)))
  return out
}

// ---------------------------------------------------------------------------------------------------
// peer-lessons section 6: line endings and chunking (1-7)
// ---------------------------------------------------------------------------------------------------

describe("Sse.decode line endings and chunking", () => {
  it.effect("1. LF-only, CR-only and CRLF streams", () =>
    Effect.gen(function* () {
      yield* expectEvents(["data: dog\ndata: cat\n\ndata: fox\n\n"], [ev("dog\ncat"), ev("fox")])
      yield* expectEvents(["data: dog\rdata: cat\r\rdata: fox\r\r"], [ev("dog\ncat"), ev("fox")])
      yield* expectEvents(["data: sheep\r\ndata: goat\r\n\r\ndata: cow\r\n\r\n"], [ev("sheep\ngoat"), ev("cow")])
    })
  )

  it.effect("2. CRLF split across chunks is one terminator", () =>
    expectEvents(["data: A\r", "\ndata: B\r", "\n", "\r", "\n"], [ev("A\nB")])
  )

  it.effect("3. CR ending a chunk followed by a chunk starting with a blank line", () =>
    expectEvents(["data: foo\r", "\n\n", "data: bar\n\n"], [ev("foo"), ev("bar")])
  )

  it.effect("4. double CR, and CR CR followed by CRLF", () =>
    Effect.gen(function* () {
      // foo, empty (dispatch), empty (CRLF), bar
      yield* expectEvents(["data: foo\r", "\r", "\r", "\n", "data: bar\n\n"], [ev("foo"), ev("bar")])
      yield* expectEvents(["data: foo\r\r\r\ndata: bar\n\n"], [ev("foo"), ev("bar")])
    })
  )

  it.effect("5. blank-line separator split over chunks in every combination", () =>
    Effect.gen(function* () {
      for (const eol of ["\n", "\r\n", "\r"]) {
        const text = `data: a${eol}${eol}data: b${eol}${eol}`
        for (const chunks of allSplits(text)) {
          yield* expectEvents(chunks, [ev("a"), ev("b")])
        }
      }
    })
  )

  it.effect("6. escaped \\n\\n inside a JSON string does not split the event", () =>
    expectEvents(['data: {"delta":"a\\n\\nb"}\n\n'], [ev('{"delta":"a\\n\\nb"}')])
  )

  it.effect("7. U+2028 / U+2029 inside data are not line terminators", () =>
    Effect.gen(function* () {
      for (const chunks of allSplits("data: a\u2028b\u2029c\n\n")) {
        yield* expectEvents(chunks, [ev("a\u2028b\u2029c")])
      }
    })
  )
})

// ---------------------------------------------------------------------------------------------------
// encoding (8-10)
// ---------------------------------------------------------------------------------------------------

describe("Sse.decode encoding", () => {
  it.effect("8. multi-byte UTF-8 split at every byte offset", () =>
    Effect.gen(function* () {
      const text = "data: привет мир 💙🎉 中文\r\n\r\n"
      for (const chunks of allSplits(text)) {
        yield* expectEvents(chunks, [ev("привет мир 💙🎉 中文")])
      }
      // openai-node's cuts: Cyrillic [d0] + [b8 d0 b7 d0] ..., emoji [f0 9f] + [92 99 0d]
      yield* expectEvents(
        [
          [0x64, 0x61, 0x74, 0x61, 0x3a, 0xd0],
          [0xb8, 0xd0, 0xb7, 0xd0],
          [0xb2, 0x0a, 0x0a]
        ],
        [ev("изв")]
      )
      yield* expectEvents([[0x64, 0x61, 0x74, 0x61, 0x3a, 0xf0, 0x9f], [0x92, 0x99, 0x0d], [0x0d]], [ev("💙")])
    })
  )

  it.effect("invalid UTF-8 becomes U+FFFD and does not fail the stream", () =>
    expectEvents(
      [
        [0x64, 0x61, 0x74, 0x61, 0x3a, 0x20, 0xff, 0x61, 0xc3],
        [0x0a, 0x0a]
      ],
      [ev("\uFFFDa\uFFFD")]
    )
  )

  it.effect("9. a leading BOM is stripped, also when split over chunks", () =>
    Effect.gen(function* () {
      yield* expectEvents([[0xef, 0xbb, 0xbf], "data: a\n\n"], [ev("a")])
      yield* expectEvents([[0xef], [0xbb], [0xbf, 0x64], "ata: a\n\n"], [ev("a")])
      yield* expectEvents(["\uFEFFdata: a\n\n"], [ev("a")])
    })
  )

  it.effect("9. a BOM after the start is kept (the line becomes an unknown field)", () =>
    Effect.gen(function* () {
      yield* expectEvents(["data: a\n\n\uFEFFdata: b\n\ndata: c\n\n"], [ev("a"), ev("c")])
      // only ONE BOM is stripped at the start
      yield* expectEvents(["\uFEFF\uFEFFdata: b\n\ndata: c\n\n"], [ev("c")])
    })
  )

  it.effect("10. multibyte content in comments and data (CJK, Arabic, Malayalam, 100 emoji)", () =>
    Effect.gen(function* () {
      const emoji = "😀".repeat(100)
      const text = `: 你好 مرحبا നമസ്കാരം ${emoji}\ndata: 你好\ndata: مرحبا\ndata: നമസ്കാരം\ndata: ${emoji}\n\n`
      const expected = [ev(`你好\nمرحبا\nനമസ്കാരം\n${emoji}`)]
      yield* expectEvents([text], expected)
      yield* expectEvents(
        Array.from(encoder.encode(text), (b) => Uint8Array.of(b)),
        expected
      )
    })
  )
})

// ---------------------------------------------------------------------------------------------------
// fields (11-22)
// ---------------------------------------------------------------------------------------------------

describe("Sse.decode fields", () => {
  it.effect("11. comment lines are ignored (: hello, bare colon, 300 colons, split, NUL)", () =>
    Effect.gen(function* () {
      yield* expectEvents([": hello\n:\n", `${":".repeat(300)}\n`, ": with \u0000 nul\ndata: a\n\n"], [ev("a")])
      yield* expectEvents([": com", "ment split", " over chunks\r", "\ndata: b\n", "\n"], [ev("b")])
    })
  )

  it.effect("12. a field with no colon has an empty value (data\\ndata\\n\\n gives \\n)", () =>
    expectEvents(["data\ndata\n\n"], [ev("\n")])
  )

  it.effect("13. data: with an empty value dispatches an event with empty data", () =>
    expectEvents(["data:\n\n"], [ev("")])
  )

  it.effect("14. only one leading space after the colon is removed", () =>
    expectEvents(["data:  x \n\ndata:y\n\n"], [ev(" x "), ev("y")])
  )

  it.effect("15. multi-line data joined with LF, no trailing LF", () =>
    expectEvents(["data: a\ndata: b\ndata: c\n\n"], [ev("a\nb\nc")])
  )

  it.effect("16. empty event: resets to the default type", () =>
    expectEvents(
      ["event: foo\nevent:\ndata: x\n\nevent: bar\ndata: y\n\ndata: z\n\n"],
      [ev("x"), ev("y", { event: "bar" }), ev("z")]
    )
  )

  it.effect("17. event: without data is not dispatched, and its type does not leak", () =>
    expectEvents(["event: foo\n\ndata: x\n\n"], [ev("x")])
  )

  it.effect("18. empty id sets the last id to empty; an id with NUL is ignored", () =>
    Effect.gen(function* () {
      yield* expectEvents(["id: 1\ndata: a\n\nid\ndata: b\n\n"], [ev("a", { id: "1" }), ev("b", { id: "" })])
      yield* expectEvents(["id: 2\nid: a\u0000b\ndata: c\n\n"], [ev("c", { id: "2" })])
    })
  )

  it.effect("19. last event id persists across events until changed", () =>
    expectEvents(
      ["id: 7\ndata: a\n\ndata: b\n\nid: 8\ndata: c\n\n"],
      [ev("a", { id: "7" }), ev("b", { id: "7" }), ev("c", { id: "8" })]
    )
  )

  it.effect("20. retry: digits only; a retry block without data still applies", () =>
    Effect.gen(function* () {
      yield* expectEvents(["retry:1000\ndata: a\n\n"], [ev("a", { retry: 1000 })])
      yield* expectEvents(
        ["retry:\ndata: a\n\nretry:2000x\ndata: b\n\nretry: -5\ndata: c\n\n"],
        [ev("a"), ev("b"), ev("c")]
      )
      yield* expectEvents(["retry: 3000\n\ndata: b\n\n"], [ev("b", { retry: 3000 })])
    })
  )

  it.effect("21. unknown fields are ignored (foobar:, bare text, leading space, prefixes)", () =>
    expectEvents(["foobar:xxx\njustsometext\n data: x\ndatax: y\nidentity: z\neventful: w\ndata: ok\n\n"], [ev("ok")])
  )

  it.effect("22. field names are case-sensitive", () =>
    expectEvents(["Data: x\nDATA: y\nEvent: e\nID: 1\ndata: z\n\n"], [ev("z")])
  )
})

// ---------------------------------------------------------------------------------------------------
// event boundaries and EOF (23-26), lifecycle (33-35)
// ---------------------------------------------------------------------------------------------------

describe("Sse.decode boundaries and end of stream", () => {
  it.effect("23. several blank lines before the first event", () =>
    expectEvents(["\n\n\n\nid: 1\ndata: a\n\n"], [ev("a", { id: "1" })])
  )

  it.effect("24. many events packed into one chunk", () => {
    const text = Array.from({ length: 500 }, (_, i) => `data: ${i}\n\n`).join("")
    return expectEvents(
      [text],
      Array.from({ length: 500 }, (_, i) => ev(String(i)))
    )
  })

  it.effect("24. one 200 KB event spread over 1-byte chunks (linear, not quadratic)", () => {
    const payload = "x".repeat(200_000)
    const bytes = encoder.encode(`data: ${payload}\n\n`)
    const decoder = Sse.makeDecoder()
    const out: Array<Sse.Event> = []
    for (let i = 0; i < bytes.length; i++) out.push(...decoder.push(bytes.subarray(i, i + 1)))
    assert.deepStrictEqual(out, [ev(payload)])
    return Effect.void
  })

  it.effect("25. a complete data line without the final blank line is dispatched at EOF (default)", () =>
    Effect.gen(function* () {
      const completed = 'data: {"type":"response.completed"}'
      yield* expectEvents([`data: a\n\n${completed}\n`], [ev("a"), ev('{"type":"response.completed"}')])
      yield* expectEvents([`data: a\n\n${completed}`], [ev("a"), ev('{"type":"response.completed"}')])
      yield* expectEvents([`data: a\n\n${completed}\r`], [ev("a"), ev('{"type":"response.completed"}')])
    })
  )

  it.effect("25. dispatchIncompleteEventAtEof: false drops the unterminated event (reference behaviour)", () =>
    Effect.gen(function* () {
      const options = { dispatchIncompleteEventAtEof: false }
      yield* expectEvents(["data: a\n\ndata: b\n"], [ev("a")], options)
      yield* expectEvents(["data: a\n\ndata: b"], [ev("a")], options)
    })
  )

  it.effect("26. a stream ending mid-line or in a comment yields no extra event without data", () =>
    Effect.gen(function* () {
      yield* expectEvents(["data: a\n\n: trailing comm"], [ev("a")])
      yield* expectEvents(["data: a\n\nevent: x\nid: 3"], [ev("a")])
      yield* expectEvents(["data: a\n\nda"], [ev("a")])
      // the pending data survives a trailing comment and is dispatched at EOF
      yield* expectEvents(["data: a\n\ndata: b\n: ping"], [ev("a"), ev("b")])
    })
  )

  it.effect("33. empty body and body without events", () =>
    Effect.gen(function* () {
      yield* expectEvents([], [])
      yield* expectEvents([""], [])
      yield* expectEvents([": ping\n\n", "\n\n"], [])
      yield* expectEvents([[0xef, 0xbb]], [])
    })
  )

  it.effect("34. does not read ahead of the consumer beyond one chunk", () =>
    Effect.gen(function* () {
      let pulled = 0
      const upstream = Stream.fromIterable(["data: 1\n\n", "data: 2\n\n", "data: 3\n\n", "data: 4\n\n"]).pipe(
        Stream.rechunk(1),
        Stream.map(toBytes),
        Stream.tap(() => Effect.sync(() => pulled++))
      )
      const first = yield* upstream.pipe(Sse.decode(), Stream.take(1), Stream.runCollect)
      assert.deepStrictEqual(Chunk.toArray(first), [ev("1")])
      assert.strictEqual(pulled, 1)
    })
  )

  it.effect("35. early stop releases the upstream", () =>
    Effect.gen(function* () {
      let released = 0
      const upstream = Stream.fromIterable(["data: 1\n\n", "data: 2\n\n"]).pipe(
        Stream.rechunk(1),
        Stream.map(toBytes),
        Stream.concat(Stream.never),
        Stream.ensuring(Effect.sync(() => released++))
      )
      const first = yield* upstream.pipe(Sse.decode(), Stream.take(2), Stream.runCollect)
      assert.deepStrictEqual(Chunk.toArray(first), [ev("1"), ev("2")])
      assert.strictEqual(released, 1)
    })
  )

  it.effect("35. interruption mid-stream releases the upstream", () =>
    Effect.gen(function* () {
      let released = 0
      const upstream = Stream.make(toBytes("data: 1\n\n")).pipe(
        Stream.concat(Stream.never),
        Stream.ensuring(Effect.sync(() => released++))
      )
      const fiber = yield* upstream.pipe(Sse.decode(), Stream.runDrain, Effect.fork)
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(fiber)
      assert.strictEqual(released, 1)
    })
  )

  it.effect("upstream errors pass through unchanged, after the events before them", () =>
    Effect.gen(function* () {
      const result = yield* Stream.make(toBytes("data: 1\n\n")).pipe(
        Stream.concat(Stream.fail("boom" as const)),
        Sse.decode(),
        Stream.runCollect,
        Effect.either
      )
      assert.deepStrictEqual(result._tag, "Left")
      if (result._tag === "Left") assert.strictEqual(result.left, "boom")
    })
  )
})

// ---------------------------------------------------------------------------------------------------
// size and memory (30-31)
// ---------------------------------------------------------------------------------------------------

describe("Sse.decode size bound", () => {
  it.effect("30. a 10 MB event fits with a larger limit, in 64 KiB chunks", () =>
    Effect.gen(function* () {
      const payload = "y".repeat(10_000_000)
      const bytes = encoder.encode(`data: ${payload}\n\n`)
      const chunks: Array<Uint8Array> = []
      for (let i = 0; i < bytes.length; i += 65_536) chunks.push(bytes.subarray(i, i + 65_536))
      const events = yield* decodeStream(chunks, { maxEventSize: 12 * 1024 * 1024 })
      assert.strictEqual(events.length, 1)
      assert.strictEqual(events[0]?.data.length, 10_000_000)
    })
  )

  it.effect("31. an unterminated line that never ends fails typed with EventTooLarge", () =>
    Effect.gen(function* () {
      const chunks = ["data: 1\n\n", "data: ", ...Array.from({ length: 10 }, () => "z".repeat(100))]
      const exit = yield* Stream.fromIterable(chunks.map(toBytes)).pipe(
        Stream.rechunk(1),
        Sse.decode({ maxEventSize: 500 }),
        Stream.runCollect,
        Effect.exit
      )
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isFailure(exit)) {
        const failure = Cause.failureOption(exit.cause)
        assert.isTrue(Option.isSome(failure), "a typed failure, not a defect")
        const error = Option.getOrThrow(failure)
        assert.instanceOf(error, Sse.SseError)
        assert.strictEqual(error._tag, "SseError")
        assert.strictEqual(error.reason, "EventTooLarge")
        assert.strictEqual(error.maxEventSize, 500)
        assert.isAbove(error.size, 500)
      }
    })
  )

  it.effect("31. endless data lines without a blank line fail; events before the overflow are emitted", () =>
    Effect.gen(function* () {
      const text = `data: first\n\n${"data: 0123456789\n".repeat(100)}`
      const events: Array<Sse.Event> = []
      const error = yield* Stream.make(toBytes(text)).pipe(
        Sse.decode({ maxEventSize: 200 }),
        Stream.runForEach((event) => Effect.sync(() => events.push(event))),
        Effect.flip
      )
      assert.deepStrictEqual(events, [ev("first")])
      assert.strictEqual(error.reason, "EventTooLarge")
    })
  )

  it.effect("31. comment lines are not buffered, so long keep-alives never overflow", () =>
    expectEvents([": ", ...Array.from({ length: 50 }, () => "p".repeat(100)), "\ndata: ok\n\n"], [ev("ok")], {
      maxEventSize: 200
    })
  )

  it("31. the decoder refuses input after an overflow", () => {
    const decoder = Sse.makeDecoder({ maxEventSize: 10 })
    assert.deepStrictEqual(decoder.push(toBytes("data: 12345678901234\n")), [])
    assert.instanceOf(decoder.error, Sse.SseError)
    assert.deepStrictEqual(decoder.push(toBytes("\ndata: a\n\n")), [])
    assert.deepStrictEqual(decoder.end(), [])
  })

  it("pushAll: the events of all chunks in order, undefined for none, stops at an overflow", () => {
    const decoder = Sse.makeDecoder({ maxEventSize: 20 })
    assert.strictEqual(Sse.pushAll(decoder, [toBytes("data: o"), toBytes("ne")]), undefined)
    assert.deepStrictEqual(Sse.pushAll(decoder, [toBytes("\n\ndata: two\n\n"), toBytes("data: three\n\n")]), [
      ev("one"),
      ev("two"),
      ev("three")
    ])
    // the overflowing chunk ends it: what came before is returned, the chunk after is not read
    const events = Sse.pushAll(decoder, [
      toBytes("data: four\n\ndata: "),
      toBytes("x".repeat(30)),
      toBytes("\n\ndata: five\n\n")
    ])
    assert.deepStrictEqual(events, [ev("four")])
    assert.instanceOf(decoder.error, Sse.SseError)
    assert.strictEqual(Sse.pushAll(decoder, [toBytes("data: six\n\n")]), undefined)
  })
})

// ---------------------------------------------------------------------------------------------------
// property: any chunking gives the same events
// ---------------------------------------------------------------------------------------------------

interface GenEvent {
  readonly event: string
  readonly id: string | undefined
  readonly data: ReadonlyArray<string>
  readonly comment: string | undefined
  readonly eol: "\n" | "\r" | "\r\n"
}

const lineText = fc
  .string({ unit: "binary", maxLength: 20 })
  .filter((s) => !/[\r\n]/.test(s) && !/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, "")))
const genEvent: fc.Arbitrary<GenEvent> = fc.record({
  event: fc.constantFrom("", "message", "response.output_text.delta", "ping"),
  id: fc.option(
    lineText.filter((s) => !s.includes("\u0000")),
    { nil: undefined }
  ),
  data: fc.array(lineText, { minLength: 1, maxLength: 4 }),
  comment: fc.option(lineText, { nil: undefined }),
  eol: fc.constantFrom("\n" as const, "\r" as const, "\r\n" as const)
})

const serialize = (events: ReadonlyArray<GenEvent>): string =>
  events
    .map((e) => {
      const lines: Array<string> = []
      if (e.comment !== undefined) lines.push(`:${e.comment}`)
      if (e.event !== "") lines.push(`event: ${e.event}`)
      if (e.id !== undefined) lines.push(`id: ${e.id}`)
      for (const d of e.data) lines.push(`data: ${d}`)
      return lines.join(e.eol) + e.eol + e.eol
    })
    .join("")

const expectedOf = (events: ReadonlyArray<GenEvent>): Array<Sse.Event> => {
  let id: string | undefined
  return events.map((e) => {
    if (e.id !== undefined) id = e.id
    return { event: e.event === "" ? "message" : e.event, data: e.data.join("\n"), id }
  })
}

describe("Sse.decode property", () => {
  it("any chunking (random cuts and 1-byte chunks) yields the same events as one chunk", () => {
    fc.assert(
      fc.property(
        fc.array(genEvent, { minLength: 0, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (events, cuts) => {
          const bytes = encoder.encode(serialize(events))
          const expected = expectedOf(events)
          assert.deepStrictEqual(decodeSync([bytes]), expected)
          const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort(
            (a, b) => a - b
          )
          const chunks: Array<Uint8Array> = []
          let prev = 0
          for (const p of points) {
            chunks.push(bytes.subarray(prev, p))
            prev = p
          }
          chunks.push(bytes.subarray(prev))
          assert.deepStrictEqual(decodeSync(chunks), expected)
          assert.deepStrictEqual(decodeSync(Array.from(bytes, (b) => Uint8Array.of(b))), expected)
        }
      ),
      { numRuns: 300 }
    )
  })
})

// ---------------------------------------------------------------------------------------------------
// comparison: @effect/experimental/Sse (after Stream.decodeText) on the same cases
// ---------------------------------------------------------------------------------------------------

const decodeExperimental = (chunks: ReadonlyArray<Input>, options?: ExperimentalSse.DecodeOptions) =>
  Stream.fromIterable(chunks.map(toBytes)).pipe(
    Stream.rechunk(1),
    Stream.decodeText(),
    Stream.pipeThroughChannel(ExperimentalSse.makeChannel(options)),
    Stream.map((e): Sse.Event => ({ event: e.event, data: e.data, id: e.id })),
    Stream.runCollect,
    Effect.map(Chunk.toArray)
  )

describe("@effect/experimental/Sse on the same edge cases (why we keep our own decoder)", () => {
  const cases: ReadonlyArray<readonly [string, ReadonlyArray<Input>, ReadonlyArray<Sse.Event>, boolean]> = [
    // experimental forgets a CR that ended the previous chunk: the LF becomes a blank line
    ["CRLF split across chunks", ["data: A\r", "\ndata: B\r", "\n", "\r", "\n"], [ev("A\nB")], false],
    [
      "multi-byte UTF-8 split",
      [[0x64, 0x61, 0x74, 0x61, 0x3a, 0xf0, 0x9f], [0x92, 0x99, 0x0d], [0x0d]],
      [ev("💙")],
      true
    ],
    ["leading BOM", [[0xef, 0xbb, 0xbf], "data: a\n\n"], [ev("a")], true],
    ["one space stripped", ["data:  x\n\n"], [ev(" x")], true],
    ["event without data", ["event: foo\n\ndata: x\n\n"], [ev("x")], true],
    // experimental clears the id after every event: it does not persist
    ["last event id persists", ["id: 7\ndata: a\n\ndata: b\n\n"], [ev("a", { id: "7" }), ev("b", { id: "7" })], false],
    // experimental drops the final event without a blank line (the lost response.completed)
    ["event without final blank line at EOF", ["data: a\n\ndata: b\n"], [ev("a"), ev("b")], false],
    ["no final newline at EOF", ["data: a\n\ndata: b"], [ev("a"), ev("b")], false]
  ]
  for (const [name, chunks, expected, experimentalAgrees] of cases) {
    it.effect(`${name}: ours ok, experimental ${experimentalAgrees ? "ok" : "differs"}`, () =>
      Effect.gen(function* () {
        yield* expectEvents(chunks, expected)
        const theirs = yield* decodeExperimental(chunks)
        if (experimentalAgrees) assert.deepStrictEqual(theirs, expected)
        else assert.notDeepEqual(theirs, expected)
      })
    )
  }

  it.effect("EventTooLarge: ours is a typed failure, experimental's is a defect", () =>
    Effect.gen(function* () {
      const chunks = ["data: ", "z".repeat(1000)]
      const theirs = yield* Effect.exit(decodeExperimental(chunks, { maxEventSize: 100 }))
      assert.isTrue(Exit.isFailure(theirs) && Cause.isDie(theirs.cause) && !Cause.isFailType(theirs.cause))
      const ours = yield* Effect.exit(decodeStream(chunks, { maxEventSize: 100 }))
      assert.isTrue(Exit.isFailure(ours) && Option.isSome(Cause.failureOption(ours.cause)))
    })
  )
})
