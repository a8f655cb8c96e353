import CareCore
import Foundation

/// A batch of parsed CSV records (or problems) handed from the parsing thread to the thread
/// that maps them. Field bytes live in one manual buffer; each record's field ends are stored
/// relative to the record's first byte, so a record is handed out as a `CSVRow` without copying.
final class CSVBatch: ReusableBatch, @unchecked Sendable {
    struct Entry {
        var line: Int
        var byteStart: Int
        var byteEnd: Int
        var firstField: Int
        /// Number of fields, or -1 for a problem (then `firstField` indexes `problems`).
        var fieldCount: Int
    }

    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private(set) var byteCount = 0
    private var byteCapacity: Int
    private(set) var ends: [Int] = []
    private(set) var entries: [Entry] = []
    private(set) var problems: [CSVProblem] = []
    /// An error the parsing thread met (I/O); it ends the read.
    var error: Error?
    var isLast = false

    static let targetBytes = 1 << 20
    static let targetRecords = 16384

    init() {
        byteCapacity = Self.targetBytes + 65536
        bytes = .allocate(capacity: byteCapacity)
        ends.reserveCapacity(Self.targetRecords * 8)
        entries.reserveCapacity(Self.targetRecords)
    }

    deinit { bytes.deallocate() }

    var isFull: Bool { byteCount >= Self.targetBytes || entries.count >= Self.targetRecords }

    func reset() {
        byteCount = 0
        ends.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        problems.removeAll(keepingCapacity: true)
        error = nil
        isLast = false
    }

    /// Appends one record from the parser's field buffers.
    func append(line: Int, fieldBytes: UnsafePointer<UInt8>, byteLength: Int, fieldEnds: UnsafePointer<Int>, fieldCount: Int) {
        if byteCount + byteLength > byteCapacity {
            let bigger = max(byteCapacity * 2, byteCount + byteLength)
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
            p.update(from: bytes, count: byteCount)
            bytes.deallocate()
            bytes = p
            byteCapacity = bigger
        }
        (bytes + byteCount).update(from: fieldBytes, count: byteLength)
        entries.append(Entry(line: line, byteStart: byteCount, byteEnd: byteCount + byteLength, firstField: ends.count, fieldCount: fieldCount))
        ends.append(contentsOf: UnsafeBufferPointer(start: fieldEnds, count: fieldCount))
        byteCount += byteLength
    }

    func append(problem: CSVProblem) {
        entries.append(Entry(line: problem.line, byteStart: 0, byteEnd: 0, firstField: problems.count, fieldCount: -1))
        problems.append(problem)
    }

    /// Hands each entry to `record` or `problem`, in order.
    func forEach(record: (CSVRow) throws -> Void, problem: (CSVProblem) throws -> Void) throws {
        try ends.withUnsafeBufferPointer { allEnds in
            for e in entries {
                if e.fieldCount < 0 {
                    try problem(problems[e.firstField])
                } else {
                    try record(CSVRow(line: e.line, bytes: UnsafeBufferPointer(start: bytes + e.byteStart, count: e.byteEnd - e.byteStart),
                                      ends: UnsafeBufferPointer(rebasing: allEnds[e.firstField..<(e.firstField + e.fieldCount)])))
                }
            }
        }
    }
}

