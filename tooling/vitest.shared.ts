import { defineConfig } from "vitest/config"

/**
 * Shared vitest preset: tests run against the packages' TypeScript sources (the
 * `@codex/source` export condition), so no build is needed to test a change.
 */
export default defineConfig({
  resolve: { conditions: ["@codex/source", "import", "module", "node", "default"] },
  ssr: { resolve: { conditions: ["@codex/source", "import", "module", "node", "default"] } },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    poolOptions: { forks: { singleFork: false, maxForks: 2, minForks: 1 } }
  }
})
