// Runs every package's tests through turbo, then prints one closing line
// `N passed, M failed[, K skipped]` summed from vitest's JSON reports, and exits
// non-zero when turbo or any test failed. A package whose report is missing
// (it crashed before writing one) counts as one failure.
import { spawnSync } from "node:child_process"
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { join } from "node:path"

const root = new URL("..", import.meta.url).pathname
const packages = [
  ...readdirSync(join(root, "packages")).map((name) => join(root, "packages", name)),
  join(root, "examples"),
  join(root, "tooling", "snippets")
]
for (const dir of packages) rmSync(join(dir, "test-results.json"), { force: true })

const turbo = spawnSync(
  "pnpm",
  ["exec", "turbo", "run", "test", "--continue", "--output-logs=new-only", ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", NO_COLOR: "1", FORCE_COLOR: "0" }
  }
)

let passed = 0
let failed = 0
let skipped = 0
for (const dir of packages) {
  if (!existsSync(join(dir, "package.json"))) continue
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
  if (!pkg.scripts?.test) continue
  const report = join(dir, "test-results.json")
  if (!existsSync(report)) {
    console.error(`no test report from ${pkg.name}`)
    failed += 1
    continue
  }
  const r = JSON.parse(readFileSync(report, "utf8"))
  passed += r.numPassedTests
  failed += r.numFailedTests
  skipped += r.numPendingTests + r.numTodoTests
  // A test file that failed to load contributes no failed test; count it.
  for (const file of r.testResults ?? []) {
    if (file.status === "failed" && (file.assertionResults ?? []).length === 0) failed += 1
  }
}
const code = turbo.status === 0 && failed === 0 ? 0 : 1
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`)
process.exit(code)
