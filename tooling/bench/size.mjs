// Bundle size benchmark: a Responses-streaming program bundled by esbuild for the browser (one ES
// module file, minified), then gzipped (level 9):
//   (a) ours: size/ours.mjs, @codex/api on HttpTransport.layerFetch
//   (b) openai-node: size/openai.mjs, the same streamed call with the `openai` package
//   (c) Effect floor: size/effect-floor.mjs, the Effect runtime + Stream + Layer/Config + Schema
//       that such an Effect program decoding its events with effect/Schema carries, without our code
//   (d) (c) + @effect/platform's FetchHttpClient (size/platform-floor.mjs), the client a program
//       giving HttpTransport.layer a FetchHttpClient adds (layerFetch calls fetch directly)
//   (e) the Effect runtime alone (size/effect-runtime.mjs)
// and, for (a), the largest contributors by package and the modules that add most over (d).
// Bundling fails if a Node built-in is reached.
// Runs against the BUILT packages (the bench's `^build` dependency).
// Usage: node tooling/bench/size.mjs
import { gzipSync } from "node:zlib"
import { fileURLToPath } from "node:url"
import * as esbuild from "esbuild"

const here = (name) => fileURLToPath(new URL(name, import.meta.url))

const measure = async (entry) => {
  const result = await esbuild.build({
    entryPoints: [here(entry)],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
    logLevel: "error"
  })
  const bytes = result.outputFiles[0].contents
  const byPackage = new Map()
  const byModule = new Map()
  for (const [input, info] of Object.entries(Object.values(result.metafile.outputs)[0].inputs)) {
    byModule.set(input.replace(/.*node_modules\//, "").replace(/.*packages\//, "@codex/"), info.bytesInOutput)
    const name =
      /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ??
      /packages\/([^/]+)\//.exec(input)?.[1]?.replace(/^/, "@codex/") ??
      "(entry)"
    byPackage.set(name, (byPackage.get(name) ?? 0) + info.bytesInOutput)
  }
  return { min: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength, byPackage, byModule }
}

const kb = (n) => `${(n / 1000).toFixed(1)} KB`

export const main = async () => {
  const ours = await measure("size/ours.mjs")
  const openai = await measure("size/openai.mjs")
  const floor = await measure("size/effect-floor.mjs")
  const platform = await measure("size/platform-floor.mjs")
  const runtime = await measure("size/effect-runtime.mjs")
  console.log("Responses-streaming program, esbuild --bundle --minify --platform=browser --format=esm, gzip -9")
  console.log("program                       minified    gzip")
  for (const [label, r] of [
    ["(a) ours (layerFetch)", ours],
    ["(b) openai-node", openai],
    ["(c) Effect floor", floor],
    ["(d) (c) + FetchHttpClient", platform],
    ["(e) Effect runtime alone", runtime]
  ]) {
    console.log(`${label.padEnd(28)} ${kb(r.min).padStart(10)} ${kb(r.gzip).padStart(9)}`)
  }
  console.log(
    `ours / openai-node: ${(ours.min / openai.min).toFixed(2)}× minified, ${(ours.gzip / openai.gzip).toFixed(2)}× gzip; ` +
      `ours over the Effect floor: +${kb(ours.min - floor.min)} minified, +${kb(ours.gzip - floor.gzip)} gzip, ` +
      `FetchHttpClient alone adds +${kb(platform.gzip - floor.gzip)} gzip to the floor`
  )
  console.log("ours by package (minified bytes in the bundle):")
  for (const [name, bytes] of [...ours.byPackage].sort((x, y) => y[1] - x[1])) {
    console.log(`  ${name.padEnd(20)} ${kb(bytes).padStart(10)}`)
  }
  console.log("ours over (d), the 15 modules adding most (minified bytes in the bundle, ours - (d)):")
  const added = [...ours.byModule].map(([name, bytes]) => [name, bytes - (platform.byModule.get(name) ?? 0)])
  for (const [name, bytes] of added.sort((x, y) => y[1] - x[1]).slice(0, 15)) {
    console.log(`  ${name.padEnd(52)} ${kb(bytes).padStart(10)}`)
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
