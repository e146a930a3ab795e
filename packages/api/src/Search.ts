/**
 * Search: `POST {base}/alpha/search` with a typed {@link SearchRequest} (wire names, every optional
 * key omitted when absent, keys written in the Codex CLI's order) returning
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
 * The path of the search endpoint, relative to the base URL.
 *
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
 * Schema of a search command that opens a page.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OpenOperation = Schema.Struct({ ref_id: Schema.String, lineno: Schema.optional(Schema.Int) })

/**
 * Schema of a search command that follows a link on a page.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ClickOperation = Schema.Struct({ ref_id: Schema.String, id: Schema.Int })

/**
 * Schema of a search command that finds text in a page.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FindOperation = Schema.Struct({ ref_id: Schema.String, pattern: Schema.String })

/**
 * Schema of a search command that takes a screenshot of a page.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ScreenshotOperation = Schema.Struct({ ref_id: Schema.String, pageno: Schema.Int })

/**
 * Schema of the asset type of a finance lookup.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FinanceAssetType = Schema.Literal("equity", "fund", "crypto", "index")

/**
 * Schema of a finance lookup command.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FinanceOperation = Schema.Struct({
  ticker: Schema.String,
  type: FinanceAssetType,
  market: Schema.optional(Schema.String)
})

/**
 * Schema of a weather lookup command.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WeatherOperation = Schema.Struct({
  location: Schema.String,
  start: Schema.optional(Schema.String),
  duration: Schema.optional(Schema.Int)
})

/**
 * Schema of the name of a sports lookup tool.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SportsToolName = Schema.Literal("sports")

/**
 * Schema of the function of a sports lookup.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SportsFunction = Schema.Literal("schedule", "standings")

/**
 * Schema of the league of a sports lookup.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SportsLeague = Schema.Literal("nba", "wnba", "nfl", "nhl", "mlb", "epl", "ncaamb", "ncaawb", "ipl")

/**
 * Schema of a sports lookup command.
 *
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
 * Schema of the requested answer length.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SearchResponseLength = Schema.Literal("short", "medium", "long")

/**
 * Schema of the commands of a search request.
 *
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
 * Schema of the type of a user location.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LocationType = Schema.Literal("approximate")

/**
 * Schema of the user's approximate location.
 *
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
 * Schema of the search context size.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SearchContextSize = Schema.Literal("low", "medium", "high")

/**
 * Schema of the search filters (e.g. allowed domains).
 *
 * @since 0.1.0
 * @category schemas
 */
export const SearchFilters = Schema.Struct({
  allowed_domains: Schema.optional(Schema.Array(Schema.String)),
  blocked_domains: Schema.optional(Schema.Array(Schema.String))
})

/**
 * Schema of the image settings of a search.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SearchImageSettings = Schema.Struct({
  max_results: Schema.optional(Schema.Int),
  caption: Schema.optional(Schema.Boolean)
})

/**
 * Schema of a caller allowed to use the search.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AllowedCaller = Schema.Literal("direct", "shell", "code_interpreter")

/**
 * Schema of the search settings.
 *
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
 * Schema of a search request.
 *
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
 * A search request: the commands to run and the search settings.
 *
 * @since 0.1.0
 * @category models
 */
export type SearchRequest = typeof SearchRequest.Type

/**
 * Schema of a search response.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SearchResponse = Schema.Struct({
  encrypted_output: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }),
  output: Schema.String
})

/**
 * A search response: the output and, optionally, the encrypted output.
 *
 * @since 0.1.0
 * @category models
 */
export type SearchResponse = typeof SearchResponse.Type

/**
 * Per-call options: extra headers added to (and replacing same-named) provider headers.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallOptions {
  readonly extraHeaders?: Headers.Input | undefined
}

/**
 * The search client: its methods send the request and decode the answer, failing with a typed
 * `ApiError`.
 *
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
 * The search client's service tag; provide it with {@link layer}.
 *
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
 * A layer providing the {@link SearchClient}, from the transport, auth and provider.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<SearchClient, never, HttpTransport | AuthProvider | Provider.CurrentProvider> =
  Layer.effect(SearchClient, make)
