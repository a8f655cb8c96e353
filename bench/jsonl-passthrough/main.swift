// Benchmark harness (not a product): the enricher record path of CareCore on its own.
// Reads person JSON Lines, validates every line fully (JSONObjectView: strict RFC 8259 and
// UTF-8, top-level members indexed), and writes each line back unchanged. With --splice it
// also adds a small key to every record the way an enricher does.
import CareCore

let args = CommandLine.arguments.dropFirst()
let splice = args.contains("--splice")
let path = args.first { $0 != "--splice" } ?? "-"
do {
    let input = try InputFile(path: path)
    let out = OutputStream.stdout()
    var w = JSONWriter(capacity: 1 << 20)
    let added = Array(#"{"checked":true}"#.utf8)
    var lines = 0
    try LineReader(input).forEachLine { line, number in
        do {
            let view = try JSONObjectView(line)
            if splice {
                w.bytes.removeAll(keepingCapacity: true)
                added.withUnsafeBufferPointer { view.write(replacing: "bench", with: $0, to: &w) }
                w.raw(UInt8(ascii: "\n"))
                try out.write(w.bytes)
            } else {
                try out.write(line)
                try out.write(CollectionOfOne(UInt8(ascii: "\n")))
            }
            lines += 1
        } catch let e as JSONError {
            Stderr.write("jsonl-passthrough: \(input.name):\(number): \(e)")
        }
    }
    try out.flush()
} catch {
    Stderr.write("jsonl-passthrough: \(error)")
}
