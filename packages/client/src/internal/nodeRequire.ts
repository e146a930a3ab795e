/**
 * undici is CommonJS and loads Node built-ins with `require`. Bundled into a single ES module file
 * (esbuild `--platform=node --format=esm`), those calls go through the bundler's shim, which only
 * works when a global `require` exists, and an ES module has none ("Dynamic require of
 * "node:assert" is not supported"). Evaluated before undici (it is the first import of the Node
 * transport module), this gives the process a `require` made with `createRequire` when it has
 * none. Unbundled programs load undici through Node's own CommonJS loader and never look at it.
 * Listed in the package's `sideEffects` so that bundlers keep it.
 * @internal
 */
import { createRequire } from "node:module"

const scope = globalThis as { require?: unknown }

if (typeof scope.require === "undefined") scope.require = createRequire(import.meta.url)
