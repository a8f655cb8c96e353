import CareCore

/// Sorted records copied out of a merge, handed to the consumer in batches.
final class RecordBatch: ReusableBatch, @unchecked Sendable {
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private var capacity = 1 << 20
    private(set) var count = 0
    private(set) var offsets: [(key: Range<Int>, payload: Range<Int>)] = []
    var error: Error?
    var isLast = false

    init() {
        bytes = .allocate(capacity: capacity)
        offsets.reserveCapacity(8192)
    }

    deinit { bytes.deallocate() }

    var isFull: Bool { count >= 1 << 20 }

    func reset() {
        count = 0
        offsets.removeAll(keepingCapacity: true)
        error = nil
        isLast = false
    }

    func append(key: UnsafeBufferPointer<UInt8>, payload: UnsafeBufferPointer<UInt8>) {
        let need = count + key.count + payload.count
        if need > capacity {
            let bigger = max(capacity * 2, need)
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
            p.update(from: bytes, count: count)
            bytes.deallocate()
            bytes = p
            capacity = bigger
        }
        if let k = key.baseAddress { (bytes + count).update(from: k, count: key.count) }
        let keyRange = count..<(count + key.count)
        count += key.count
        if let p = payload.baseAddress { (bytes + count).update(from: p, count: payload.count) }
        offsets.append((keyRange, count..<(count + payload.count)))
        count += payload.count
    }

    func forEach(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        for o in offsets {
            try body(UnsafeBufferPointer(start: bytes + o.key.lowerBound, count: o.key.count),
                     UnsafeBufferPointer(start: bytes + o.payload.lowerBound, count: o.payload.count))
        }
    }
}
