// The floor for tooling/bench/cli.mjs: fetch + TextDecoder + split on "\n\n" + JSON.parse of each
// data line, nothing else. Usage: node floor.mjs <base-url>
const res = await fetch(`${process.argv[2]}/responses`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: "{}"
})
const decoder = new TextDecoder()
let buffer = ""
let events = 0
for await (const chunk of res.body) {
  buffer += decoder.decode(chunk, { stream: true })
  let index
  while ((index = buffer.indexOf("\n\n")) >= 0) {
    const block = buffer.slice(0, index)
    buffer = buffer.slice(index + 2)
    const data = block.indexOf("data: ")
    if (data >= 0) {
      JSON.parse(block.slice(data + 6))
      events++
    }
  }
}
console.log(`events=${events}`)
