import CareCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sorts (key, payload) records by key in bounded memory.
///
/// Records accumulate in a byte arena of half the budget. When it is full it is handed to a
/// background thread that sorts it and appends it as one sorted run to a spill file in a
/// private temporary folder, while a second arena fills; so the budget is never exceeded and
/// the caller rarely waits. `finish` merges the runs (k-way, with a heap) and hands records out
/// in key order. Ties keep insertion order, so the output is fully deterministic. When
/// everything fits in one arena the sort happens in memory and no file is written.
/// Record layout, in memory and in runs: keyLength u32, payloadLength u32, key, payload.
public final class ExternalSorter {
    public let memoryBudget: Int
    public let temporaryParent: String
    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    private var spiller: Spiller?
    /// Sorted runs written to disk (read it after `finish`).
    public var runCount: Int { finishedRuns }
    private var finishedRuns = 0
    /// True once anything was spilled to disk.
    public var hasSpilled: Bool { spiller != nil || finishedRuns > 0 }

    struct Entry {
        var prefix: UInt64   // first 8 key bytes, big-endian, for a quick comparison
        var offset: Int
    }

    public init(memoryBudget: Int, temporaryParent: String) {
        self.memoryBudget = max(memoryBudget, 1 << 16)
        self.temporaryParent = temporaryParent
    }

    /// One arena's share: half the budget, the other half being the arena that is spilling.
    var arenaLimit: Int { memoryBudget / 2 }

    /// Reserves an arena's share once, so it never doubles past it (pages the OS has not seen
    /// touched cost nothing); arenas are reused after each spill.
    private func reserve() {
        arena.reserveCapacity(arenaLimit)
        entries.reserveCapacity(arenaLimit / 96)
    }

    /// On an error path `finish` never runs: remove the spill file here.
    deinit { spiller?.cleanUp(); for s in extraSpillers { s.cleanUp() } }

    /// The spill files of merge passes (closed with the sorter).
    private var extraSpillers: [Spiller] = []
    /// How many merge passes ran before the final merge (0 when the runs fit the budget).
    public private(set) var mergePasses = 0
    static let minimumReadBuffer = 16 << 10
    static func readBufferSize(budget: Int, runs: Int) -> Int {
        min(max(budget / 2 / max(runs, 1), minimumReadBuffer), 1 << 20)
    }

    /// Bytes held in memory now by the filling arena (and its index).
    public var bytesInMemory: Int { arena.count + entries.count * MemoryLayout<Entry>.stride }

    public func add(key: UnsafeBufferPointer<UInt8>, payload: UnsafeBufferPointer<UInt8>) throws {
        if arena.capacity == 0 { reserve() }
        let offset = arena.count
        appendU32(UInt32(key.count))
        appendU32(UInt32(payload.count))
        arena.append(contentsOf: key)
        arena.append(contentsOf: payload)
        entries.append(Entry(prefix: Self.prefix(key), offset: offset))
        if bytesInMemory >= arenaLimit { try spill() }
    }

    public func add(key: [UInt8], payload: [UInt8]) throws {
        try key.withUnsafeBufferPointer { k in try payload.withUnsafeBufferPointer { p in try add(key: k, payload: p) } }
    }

    @inline(__always) private func appendU32(_ v: UInt32) {
        arena.append(UInt8(truncatingIfNeeded: v))
        arena.append(UInt8(truncatingIfNeeded: v >> 8))
        arena.append(UInt8(truncatingIfNeeded: v >> 16))
        arena.append(UInt8(truncatingIfNeeded: v >> 24))
    }

    @inline(__always) static func readU32(_ p: UnsafePointer<UInt8>) -> Int {
        Int(p[0]) | Int(p[1]) << 8 | Int(p[2]) << 16 | Int(p[3]) << 24
    }

    @inline(__always) static func prefix(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(i < key.count ? key[i] : 0) }
        return v
    }

    @inline(__always) static func compareKeys(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int32 {
        let n = min(a.count, b.count)
        if n > 0 {
            let c = memcmp(a.baseAddress!, b.baseAddress!, n)
            if c != 0 { return c }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// Orders an arena's index by key, ties by position (insertion order).
    static func sort(_ entries: inout [Entry], in arena: [UInt8]) {
        arena.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            entries.sort { x, y in
                if x.prefix != y.prefix { return x.prefix < y.prefix }
                let kx = UnsafeBufferPointer(start: base + x.offset + 8, count: readU32(base + x.offset))
                let ky = UnsafeBufferPointer(start: base + y.offset + 8, count: readU32(base + y.offset))
                let c = compareKeys(kx, ky)
                return c != 0 ? c < 0 : x.offset < y.offset
            }
        }
    }

    /// Hands the full arena to the spilling thread and takes back an emptied one.
    private func spill() throws {
        guard !entries.isEmpty else { return }
        if spiller == nil { spiller = try Spiller(parent: temporaryParent) }
        try spiller!.submit(arena: &arena, entries: &entries)
    }

    /// Hands out every record in key order, then removes the temporary files.
    public func finish(_ body: (_ key: UnsafeBufferPointer<UInt8>, _ payload: UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        try Self.merge([self], body)
    }

    /// Hands out the records of several sorters in one key order (ties: earlier sorter first,
    /// then insertion order), then removes their temporary files. With `pipelined`, the merge
    /// runs on a thread of its own and hands records over in batches, so the caller's work on
    /// each record overlaps with merging the next ones.
    public static func merge(_ sorters: [ExternalSorter], pipelined: Bool = false,
                             _ body: (_ key: UnsafeBufferPointer<UInt8>, _ payload: UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        defer { for s in sorters { s.close() } }
        var cursors: [RecordCursor] = []
        for s in sorters { cursors += try s.cursors() }
        guard pipelined else { return try mergeCursors(cursors, body) }
        let channel = BatchChannel<RecordBatch>()
        let owned = CursorSet(cursors)   // from here on, only the merging thread touches them
        try channel.run(producer: {
            struct Cancelled: Error {}
            var batch = channel.takeEmpty()
            do {
                guard batch != nil else { throw Cancelled() }
                try mergeCursors(owned.cursors) { key, payload in
                    batch!.append(key: key, payload: payload)
                    if batch!.isFull {
                        channel.sendFull(batch!)
                        guard let next = channel.takeEmpty() else { batch = nil; throw Cancelled() }
                        batch = next
                    }
                }
                channel.finish(batch, error: nil)
            } catch is Cancelled {
            } catch {
                channel.finish(batch, error: error)
            }
        }) { batch in try batch.forEach(body) }
    }

    /// The k-way merge itself.
    static func mergeCursors(_ cursors: [RecordCursor],
                             _ body: (_ key: UnsafeBufferPointer<UInt8>, _ payload: UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        if cursors.count == 1 {
            let c = cursors[0]
            while try c.next() { try body(c.key, c.payload) }
            return
        }
        // A binary min-heap of cursor indices, ordered by current key, then cursor index.
        var heap: [Int] = []
        func less(_ a: Int, _ b: Int) -> Bool {
            let c = compareKeys(cursors[a].key, cursors[b].key)
            return c != 0 ? c < 0 : a < b
        }
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && less(heap[l], heap[m]) { m = l }
                if r < heap.count && less(heap[r], heap[m]) { m = r }
                if m == i { return }
                heap.swapAt(i, m)
                i = m
            }
        }
        for (i, c) in cursors.enumerated() where try c.next() { heap.append(i) }
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
        while let top = heap.first {
            let c = cursors[top]
            try body(c.key, c.payload)
            if try c.next() {
                siftDown(0)
            } else {
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
                if !heap.isEmpty { siftDown(0) }
            }
        }
    }

    /// This sorter's records as sorted cursors: its runs on disk (the last arena spilled too),
    /// or, when nothing was spilled, its arena sorted in memory.
    private func cursors() throws -> [RecordCursor] {
        guard let spiller else {
            Self.sort(&entries, in: arena)
            let cursor = ArenaCursor(arena: arena, entries: entries)
            arena = []
            entries = []
            return [cursor]
        }
        try spill()
        arena = []      // the merge needs only the readers' buffers
        entries = []
        var (fd, runs) = try spiller.close()
        // Read buffers share half this sorter's budget, between 16 KiB and 1 MiB each. More runs
        // than that half holds buffers for are merged in passes first, `fanIn` at a time into a
        // new spill file, so memory stays within --memory however many runs there are (one
        // buffer per run made memory grow with their number: 15,852 runs took 552 MB).
        let fanIn = max(2, memoryBudget / 2 / Self.minimumReadBuffer)
        var passes: [Spiller] = []
        while runs.count > fanIn {
            let next = try Spiller(parent: temporaryParent)
            _ = try next.close()   // its worker idle: runs are appended on this thread
            let size = Self.readBufferSize(budget: memoryBudget, runs: fanIn)
            var start = 0
            while start < runs.count {
                let group = runs[start..<min(start + fanIn, runs.count)]
                try next.appendMergedRun(try group.map { try RunReader(fd: fd, range: $0, bufferSize: size) })
                start += fanIn
            }
            let merged = try next.mergedRuns()
            passes.last?.cleanUp()
            passes.append(next)
            (fd, runs) = merged
            mergePasses += 1
        }
        extraSpillers = passes
        let bufferSize = Self.readBufferSize(budget: memoryBudget, runs: runs.count)
        return try runs.map { try RunReader(fd: fd, range: $0, bufferSize: bufferSize) }
    }

    private func close() {
        arena = []
        entries = []
        if let spiller {
            finishedRuns = spiller.runCount
            spiller.cleanUp()
        }
        spiller = nil
        for s in extraSpillers { s.cleanUp() }
        extraSpillers = []
    }
}

/// Cursors handed to the merging thread (which is then their only user).
final class CursorSet: @unchecked Sendable {
    let cursors: [RecordCursor]
    init(_ cursors: [RecordCursor]) { self.cursors = cursors }
}

/// Sorted records, one at a time; `key` and `payload` stay valid until the next `next()`.
protocol RecordCursor: AnyObject {
    func next() throws -> Bool
    var key: UnsafeBufferPointer<UInt8> { get }
    var payload: UnsafeBufferPointer<UInt8> { get }
}

/// The records of an arena sorted in memory. The arena is held, never mutated, so its storage
/// (and the views handed out) stay put.
final class ArenaCursor: RecordCursor {
    private let arena: [UInt8]
    private let entries: [ExternalSorter.Entry]
    private var index = -1
    private(set) var key = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private(set) var payload = UnsafeBufferPointer<UInt8>(start: nil, count: 0)

    init(arena: [UInt8], entries: [ExternalSorter.Entry]) {
        self.arena = arena
        self.entries = entries
    }

    func next() throws -> Bool {
        index += 1
        guard index < entries.count else { return false }
        let e = entries[index]
        arena.withUnsafeBufferPointer { buf in
            let base = buf.baseAddress!
            let kl = ExternalSorter.readU32(base + e.offset), pl = ExternalSorter.readU32(base + e.offset + 4)
            key = UnsafeBufferPointer(start: base + e.offset + 8, count: kl)
            payload = UnsafeBufferPointer(start: base + e.offset + 8 + kl, count: pl)
        }
        return true
    }
}

/// The spilling side of an `ExternalSorter`: a background worker sorts each full arena it is
/// handed and appends it to the spill file as one run, in the order handed (so runs keep
/// insertion order).
final class Spiller: @unchecked Sendable {
    typealias Arena = (arena: [UInt8], entries: [ExternalSorter.Entry])
    private var worker: BackgroundWorker<Arena>!
    /// The spill file, as error messages name it.
    let path: String
    private let fd: Int32
    private let stream: CareCore.OutputStream
    private var offset = 0
    private var runs: [Range<Int>] = []
    /// Runs written; read it once the worker is idle (after `close`).
    private(set) var runCount = 0

    init(parent: String) throws {
        // The runs are read back through this descriptor (RunReader); the file has no name.
        fd = try TemporaryNames.unnamedFile(in: parent, hint: "set --temp-dir")
        path = "a temporary file in \(parent)"
        stream = CareCore.OutputStream(fd: fd, name: path, bufferSize: 1 << 20)
        worker = BackgroundWorker(queueBehindRunning: false) { [unowned self] job in try writeRun(&job) }
    }

    /// Takes the full arena (waiting while the previous one is being written) and gives back an
    /// emptied one, or an empty array the first time.
    func submit(arena: inout [UInt8], entries: inout [ExternalSorter.Entry]) throws {
        var job: Arena = ([], [])
        swap(&job.arena, &arena)
        swap(&job.entries, &entries)
        if let emptied = try worker.submit(job) {
            arena = emptied.arena
            entries = emptied.entries
        }
    }

    /// On the worker: sorts the arena's index and appends the records as one run.
    private func writeRun(_ job: inout Arena) throws {
        defer {
            job.arena.removeAll(keepingCapacity: true)      // sole owner: storage kept, not copied
            job.entries.removeAll(keepingCapacity: true)
        }
        ExternalSorter.sort(&job.entries, in: job.arena)
        let start = offset
        do {
            try job.arena.withUnsafeBufferPointer { buf in
                let base = buf.baseAddress!
                for e in job.entries {
                    let length = 8 + ExternalSorter.readU32(base + e.offset) + ExternalSorter.readU32(base + e.offset + 4)
                    try stream.write(UnsafeBufferPointer(start: base + e.offset, count: length))
                    offset += length
                }
            }
        } catch is BrokenPipe {
            throw CareError(.ioError, "cannot write \(path)")
        }
        runs.append(start..<offset)
        runCount = runs.count
    }

    /// Appends one run made by merging `readers` (a pass of the external merge), on the
    /// calling thread: only once `close` has returned, when the worker is idle.
    func appendMergedRun(_ readers: [RecordCursor]) throws {
        let start = offset
        var header = [UInt8](repeating: 0, count: 8)
        do {
            try ExternalSorter.mergeCursors(readers) { key, payload in
                for (i, v) in [key.count, payload.count].enumerated() {
                    for b in 0..<4 { header[i * 4 + b] = UInt8(truncatingIfNeeded: v >> (8 * b)) }
                }
                try stream.write(header)
                try stream.write(key)
                try stream.write(payload)
                offset += 8 + key.count + payload.count
            }
            try stream.flush()
        } catch is BrokenPipe {
            throw CareError(.ioError, "cannot write \(path)")
        }
        runs.append(start..<offset)
        runCount = runs.count
    }

    /// The runs appended on the calling thread (`appendMergedRun`), flushed.
    func mergedRuns() throws -> (Int32, [Range<Int>]) {
        do { try stream.flush() } catch is BrokenPipe { throw CareError(.ioError, "cannot write \(path)") }
        return (fd, runs)
    }

    /// Waits for the last run, flushes the spill file; returns its descriptor and its runs.
    func close() throws -> (Int32, [Range<Int>]) {
        defer { worker.stop() }
        try worker.waitUntilIdle()
        do { try stream.flush() } catch is BrokenPipe { throw CareError(.ioError, "cannot write \(path)") }
        return (fd, runs)
    }

    private var cleaned = false

    /// Closes the (already unlinked) spill file; once only.
    func cleanUp() {
        guard !cleaned else { return }
        cleaned = true
        worker.stop()
        #if canImport(Glibc)
        Glibc.close(fd)
        #else
        Darwin.close(fd)
        #endif
    }
}

/// Reads one run's records back from the spill file through its own buffer. The buffer is a
/// manual allocation so the `key` and `payload` views stay valid until the next `next()`.
final class RunReader: RecordCursor {
    /// Its own descriptor of the (unlinked) spill file, read at its own offset.
    let fd: Int32
    private var offset: Int
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0, end = 0
    /// Bytes of the run not yet read from the file.
    private var remaining: Int
    private(set) var key = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private(set) var payload = UnsafeBufferPointer<UInt8>(start: nil, count: 0)

    init(fd shared: Int32, range: Range<Int>, bufferSize: Int) throws {
        fd = dup(shared)
        guard fd >= 0 else { throw CareError(.ioError, "cannot read the spill file: \(String(cString: strerror(errno)))") }
        offset = range.lowerBound
        remaining = range.count
        capacity = bufferSize
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        #if canImport(Glibc)
        Glibc.close(fd)
        #else
        Darwin.close(fd)
        #endif
    }

    /// Advances to the next record; false at the end of the run.
    func next() throws -> Bool {
        if end - start < 8 { try refill(need: 8); if end - start < 8 { return false } }
        let kl = ExternalSorter.readU32(buffer + start), pl = ExternalSorter.readU32(buffer + start + 4)
        let total = 8 + kl + pl
        if end - start < total {
            try refill(need: total)
            guard end - start >= total else { throw CareError(.ioError, "a spilled run is truncated") }
        }
        key = UnsafeBufferPointer(start: buffer + start + 8, count: kl)
        payload = UnsafeBufferPointer(start: buffer + start + 8 + kl, count: pl)
        start += total
        return true
    }

    private func refill(need: Int) throws {
        if start > 0 {
            buffer.update(from: buffer + start, count: end - start)
            end -= start
            start = 0
        }
        if capacity < need {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: need)
            bigger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = bigger
            capacity = need
        }
        while end < capacity && remaining > 0 {
            let n = pread(fd, buffer + end, min(capacity - end, remaining), off_t(offset))
            if n < 0 {
                if errno == EINTR { continue }
                throw CareError(.ioError, "cannot read the spill file: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            offset += n
            end += n
            remaining -= n
        }
    }
}
