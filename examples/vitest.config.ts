import { defineConfig } from "vitest/config"
import shared from "../tooling/vitest.shared.js"

// Without the shared preset's "module" condition: @opentelemetry/api exports its ESM build under
// "module", and that build imports files without extensions, which Node's loader refuses.
const conditions = ["@codex/source", "import", "node", "default"]
export default defineConfig({ ...shared, resolve: { conditions }, ssr: { resolve: { conditions } } })
