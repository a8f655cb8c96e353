// Benchmark harness (not a product): the enricher record path of CareCore on its own.
import ArgumentParser
import CareCore

struct JSONLPassthrough: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jsonl-passthrough",
        abstract: "Benchmark harness: read person JSON Lines, validate every line, write it back.",
        discussion: """
        Each line is validated fully (JSONObjectView: strict RFC 8259 and UTF-8, top-level members \
        indexed) and written back unchanged; with --splice a small key is added to every record the \
        way an enricher does. Invalid lines are reported on standard error and dropped.

        Example: jsonl-passthrough people.jsonl > /dev/null
        """)

    @Argument(help: "Input file, or - for standard input.")
    var input: String = "-"

    @Flag(help: "Add a key to every record, as an enricher does.")
    var splice = false

    func run() throws {
        let file = try InputFile(path: input)
        let out = OutputStream.stdout()
        var w = JSONWriter(capacity: 1 << 20)
        let added = Array(#"{"checked":true}"#.utf8)
        try LineReader(file).forEachLine { line, number in
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
            } catch let e as JSONError {
                Stderr.write("jsonl-passthrough: \(file.name):\(number): \(e)")
            }
        }
        try out.flush()
    }
}

JSONLPassthrough.main()
