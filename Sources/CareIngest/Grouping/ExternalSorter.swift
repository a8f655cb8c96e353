import CareCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sorts (key, payload) records by key in bounded memory.
///
/// Records accumulate in one byte arena; when it exceeds the memory budget the arena is sorted
/// and appended as a sorted run to one spill file in a private temporary folder (written by a
/// background thread while the next run fills); `finish` merges the runs (k-way, with a heap)
/// and hands records out in key order. Ties keep insertion order, so the output is fully
/// deterministic. When nothing was spilled the sort happens in memory and no file is written.
/// Record layout, in memory and in runs: keyLength u32, payloadLength u32, key, payload.
public final class ExternalSorter {
    public let memoryBudget: Int
    public let temporaryParent: String
    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    /// Byte ranges of the sorted runs within the spill file.
    private var runs: [Range<Int>] = []
    private var spillPath: String?
    private var spillStream: OutputStream?
    private var spillOffset = 0
    private var folder: String?
    public private(set) var count = 0
    public private(set) var spilledBytes = 0
    /// Sorted runs written to disk so far (kept after `finish` cleans up).
    public private(set) var runCount = 0

    struct Entry {
        var prefix: UInt64   // first 8 key bytes, big-endian, for a quick comparison
        var offset: Int
    }

    public init(memoryBudget: Int, temporaryParent: String) {
        self.memoryBudget = max(memoryBudget, 1 << 16)
        self.temporaryParent = temporaryParent
    }

    /// Reserves the whole budget once, so the arena never doubles past it (pages the OS has not
    /// seen touched cost nothing), and reuses it after each spill.
    private func reserve() {
        if arena.capacity == 0 {
            arena.reserveCapacity(memoryBudget)
            entries.reserveCapacity(memoryBudget / 96)
        }
    }

    deinit { cleanUp() }

    /// Bytes held in memory now (arena plus index).
    public var bytesInMemory: Int { arena.count + entries.count * MemoryLayout<Entry>.stride }

    public func add(key: UnsafeBufferPointer<UInt8>, payload: UnsafeBufferPointer<UInt8>) throws {
        if arena.capacity == 0 { reserve() }
        let offset = arena.count
        appendU32(UInt32(key.count))
        appendU32(UInt32(payload.count))
        arena.append(contentsOf: key)
        arena.append(contentsOf: payload)
        entries.append(Entry(prefix: Self.prefix(key), offset: offset))
        count += 1
        if bytesInMemory >= memoryBudget { try spill() }
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

    private func sortEntries() {
        arena.withUnsafeBufferPointer { buf in
            let base = buf.baseAddress!
            entries.sort { x, y in
                if x.prefix != y.prefix { return x.prefix < y.prefix }
                let kx = UnsafeBufferPointer(start: base + x.offset + 8, count: Self.readU32(base + x.offset))
                let ky = UnsafeBufferPointer(start: base + y.offset + 8, count: Self.readU32(base + y.offset))
                let c = Self.compareKeys(kx, ky)
                return c != 0 ? c < 0 : x.offset < y.offset
            }
        }
    }

    private func makeFolder() throws -> String {
        if let folder { return folder }
        var template = Array("\(temporaryParent)/joinedup-sort.XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw CareError(.cantCreate, "cannot create a temporary folder in \(temporaryParent): \(String(cString: strerror(errno))) (set --temp-dir)")
        }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        folder = path
        return path
    }

    /// Appends the in-memory records, sorted, to the spill file as one run, and empties the arena.
    private func spill() throws {
        guard !entries.isEmpty else { return }
        sortEntries()
        if spillStream == nil {
            let path = "\(try makeFolder())/runs"
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw CareError(.cantCreate, "cannot create \(path): \(String(cString: strerror(errno)))") }
            TemporaryFiles.register(path)
            spillPath = path
            spillStream = OutputStream(fd: fd, name: path, bufferSize: 1 << 20, asynchronous: true)
        }
        let out = spillStream!
        let start = spillOffset
        try arena.withUnsafeBufferPointer { buf in
            let base = buf.baseAddress!
            for e in entries {
                let length = 8 + Self.readU32(base + e.offset) + Self.readU32(base + e.offset + 4)
                try out.write(UnsafeBufferPointer(start: base + e.offset, count: length))
                spillOffset += length
            }
        }
        runs.append(start..<spillOffset)
        runCount += 1
        spilledBytes += arena.count
        arena.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
    }

    /// Hands out every record in key order, then removes the temporary files.
    public func finish(_ body: (_ key: UnsafeBufferPointer<UInt8>, _ payload: UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        defer { cleanUp() }
        if runs.isEmpty {
            sortEntries()
            try arena.withUnsafeBufferPointer { buf in
                let base = buf.baseAddress!
                for e in entries {
                    let kl = Self.readU32(base + e.offset), pl = Self.readU32(base + e.offset + 4)
                    try body(UnsafeBufferPointer(start: base + e.offset + 8, count: kl),
                             UnsafeBufferPointer(start: base + e.offset + 8 + kl, count: pl))
                }
            }
            arena = []
            entries = []
            return
        }
        try spill()
        arena = []      // the merge needs only the readers' buffers
        entries = []
        if let out = spillStream {
            do { try out.flush() } catch is BrokenPipe { throw CareError(.ioError, "cannot write \(spillPath!)") }
            close(out.fd)
            spillStream = nil
        }
        // Read buffers share half the budget, between 64 KiB and 1 MiB each.
        let bufferSize = min(max(memoryBudget / 2 / runs.count, 1 << 16), 1 << 20)
        let readers = try runs.map { try RunReader(path: spillPath!, range: $0, bufferSize: bufferSize) }
        // A binary min-heap of run indices, ordered by current key, then run index (stability).
        var heap: [Int] = []
        func less(_ a: Int, _ b: Int) -> Bool {
            let c = Self.compareKeys(readers[a].key, readers[b].key)
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
        for (i, r) in readers.enumerated() where try r.next() { heap.append(i) }
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
        while let top = heap.first {
            let r = readers[top]
            try body(r.key, r.payload)
            if try r.next() {
                siftDown(0)
            } else {
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
                if !heap.isEmpty { siftDown(0) }
            }
        }
    }

    private func cleanUp() {
        if let out = spillStream { close(out.fd); spillStream = nil }
        if let spillPath {
            unlink(spillPath)
            TemporaryFiles.unregister(spillPath)
        }
        spillPath = nil
        runs = []
        if let folder { rmdir(folder) }
        folder = nil
    }
}

/// Reads one run's records back from the spill file through its own buffer. The buffer is a
/// manual allocation so the `key` and `payload` views stay valid until the next `next()`.
final class RunReader {
    let input: InputFile
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0, end = 0
    /// Bytes of the run not yet read from the file.
    private var remaining: Int
    private(set) var key = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private(set) var payload = UnsafeBufferPointer<UInt8>(start: nil, count: 0)

    init(path: String, range: Range<Int>, bufferSize: Int) throws {
        input = try InputFile(path: path)
        guard lseek(input.fd, off_t(range.lowerBound), SEEK_SET) >= 0 else {
            throw CareError(.ioError, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        remaining = range.count
        capacity = bufferSize
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    /// Advances to the next record; false at the end of the run.
    func next() throws -> Bool {
        if end - start < 8 { try refill(need: 8); if end - start < 8 { return false } }
        let kl = ExternalSorter.readU32(buffer + start), pl = ExternalSorter.readU32(buffer + start + 4)
        let total = 8 + kl + pl
        if end - start < total {
            try refill(need: total)
            guard end - start >= total else { throw CareError(.ioError, "temporary run in \(input.name) is truncated") }
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
            let n = try input.read(into: buffer + end, count: min(capacity - end, remaining))
            if n == 0 { break }
            end += n
            remaining -= n
        }
    }
}
