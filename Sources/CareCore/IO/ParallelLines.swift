import Foundation

/// Processes the lines of an input on several threads and writes the results in input order:
/// the enrichers' record path (risk-score, pathway-audit). Lines are gathered into a batch of
/// about `batchBytes`; the batch is cut into one contiguous part per worker; each worker turns
/// its lines into output bytes with a diagnostics shard of its own; then the parts are written
/// and their shards absorbed in order. Output and counts are the same whatever the number of
/// workers. Memory: two batches and the workers' output, whatever the input size.
public struct ParallelLines<Worker> {
    public var workers: [Worker]
    public var batchBytes: Int

    public init(workers: [Worker], batchBytes: Int = 4 << 20) {
        precondition(!workers.isEmpty)
        self.workers = workers
        self.batchBytes = batchBytes
    }

    /// Runs `process(worker, line, lineNumber, output, shard)` for every line; it appends what
    /// the line becomes to `output` and returns how many records it emitted.
    public mutating func run(
        _ reader: LineReader, diagnostics: Diagnostics, write: ([UInt8]) throws -> Void,
        process: @escaping @Sendable (inout Worker, UnsafeBufferPointer<UInt8>, Int, inout [UInt8], DiagnosticsShard) throws -> Int
    ) throws {
        var data: [UInt8] = []
        data.reserveCapacity(batchBytes + (1 << 16))
        var lines: [(start: Int, end: Int, number: Int)] = []
        let parts = workers.count
        var outputs = [[UInt8]](repeating: [], count: parts)

        func flush() throws {
            guard !lines.isEmpty else { return }
            let shards = (0..<parts).map { _ in diagnostics.shard() }
            var failures = [Error?](repeating: nil, count: parts)
            var emitted = [Int](repeating: 0, count: parts)
            let perPart = (lines.count + parts - 1) / parts
            try data.withUnsafeBufferPointer { buffer in
                try withUnsafeMutablePointers(&workers, &outputs, &failures, &emitted) { w, o, f, e in
                    let ptrs = UnsafeSendable(buffer: buffer, lines: lines, workers: w, outputs: o, failures: f, emitted: e)
                    DispatchQueue.concurrentPerform(iterations: parts) { part in
                        let lo = min(part * perPart, ptrs.lines.count), hi = min(lo + perPart, ptrs.lines.count)
                        do {
                            for i in lo..<hi {
                                let l = ptrs.lines[i]
                                ptrs.emitted![part] += try process(&ptrs.workers![part], UnsafeBufferPointer(rebasing: ptrs.buffer[l.start..<l.end]),
                                                                   l.number, &ptrs.outputs![part], shards[part])
                            }
                        } catch {
                            ptrs.failures![part] = error
                        }
                    }
                }
            }
            for part in 0..<parts {
                try diagnostics.absorb(shards[part])
                if let failure = failures[part] { throw failure }
                diagnostics.countEmitted(emitted[part])
                try write(outputs[part])
                outputs[part].removeAll(keepingCapacity: true)
            }
            lines.removeAll(keepingCapacity: true)
            data.removeAll(keepingCapacity: true)
        }

        try reader.forEachLine { line, number in
            let start = data.count
            data.append(contentsOf: line)
            lines.append((start, data.count, number))
            if data.count >= batchBytes { try flush() }
        }
        try flush()
    }
}

/// Pointers handed to the worker threads of one batch; each thread touches only its own index.
private struct UnsafeSendable<Worker>: @unchecked Sendable {
    var buffer: UnsafeBufferPointer<UInt8>
    var lines: [(start: Int, end: Int, number: Int)]
    var workers: UnsafeMutablePointer<Worker>?
    var outputs: UnsafeMutablePointer<[UInt8]>?
    var failures: UnsafeMutablePointer<Error?>?
    var emitted: UnsafeMutablePointer<Int>?
    init(buffer: UnsafeBufferPointer<UInt8>, lines: [(start: Int, end: Int, number: Int)],
         workers: UnsafeMutablePointer<Worker>? = nil, outputs: UnsafeMutablePointer<[UInt8]>? = nil,
         failures: UnsafeMutablePointer<Error?>? = nil, emitted: UnsafeMutablePointer<Int>? = nil) {
        self.buffer = buffer; self.lines = lines; self.workers = workers; self.outputs = outputs
        self.failures = failures; self.emitted = emitted
    }
}

private func withUnsafeMutablePointers<A, B, C, D, R>(
    _ a: inout [A], _ b: inout [B], _ c: inout [C], _ d: inout [D],
    _ body: (UnsafeMutablePointer<A>, UnsafeMutablePointer<B>, UnsafeMutablePointer<C>, UnsafeMutablePointer<D>) throws -> R
) rethrows -> R {
    try a.withUnsafeMutableBufferPointer { pa in
        try b.withUnsafeMutableBufferPointer { pb in
            try c.withUnsafeMutableBufferPointer { pc in
                try d.withUnsafeMutableBufferPointer { pd in
                    try body(pa.baseAddress!, pb.baseAddress!, pc.baseAddress!, pd.baseAddress!)
                }
            }
        }
    }
}
