// Runs every benchmark in sequence: the SSE decoder benchmark (sse.mjs, when present), the
// Responses streaming benchmark (responses.mjs), the WebSocket streaming benchmark (websocket.mjs),
// bundle sizes (size.mjs), the codex-api command as a whole process (cli.mjs), then the memory of a
// client receiving a 500 with a 64 MiB body (error-body.mjs). Each module exports `main`.
import { existsSync } from "node:fs"
import { fileURLToPath, pathToFileURL } from "node:url"

const here = (name) => fileURLToPath(new URL(name, import.meta.url))

for (const name of ["sse.mjs", "responses.mjs", "websocket.mjs", "size.mjs", "cli.mjs", "error-body.mjs"]) {
  if (!existsSync(here(name))) {
    console.log(`(skipping ${name}: not present)`)
    continue
  }
  const mod = await import(pathToFileURL(here(name)).href)
  if (typeof mod.main !== "function") {
    console.log(`(skipping ${name}: no main export)`)
    continue
  }
  console.log(`\n=== ${name} ===`)
  await mod.main()
}
