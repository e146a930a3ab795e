import * as IdleTimeout from "@codex/client/IdleTimeout"
import * as Sse from "@codex/client/Sse"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Data, Effect, Exit, Fiber, Option, Stream, TestClock } from "effect"

class Idle extends Data.TaggedError("Idle")<{}> {}

const encoder = new TextEncoder()

/** Emits `value` every `everyMs` (after sleeping), forever. */
const ticking = <A>(value: A, everyMs: number) => Stream.repeatEffect(Effect.as(Effect.sleep(everyMs), value))

describe("IdleTimeout.idleTimeout", () => {
  it.effect("fails with onTimeout when nothing arrives within the duration of the start", () =>
    Effect.gen(function* () {
      const fiber = yield* Stream.never.pipe(
        IdleTimeout.idleTimeout("1 second", () => new Idle()),
        Stream.runDrain,
        Effect.fork
      )
      yield* TestClock.adjust("999 millis")
      assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)))
      yield* TestClock.adjust("1 millis")
      const exit = yield* Fiber.await(fiber)
      assert.deepStrictEqual(exit, Exit.fail(new Idle()))
    })
  )

  it.effect("is per element, not total: slow but steady elements never time out", () =>
    Effect.gen(function* () {
      const fiber = yield* ticking("x", 900).pipe(
        Stream.take(10),
        IdleTimeout.idleTimeout("1 second", () => new Idle()),
        Stream.runCollect,
        Effect.fork
      )
      yield* TestClock.adjust("9 seconds")
      const result = yield* Fiber.join(fiber)
      assert.strictEqual(Chunk.size(result), 10)
    })
  )

  it.effect("fails after the last element once the gap exceeds the duration (data-first form)", () =>
    Effect.gen(function* () {
      const upstream = Stream.concat(ticking(1, 500).pipe(Stream.take(2)), Stream.never)
      const seen: Array<number> = []
      const fiber = yield* IdleTimeout.idleTimeout(upstream, "1 second", () => new Idle()).pipe(
        Stream.runForEach((n) => Effect.sync(() => seen.push(n))),
        Effect.fork
      )
      yield* TestClock.adjust("1 second")
      assert.deepStrictEqual(seen, [1, 1])
      assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)))
      yield* TestClock.adjust("1 second")
      assert.deepStrictEqual(yield* Fiber.await(fiber), Exit.fail(new Idle()))
    })
  )

  it.effect("empty chunks (e.g. from Stream.filter) do not reset the timer, unlike Stream.timeoutFail", () =>
    Effect.gen(function* () {
      // every 500 ms an element arrives and is filtered out: an empty chunk reaches the combinator
      const filtered = ticking(0, 500).pipe(Stream.filter((n) => n > 0))
      const ours = yield* filtered.pipe(
        IdleTimeout.idleTimeout("1 second", () => new Idle()),
        Stream.runDrain,
        Effect.fork
      )
      const builtin = yield* filtered.pipe(
        Stream.timeoutFail(() => new Idle(), "1 second"),
        Stream.runDrain,
        Effect.fork
      )
      yield* TestClock.adjust("3 seconds")
      assert.deepStrictEqual(yield* Fiber.await(ours), Exit.fail(new Idle()))
      assert.isTrue(Option.isNone(yield* Fiber.poll(builtin)), "Stream.timeoutFail is reset by empty chunks")
      yield* Fiber.interrupt(builtin)
    })
  )

  it.effect("releases the upstream when it fires", () =>
    Effect.gen(function* () {
      let released = 0
      const fiber = yield* Stream.never.pipe(
        Stream.ensuring(Effect.sync(() => released++)),
        IdleTimeout.idleTimeout("1 second", () => new Idle()),
        Stream.runDrain,
        Effect.fork
      )
      yield* TestClock.adjust("1 second")
      yield* Fiber.await(fiber)
      assert.strictEqual(released, 1)
    })
  )

  it.effect("SSE keep-alive comments never become events, so they do not reset the timer", () =>
    Effect.gen(function* () {
      const bytes = ticking(encoder.encode(": ping\n\n"), 100)
      const fiber = yield* bytes.pipe(
        Sse.decode(),
        IdleTimeout.idleTimeout("1 second", () => new Idle()),
        Stream.runDrain,
        Effect.fork
      )
      yield* TestClock.adjust("900 millis")
      assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)))
      yield* TestClock.adjust("100 millis")
      assert.deepStrictEqual(yield* Fiber.await(fiber), Exit.fail(new Idle()))
    })
  )

  it.effect("a dispatched SSE event resets the timer", () =>
    Effect.gen(function* () {
      const bytes = Stream.concat(
        ticking(encoder.encode("data: x\n\n"), 600).pipe(Stream.take(3)),
        ticking(encoder.encode(": ping\n\n"), 100)
      )
      const events: Array<Sse.Event> = []
      const fiber = yield* bytes.pipe(
        Sse.decode(),
        IdleTimeout.idleTimeout("1 second", () => new Idle()),
        Stream.runForEach((e) => Effect.sync(() => events.push(e))),
        Effect.fork
      )
      yield* TestClock.adjust("2 seconds")
      assert.strictEqual(events.length, 3)
      assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)))
      yield* TestClock.adjust("1 second")
      assert.deepStrictEqual(yield* Fiber.await(fiber), Exit.fail(new Idle()))
    })
  )

  it.live("real time: `: ping` every 100 ms over a byte stream never yields an event, the timeout fires", () =>
    Effect.gen(function* () {
      const bytes = ticking(encoder.encode(": ping\n\n"), 100)
      let pings = 0
      const error = yield* bytes.pipe(
        Stream.tap(() => Effect.sync(() => pings++)),
        Sse.decode(),
        IdleTimeout.idleTimeout("350 millis", () => new Idle()),
        Stream.runDrain,
        Effect.flip
      )
      assert.instanceOf(error, Idle)
      assert.isAtLeast(pings, 2, "the keep-alive bytes did arrive")
    })
  )
})
