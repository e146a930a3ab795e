/**
 * The package's version, from its package.json: a JSON import, so `changeset version` is all it
 * takes, the compiled `dist/` reads the published package.json, and a bundler (esbuild) inlines it.
 * @internal
 */
import packageJson from "../../package.json" with { type: "json" }

/** @internal */
export const version: string = packageJson.version
