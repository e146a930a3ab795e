/**
 * Search: `POST {base}/alpha/search` with a typed {@link SearchRequest} (wire names, every optional
 * key omitted when absent, keys written in the reference order) returning
 * `{"encrypted_output": string | null, "output": string}`.
 *
 * @since 0.1.0
 */
import type { HttpTransport } from "@codex/client/HttpTransport"
import * as ResponseItem from "@codex/protocol/ResponseItem"
import type * as Headers from "@effect/platform/Headers"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type * as ApiError from "./ApiError.js"
import type { AuthProvider } from "./Auth.js"
import { decodeResponse, encodeBody, Reasoning } from "./internal/endpointJson.js"
import { execute } from "./internal/endpointSession.js"
import type * as Provider from "./Provider.js"

/**
 * @since 0.1.0
 * @category constants
 */
export const path = "alpha/search"

/**
 * `{ q, recency? (days), domains? }`, used by `search_query` and `image_query`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SearchQuery = Schema.Struct({
  q: Schema.String,
  recency: Schema.optional(Schema.Int),
  domains: Schema.optional(Schema.Array(Schema.String))
})

/**
 * @since 0.1.0
 * @category schemas
 */
export const OpenOperation = Schema.Struct({ ref_id: Schema.String, lineno: Schema.optional(Schema.Int) })

/**
 * @since 0.1.0
 * @category schemas
 */
export const ClickOperation = Schema.Struct({ ref_id: Schema.String, id: Schema.Int })

/**
 * @since 0.1.0
 * @category schemas
 */
export const FindOperation = Schema.Struct({ ref_id: Schema.String, pattern: Schema.String })

/**
 * @since 0.1.0
 * @category schemas
 */
export const ScreenshotOperation = Schema.Struct({ ref_id: Schema.String, pageno: Schema.Int })

/**
 * @since 0.1.0
 * @category schemas
 */
export const FinanceAssetType = Schema.Literal("equity", "fund", "crypto", "index")

/**
 * @since 0.1.0
 * @category schemas
 */
export const FinanceOperation = Schema.Struct({
  ticker: Schema.String,
  type: FinanceAssetType,
  market: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category schemas
 */
export const WeatherOperation = Schema.Struct({
  location: Schema.String,
  start: Schema.optional(Schema.String),
  duration: Schema.optional(Schema.Int)
})

/**
 * @since 0.1.0
 * @category schemas
 */
export const SportsToolName = Schema.Literal("sports")

/**
 * @since 0.1.0
 * @category schemas
 */
export const SportsFunction = Schema.Literal("schedule", "standings")

/**
 * @since 0.1.0
 * @category schemas
 */
export const SportsLeague = Schema.Literal("nba", "wnba", "nfl", "nhl", "mlb", "epl", "ncaamb", "ncaawb", "ipl")

/**
 * @since 0.1.0
 * @category schemas
 */
export const SportsOperation = Schema.Struct({
  tool: Schema.optional(SportsToolName),
  fn: SportsFunction,
  league: SportsLeague,
  team: Schema.optional(Schema.String),
  opponent: Schema.optional(Schema.String),
  date_from: Schema.optional(Schema.String),
  date_to: Schema.optional(Schema.String),
  num_games: Schema.optional(Schema.Int),
  locale: Schema.optional(Schema.String)
})

/**
 * `{ utc_offset }`, e.g. `"+03:00"`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TimeOperation = Schema.Struct({ utc_offset: Schema.String })

/**
 * @since 0.1.0
 * @category schemas
 */
export const SearchResponseLength = Schema.Literal("short", "medium", "long")

/**
 * @since 0.1.0
 * @category schemas
 */
export const SearchCommands = Schema.Struct({
  search_query: Schema.optional(Schema.Array(SearchQuery)),
  image_query: Schema.optional(Schema.Array(SearchQuery)),
  open: Schema.optional(Schema.Array(OpenOperation)),
  click: Schema.optional(Schema.Array(ClickOperation)),
  find: Schema.optional(Schema.Array(FindOperation)),
  screenshot: Schema.optional(Schema.Array(ScreenshotOperation)),
  finance: Schema.optional(Schema.Array(FinanceOperation)),
  weather: Schema.optional(Schema.Array(WeatherOperation)),
  sports: Schema.optional(Schema.Array(SportsOperation)),
  time: Schema.optional(Schema.Array(TimeOperation)),
  response_length: Schema.optional(SearchResponseLength)
})

/**
 * @since 0.1.0
 * @category schemas
 */
export const LocationType = Schema.Literal("approximate")

/**
 * @since 0.1.0
 * @category schemas
 */
export const ApproximateLocation = Schema.Struct({
  type: LocationType,
  country: Schema.optional(Schema.String),
  region: Schema.optional(Schema.String),
  city: Schema.optional(Schema.String),
  timezone: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category schemas
 */
export const SearchContextSize = Schema.Literal("low", "medium", "high")

/**
 * @since 0.1.0
 * @category schemas
 */
export const SearchFilters = Schema.Struct({
  allowed_domains: Schema.optional(Schema.Array(Schema.String)),
  blocked_domains: Schema.optional(Schema.Array(Schema.String))
})

/**
 * @since 0.1.0
 * @category schemas
 */
export const SearchImageSettings = Schema.Struct({
  max_results: Schema.optional(Schema.Int),
  caption: Schema.optional(Schema.Boolean)
})

/**
 * @since 0.1.0
 * @category schemas
 */
export const AllowedCaller = Schema.Literal("direct", "shell", "code_interpreter")

/**
 * @since 0.1.0
 * @category schemas
 */
export const SearchSettings = Schema.Struct({
  user_location: Schema.optional(ApproximateLocation),
  search_context_size: Schema.optional(SearchContextSize),
  filters: Schema.optional(SearchFilters),
  image_settings: Schema.optional(SearchImageSettings),
  allowed_callers: Schema.optional(Schema.Array(AllowedCaller)),
  external_web_access: Schema.optional(Schema.Boolean)
})

/**
 * `input` is either text or response items (written in their wire form).
 *
 * @since 0.1.0
 * @category schemas
 */
export const SearchInput = Schema.Union(Schema.String, Schema.Array(ResponseItem.ResponseItemFromWire))

/**
 * @since 0.1.0
 * @category schemas
 */
export const SearchRequest = Schema.Struct({
  id: Schema.String,
  model: Schema.String,
  reasoning: Schema.optional(Reasoning),
  input: Schema.optional(SearchInput),
  commands: Schema.optional(SearchCommands),
  settings: Schema.optional(SearchSettings),
  max_output_tokens: Schema.optional(Schema.Int)
})

/**
 * @since 0.1.0
 * @category models
 */
export type SearchRequest = typeof SearchRequest.Type

/**
 * @since 0.1.0
 * @category schemas
 */
export const SearchResponse = Schema.Struct({
  encrypted_output: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }),
  output: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type SearchResponse = typeof SearchResponse.Type

/**
 * @since 0.1.0
 * @category models
 */
export interface CallOptions {
  readonly extraHeaders?: Headers.Input | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * Errors: `failed to encode search request: …`, `failed to decode search response: …; body: …`
   * and transport errors after retries.
   */
  readonly search: (request: SearchRequest, options?: CallOptions) => Effect.Effect<SearchResponse, ApiError.ApiError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class SearchClient extends Context.Tag("@codex/api/SearchClient")<SearchClient, Service>() {}

const search = (
  request: SearchRequest,
  options: CallOptions | undefined
): Effect.Effect<SearchResponse, ApiError.ApiError, HttpTransport | AuthProvider | Provider.CurrentProvider> =>
  encodeBody(SearchRequest, "search request", request).pipe(
    Effect.flatMap((body) => execute({ method: "POST", path, extraHeaders: options?.extraHeaders, body })),
    Effect.flatMap((response) => decodeResponse(SearchResponse, "search", response.body)),
    Effect.withSpan("search.search")
  )

/**
 * Builds the client from the transport, auth and provider in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, HttpTransport | AuthProvider | Provider.CurrentProvider> = Effect.map(
  Effect.context<HttpTransport | AuthProvider | Provider.CurrentProvider>(),
  (context) =>
    SearchClient.of({
      search: (request, options) => Effect.provide(search(request, options), context)
    })
)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<SearchClient, never, HttpTransport | AuthProvider | Provider.CurrentProvider> =
  Layer.effect(SearchClient, make)
