/** @internal */
import type { SseEvent } from "../Fixture.js"

/** @internal */
export const encodeEvent = (event: SseEvent): string =>
  "_tag" in event && event._tag === "Raw"
    ? (event as { readonly text: string }).text
    : `event: ${String((event as { readonly type: unknown }).type)}\ndata: ${JSON.stringify(event)}\n\n`

/** @internal */
export const encodeSse = (events: ReadonlyArray<SseEvent>): string => events.map(encodeEvent).join("")
