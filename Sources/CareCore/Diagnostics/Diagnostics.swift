import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input record that could not be used, with where it came from and why.
/// `value` is already masked (see `Mask`); it never holds an identifier.
public struct Reject: Sendable, Equatable {
    public var source: String
    public var line: Int
    public var field: String?
    /// The kind of problem, short and fixed ("invalid date"): counts are kept per reason.
    public var reason: String
    /// What exactly was wrong with this record, when the reason alone does not say.
    public var detail: String?
    public var value: String?

    public init(source: String, line: Int, field: String? = nil, reason: String, detail: String? = nil, value: String? = nil) {
        self.source = source
        self.line = line
        self.field = field
        self.reason = reason
        self.detail = detail
        self.value = value
    }

    /// `file:line: field: reason (value)` for stderr.
    public var message: String {
        var s = "\(source):\(line): "
        if let field { s += "\(field): " }
        s += reason
        if let detail { s += ": " + detail }
        if let value { s += value.hasPrefix("<withheld") ? " (\(value))" : " (\"\(value)\")" }
        return s
    }

    public func json() -> [UInt8] {
        var w = JSONWriter(capacity: 128)
        var first = true
        w.raw(UInt8(ascii: "{"))
        w.member("source", first: &first); w.string(source)
        w.member("line", first: &first); w.int(line)
        w.optionalString("field", field, first: &first)
        w.member("reason", first: &first); w.string(reason)
        w.optionalString("detail", detail, first: &first)
        w.optionalString("value", value, first: &first)
        w.raw(UInt8(ascii: "}"))
        w.raw(UInt8(ascii: "\n"))
        return w.bytes
    }
}

/// The counts and rejects of one piece of work done on another thread (one table, say), kept
/// apart so they can be reported in a fixed order whatever the threads did. Rejects are kept
/// as JSON lines in memory, spilling to a temporary file past 1 MiB.
public final class DiagnosticsShard: RecordAccounting, @unchecked Sendable {
    unowned let parent: Diagnostics
    public private(set) var read = 0
    public private(set) var filtered: [String: Int] = [:]
    public private(set) var rejected: [String: Int] = [:]
    private(set) var firstRejects: [Reject] = []
    private(set) var warnings: [String] = []
    private var buffer: [UInt8] = []
    /// Reject lines past the first MiB: a file with no name on disk (its descriptor).
    private var spillFile: Int32?
    private var unreported = 0

    init(parent: Diagnostics) { self.parent = parent }

    public func countRead(_ n: Int) {
        read += n
        unreported += n
        if unreported >= 65536 { parent.tick(unreported); unreported = 0 }
    }

    public func filter(reason: String, count: Int) {
        guard count > 0 else { return }
        filtered[reason, default: 0] += count
    }

    public func warn(_ message: String) { warnings.append(message) }

    public func reject(_ r: Reject) throws {
        rejected[r.reason, default: 0] += 1
        if firstRejects.count < Diagnostics.rejectsShownOnStderr { firstRejects.append(r) }
        buffer += r.json()
        if buffer.count > 1 << 20 { try spill() }
        if parent.strict { throw CareError(.dataError, "\(r.message) (stopped: --strict)") }
    }

    private func spill() throws {
        if spillFile == nil { spillFile = try TemporaryNames.unnamedFile(in: FileProbe.temporaryFolder, hint: "set TMPDIR") }
        try OutputStream.writeAll(fd: spillFile!, name: "a temporary file in \(FileProbe.temporaryFolder)", buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Hands the reject lines, in order, to `write`.
    func replay(_ write: ([UInt8]) throws -> Void) throws {
        if let spillFile {
            let again = dup(spillFile)
            guard again >= 0, lseek(again, 0, SEEK_SET) == 0 else {
                throw CareError(.ioError, "cannot read back the rejects: \(String(cString: strerror(errno)))")
            }
            try LineReader(InputFile(descriptor: again, name: "the rejects spool")).forEachLine { line, _ in try write(Array(line) + [0x0A]) }
        }
        if !buffer.isEmpty { try write(buffer) }
    }

    func discard() {
        if unreported > 0 { parent.tick(unreported); unreported = 0 }
        removeSpillFile()
        buffer = []
    }

    private func removeSpillFile() {
        if let spillFile { close(spillFile) }
        spillFile = nil
    }

    /// A run that failed never absorbs its shards: their files are closed (and so gone) here.
    deinit { removeSpillFile() }
}

/// Writes straight to file descriptor 2, unbuffered, so diagnostics never mix with stdout.
public enum Stderr {
    public static func write(_ text: String) {
        var line = text
        if !line.hasSuffix("\n") { line += "\n" }
        writeRaw(line)
    }

    /// Writes `text` as it is (no newline added).
    public static func writeRaw(_ text: String) {
        var copy = text
        copy.withUTF8 { buf in
            var off = 0
            while off < buf.count {
                let n = Glibc_write(2, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { return }
                off += n
            }
        }
    }
}

@inline(__always) func Glibc_write(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, p, n)
    #else
    return Darwin.write(fd, p, n)
    #endif
}

/// What counts and rejects a piece of work: the run's `Diagnostics`, or a `DiagnosticsShard`
/// for work done on another thread.
public protocol RecordAccounting: AnyObject {
    func countRead(_ n: Int)
    func filter(reason: String, count: Int)
    func reject(_ r: Reject) throws
    /// A warning about the input as a whole (not one record).
    func warn(_ message: String)
}

extension RecordAccounting {
    public func filter(reason: String) { filter(reason: reason, count: 1) }
}

/// Counts and rejects for one run. Every input record ends in exactly one of: emitted,
/// filtered (with a reason) or rejected (with a reason), so `read == emitted + filtered + rejected`.
public final class Diagnostics: RecordAccounting, @unchecked Sendable {
    public let program: String
    public var quiet: Bool
    public var strict: Bool
    /// What one record is called in the summary ("rows", "people").
    public var unit: String

    public private(set) var read = 0
    public private(set) var emitted = 0
    public private(set) var filtered: [String: Int] = [:]
    public private(set) var rejected: [String: Int] = [:]
    public private(set) var warnings: [String] = []
    private var shownRejects: [String] = []
    private var rejectsOutput: OutputFile?
    public static let rejectsShownOnStderr = 5

    public init(program: String, unit: String = "records", quiet: Bool = false, strict: Bool = false,
                rejectsPath: String? = nil) throws {
        self.program = program
        self.unit = unit
        self.quiet = quiet
        self.strict = strict
        if let rejectsPath { rejectsOutput = try OutputFile(path: rejectsPath) }
    }

    public var filteredTotal: Int { filtered.values.reduce(0, +) }
    public var rejectedTotal: Int { rejected.values.reduce(0, +) }

    public func countRead(_ n: Int = 1) {
        read += n
        if shards == 0 { tick(n) }
    }

    // Progress: on a terminal, a line every million records read, overwritten in place. Shards
    // on other threads report through `tick`, under a lock.
    private let progressLock = NSLock()
    private var progressRows = 0
    private var nextProgress = 1_000_000
    private var progressShown = false
    private var shards = 0
    private lazy var showsProgress: Bool = !quiet && isatty(2) != 0

    func tick(_ n: Int) {
        progressLock.lock()
        defer { progressLock.unlock() }
        progressRows += n
        guard progressRows >= nextProgress else { return }
        nextProgress = (progressRows / 1_000_000 + 1) * 1_000_000
        guard showsProgress else { return }
        let millions = Double(progressRows) / 1_000_000
        Stderr.writeRaw("\r\(program): \((millions * 10).rounded() / 10)M \(unit) read…")
        progressShown = true
    }

    /// A shard for work on another thread; `absorb` it afterwards, in the order the work should
    /// be reported in.
    public func shard() -> DiagnosticsShard {
        shards += 1
        return DiagnosticsShard(parent: self)
    }

    /// Adds a shard's counts and replays its rejects (to the rejects file, or to the few shown
    /// on stderr), as if its records had been read here.
    public func absorb(_ s: DiagnosticsShard) throws {
        for w in s.warnings { warn(w) }
        read += s.read
        for (k, v) in s.filtered { filtered[k, default: 0] += v }
        for (k, v) in s.rejected { rejected[k, default: 0] += v }
        if let out = rejectsOutput {
            try s.replay { try out.write($0) }
        } else {
            for r in s.firstRejects where shownRejects.count < Self.rejectsShownOnStderr { shownRejects.append(r.message) }
        }
        s.discard()
    }
    public func countEmitted(_ n: Int = 1) { emitted += n }

    public func filter(reason: String, count: Int) {
        guard count > 0 else { return }
        filtered[reason, default: 0] += count
    }

    /// Records a reject. With `--strict` the first one ends the run (exit 65).
    public func reject(_ r: Reject) throws {
        rejected[r.reason, default: 0] += 1
        if let out = rejectsOutput {
            try out.write(r.json())
        } else if shownRejects.count < Self.rejectsShownOnStderr {
            shownRejects.append(r.message)
        }
        if strict {
            throw CareError(.dataError, "\(r.message) (stopped: --strict)")
        }
    }

    /// A warning about the run (not about one record), shown unless --quiet. After the first
    /// `warningsShownOnStderr` the rest are counted (a folder of 10,000 extracts with placeholder
    /// NHS numbers would otherwise print 10,000 lines), and the summary says how many.
    public func warn(_ message: String) {
        warnings.append(message)
        if !quiet && warnings.count <= Self.warningsShownOnStderr { Stderr.write("\(program): warning: \(message)") }
    }

    public static let warningsShownOnStderr = 25

    public func note(_ message: String) {
        if !quiet { Stderr.write("\(program): \(message)") }
    }

    /// Commits the rejects file (atomically) and prints the summary line.
    public func finish(extra: String? = nil) throws {
        if progressShown { Stderr.writeRaw("\r\u{1B}[K") }
        try rejectsOutput?.commit()
        rejectsOutput = nil
        if !shownRejects.isEmpty && !quiet {
            for m in shownRejects { Stderr.write("\(program): rejected \(m)") }
            let more = rejectedTotal - shownRejects.count
            if more > 0 { Stderr.write("\(program): … and \(more) more rejected (use --rejects FILE to keep them all)") }
        }
        if !quiet && warnings.count > Self.warningsShownOnStderr {
            Stderr.write("\(program): … and \(warnings.count - Self.warningsShownOnStderr) more warnings")
        }
        if !quiet { Stderr.write(summary(extra: extra)) }
    }

    /// Aborts: removes a partial rejects file.
    public func abandon() {
        rejectsOutput?.abandon()
        rejectsOutput = nil
    }

    public func summary(extra: String? = nil) -> String {
        func breakdown(_ d: [String: Int]) -> String {
            d.isEmpty ? "" : " (" + d.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
        }
        var s = "\(program): read \(read) \(unit); emitted \(emitted); filtered \(filteredTotal)\(breakdown(filtered)); rejected \(rejectedTotal)\(breakdown(rejected))"
        if let extra { s += "; " + extra }
        return s
    }
}
