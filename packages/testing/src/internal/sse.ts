/**
 * SSE text of fixture events: JSON events go through `@codex/api`'s `sseFixture` (one builder for the
 * whole repo), raw pieces are written verbatim.
 * @internal
 */
import { sseFixture } from "@codex/api/ResponsesFixture"
import type { SseEvent } from "../Fixture.js"

const isRaw = (event: SseEvent): event is Extract<SseEvent, { readonly _tag: "Raw" }> =>
  "_tag" in event && event._tag === "Raw" && typeof (event as { text?: unknown }).text === "string"

/** @internal */
export const encodeEvent = (event: SseEvent): string => (isRaw(event) ? event.text : sseFixture([event]))

/** @internal */
export const encodeSse = (events: ReadonlyArray<SseEvent>): string => events.map(encodeEvent).join("")
