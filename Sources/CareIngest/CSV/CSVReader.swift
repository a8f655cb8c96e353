import CCSV
import CareCore
import Foundation

/// One CSV record: its fields as byte buffers, valid only during the callback.
public struct CSVRow {
    /// The line the record starts on (1-based; the header is line 1).
    public let line: Int
    let bytes: UnsafeBufferPointer<UInt8>
    let ends: UnsafeBufferPointer<Int>

    public var count: Int { ends.count }

    public subscript(i: Int) -> UnsafeBufferPointer<UInt8> {
        let start = i == 0 ? 0 : ends[i - 1]
        return UnsafeBufferPointer(rebasing: bytes[start..<ends[i]])
    }

    /// The field with surrounding spaces removed.
    public func trimmed(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let f = self[i]
        var lo = 0, hi = f.count
        while lo < hi && (f[lo] == 0x20 || f[lo] == 0x09) { lo += 1 }
        while hi > lo && (f[hi - 1] == 0x20 || f[hi - 1] == 0x09) { hi -= 1 }
        return UnsafeBufferPointer(rebasing: f[lo..<hi])
    }

    public func isBlank(_ i: Int) -> Bool { trimmed(i).isEmpty }

    public func string(_ i: Int) -> String { String(decoding: trimmed(i), as: UTF8.self) }

    /// The trimmed field's bytes, or nil when blank or missing.
    public func optionalField(_ i: Int?) -> UnsafeBufferPointer<UInt8>? {
        guard let i, i < count else { return nil }
        let t = trimmed(i)
        return t.isEmpty ? nil : t
    }

    /// The trimmed field, or nil when blank or missing.
    public func optionalString(_ i: Int?) -> String? {
        optionalField(i).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// A problem with the shape of the file at a record: ragged row, bad quoting.
public struct CSVProblem: Sendable {
    public var line: Int
    public var reason: String
    public var detail: String
}

/// Reads a CSV file with libcsv, record by record, with line numbers.
///
/// Lines are handed to libcsv one at a time, so a record's start line is always known and a
/// record with broken quoting can be rejected and parsing resumed at the next line. Fields are
/// kept exactly as written (libcsv's default trimming of spaces around unquoted fields is
/// turned off); callers trim where a field's meaning says so. A UTF-8 byte-order mark is skipped.
///
/// Parsing runs on a thread of its own and hands batches of records to the calling thread,
/// which runs the callbacks: on two cores, reading overlaps with what the caller does with the
/// rows, while the callbacks still see every record in file order on one thread.
public final class CSVReader: @unchecked Sendable {
    public let input: InputFile
    /// A record still open after this many lines is taken to have an unbalanced quote.
    public var maxRecordLines = 10_000

    private var parser = csv_parser()
    // The record being built: field bytes back to back, and where each field ends. Manual
    // buffers, because libcsv calls back once per field on the hottest path of ingest-gp.
    private var fieldBytes: UnsafeMutablePointer<UInt8>
    private var fieldBytesCount = 0
    private var fieldBytesCapacity = 1 << 16
    private var fieldEnds: UnsafeMutablePointer<Int>
    private var fieldCount = 0
    private var fieldEndsCapacity = 256
    private var recordStart = 0
    private var recordOpen = false
    private var batch: CSVBatch?
    private var lines = 0
    /// Lines with bytes that are not UTF-8 (their fields will read as U+FFFD), and the first.
    public private(set) var invalidUTF8Lines = 0
    public private(set) var firstInvalidUTF8Line = 0

    public init(_ input: InputFile) {
        self.input = input
        fieldBytes = .allocate(capacity: fieldBytesCapacity)
        fieldEnds = .allocate(capacity: fieldEndsCapacity)
    }

    deinit {
        csv_free(&parser)
        fieldBytes.deallocate()
        fieldEnds.deallocate()
    }

    @inline(__always) private func appendField(_ p: UnsafeRawPointer?, _ len: Int) {
        if fieldBytesCount + len > fieldBytesCapacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: max(fieldBytesCapacity * 2, fieldBytesCount + len))
            bigger.update(from: fieldBytes, count: fieldBytesCount)
            fieldBytes.deallocate()
            fieldBytes = bigger
            fieldBytesCapacity = max(fieldBytesCapacity * 2, fieldBytesCount + len)
        }
        if len > 0 { (fieldBytes + fieldBytesCount).update(from: p!.assumingMemoryBound(to: UInt8.self), count: len) }
        fieldBytesCount += len
        if fieldCount == fieldEndsCapacity {
            let bigger = UnsafeMutablePointer<Int>.allocate(capacity: fieldEndsCapacity * 2)
            bigger.update(from: fieldEnds, count: fieldCount)
            fieldEnds.deallocate()
            fieldEnds = bigger
            fieldEndsCapacity *= 2
        }
        fieldEnds[fieldCount] = fieldBytesCount
        fieldCount += 1
    }

    private func resetParser() {
        csv_free(&parser)
        csv_init(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI))
        csv_set_space_func(&parser) { _ in 0 }
        fieldBytesCount = 0
        fieldCount = 0
        recordOpen = false
    }

    /// Calls `record` for each well-formed record (the header included) and `problem` for each
    /// malformed one, in file order, on the calling thread. Returns the number of lines read.
    @discardableResult
    public func read(record: (CSVRow) throws -> Void, problem: (CSVProblem) throws -> Void) throws -> Int {
        let channel = BatchChannel<CSVBatch>()
        try channel.run(producer: { [self] in produce(into: channel) }) { batch in
            try batch.forEach(record: record, problem: problem)
        }
        return lines
    }

    /// The parsing thread: fills batches until the end of the input or until cancelled.
    private func produce(into channel: BatchChannel<CSVBatch>) {
        struct Cancelled: Error {}
        guard let first = channel.takeEmpty() else { return }
        batch = first
        csv_init(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI))
        csv_set_space_func(&parser) { _ in 0 }
        let context = Unmanaged.passUnretained(self).toOpaque()
        let fieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { p, len, data in
            Unmanaged<CSVReader>.fromOpaque(data!)._withUnsafeGuaranteedRef { $0.appendField(p, len) }
        }
        let recordCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, data in
            Unmanaged<CSVReader>.fromOpaque(data!)._withUnsafeGuaranteedRef { $0.deliver() }
        }
        func report(_ p: CSVProblem) { batch!.append(problem: p) }
        func handOver() throws {
            if batch!.isFull {
                channel.sendFull(batch!)
                guard let next = channel.takeEmpty() else { batch = nil; throw Cancelled() }
                batch = next
            }
        }
        do {
            lines = try LineReader(input).forEachLine { line, number in
                // CR-only line ends (classic Mac OS) would make the whole file one header line:
                // the file is refused by name instead of read as nothing.
                if number == 1, let base = line.baseAddress, let cr = memchr(base, 0x0D, line.count),
                   base.distance(to: cr.assumingMemoryBound(to: UInt8.self)) < line.count - 1 {
                    throw CareError(.dataError, "\(Mask.path(input.name)): lines end in CR alone (classic Mac OS), so no row can be told apart: convert it first (tr '\\r' '\\n' < FILE > FILE.csv)")
                }
                if !Self.isValidUTF8(line) {
                    invalidUTF8Lines += 1
                    if firstInvalidUTF8Line == 0 { firstInvalidUTF8Line = number }
                }
                // Measured hot path: a line with no quote, outside a quoted field, is split on
                // commas here (libcsv would give the same fields, one callback each).
                if !recordOpen, !line.isEmpty, memchr(line.baseAddress!, 0x22, line.count) == nil {
                    recordStart = number
                    splitUnquoted(line)
                    deliver()
                    try handOver()
                    return
                }
                if !recordOpen { recordStart = number }
                recordOpen = true
                let consumed = csv_parse(&parser, line.baseAddress, line.count, fieldCallback, recordCallback, context)
                var failed = consumed < line.count
                if !failed && recordOpen {
                    // End the physical line; inside a quoted field this is a literal newline.
                    var nl: UInt8 = 0x0A
                    failed = csv_parse(&parser, &nl, 1, fieldCallback, recordCallback, context) < 1
                }
                // libcsv's state 0 is "no record begun": the line closed its record (or was blank).
                recordOpen = parser.pstate != 0
                if failed {
                    let start = recordStart
                    resetParser()
                    report(CSVProblem(line: start, reason: "malformed quoting", detail: "a quote inside an unquoted field, or text after a closing quote"))
                } else if recordOpen && number - recordStart >= maxRecordLines {
                    let start = recordStart
                    resetParser()
                    report(CSVProblem(line: start, reason: "unbalanced quote", detail: "the quoted field opened here is still open after \(maxRecordLines) lines"))
                }
                try handOver()
            }
            if recordOpen && csv_fini(&parser, fieldCallback, recordCallback, context) != 0 {
                let start = recordStart
                resetParser()
                report(CSVProblem(line: start, reason: "unbalanced quote", detail: "the quoted field opened here runs to the end of the file"))
            }
        } catch is Cancelled {
            return
        } catch {
            channel.finish(batch, error: error)
            batch = nil
            return
        }
        channel.finish(batch, error: nil)
        batch = nil
    }

    /// True when the line is valid UTF-8: ASCII is checked eight bytes at a time, and only a
    /// line with a byte above 0x7F is validated in full.
    static func isValidUTF8(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = line.baseAddress else { return true }
        var i = 0
        let raw = UnsafeRawPointer(base)
        while i + 8 <= line.count {
            if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        while i < line.count {
            if line[i] < 0x80 { i += 1; continue }
            let n = UTF8Validation.sequenceLength(line, at: i)
            if n == 0 { return false }
            i += n
        }
        return true
    }

    /// Splits a line that has no quote character on commas into the record buffers.
    @inline(__always) private func splitUnquoted(_ line: UnsafeBufferPointer<UInt8>) {
        let base = line.baseAddress!
        var start = 0
        while let comma = memchr(base + start, 0x2C, line.count - start) {
            let end = base.distance(to: comma.assumingMemoryBound(to: UInt8.self))
            appendField(base + start, end - start)
            start = end + 1
        }
        appendField(base + start, line.count - start)
    }

    private func deliver() {
        batch!.append(line: recordStart, fieldBytes: fieldBytes, byteLength: fieldBytesCount, fieldEnds: fieldEnds, fieldCount: fieldCount)
        fieldBytesCount = 0
        fieldCount = 0
        recordOpen = false
    }
}
