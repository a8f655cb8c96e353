import Foundation

/// Processes the lines of an input on several threads and writes the results in input order:
/// the enrichers' record path (risk-score, pathway-audit).
///
/// The calling thread reads lines into batches of about `batchBytes` and queues them; each
/// worker thread takes a whole batch, turns its lines into output bytes with a diagnostics shard
/// of its own, and hands it back; the calling thread writes finished batches strictly in input
/// order and absorbs their shards in that order. No barrier between batches: while one batch is
/// written the workers are busy with the next ones. Output and counts are the same whatever the
/// number of workers. Memory: at most `2 × workers + 1` batches, whatever the input size.
public struct ParallelLines<Worker> {
    public var workers: [Worker]
    public var batchBytes: Int

    public init(workers: [Worker], batchBytes: Int = 2 << 20) {
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
        let queue = BatchQueue(capacity: 2 * workers.count + 1)
        var threads: [Thread] = []
        let finished = DispatchGroup()
        let states = WorkerStates(workers)
        for (index, w) in workers.enumerated() {
            let state = UncheckedBox(w)
            finished.enter()
            let t = Thread {
                var worker = state.value
                while let batch = queue.nextToProcess() {
                    do {
                        try batch.data.withUnsafeBufferPointer { buffer in
                            for l in batch.lines {
                                batch.emitted += try process(&worker, UnsafeBufferPointer(rebasing: buffer[l.start..<l.end]),
                                                             l.number, &batch.output, batch.shard!)
                            }
                        }
                    } catch {
                        batch.error = error
                    }
                    queue.processed(batch)
                }
                // Store the state before saying it has finished: the caller reads it then.
                states.store(worker, at: index)
                finished.leave()
            }
            t.stackSize = 4 << 20
            threads.append(t)
            t.start()
        }
        defer {
            queue.close()
            finished.wait()
            // Workers' state as they left it (a program's per-thread totals, for instance).
            workers = states.collected
        }

        var failure: Error?
        func writeReady(waitForOne: Bool) throws {
            while let batch = queue.nextInOrder(wait: waitForOne && failure == nil) {
                defer { queue.recycle(batch) }
                try diagnostics.absorb(batch.shard!)
                batch.shard = nil
                if let error = batch.error { throw error }
                diagnostics.countEmitted(batch.emitted)
                try write(batch.output)
                if waitForOne { return }
            }
        }
        var batch = queue.emptyBatch()
        // A record past the line limit is one rejected record, not the end of the run.
        var reader = reader
        reader.onOverLong = { number in batch.overLong.append(number) }
        func submit() throws {
            batch.shard = diagnostics.shard()
            for number in batch.overLong {
                batch.shard!.countRead(1)
                try batch.shard!.reject(Self.overLongReject(reader, number))
            }
            queue.submit(batch)
        }
        do {
            try reader.forEachLine { line, number in
                batch.append(line, number: number)
                if batch.data.count >= batchBytes {
                    try submit()
                    try writeReady(waitForOne: false)
                    while queue.isFull { try writeReady(waitForOne: true) }
                    batch = queue.emptyBatch()
                }
            }
            try submit()
            while queue.hasPending { try writeReady(waitForOne: true) }
        } catch {
            failure = error
            throw error
        }
    }
}

extension ParallelLines {
    /// The reject for a line past the reader's limit.
    static func overLongReject(_ reader: LineReader, _ number: Int) -> Reject {
        Reject(source: reader.input.name, line: number, reason: "record too long",
               detail: "longer than \(reader.maxLineLength >> 20) MiB: skipped, the rest of the input read on")
    }
}

/// Lines copied out of the input, with their line numbers, and what processing made of them.
final class LineBatch: @unchecked Sendable {
    var sequence = 0
    var data: [UInt8] = []
    var lines: [(start: Int, end: Int, number: Int)] = []
    var output: [UInt8] = []
    var emitted = 0
    var shard: DiagnosticsShard?
    var error: Error?
    /// Lines past the line limit, skipped while reading: rejected in this batch's shard.
    var overLong: [Int] = []

    func reset() {
        overLong.removeAll()
        data.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
        output.removeAll(keepingCapacity: true)
        emitted = 0
        shard = nil
        error = nil
    }

    @inline(__always) func append(_ line: UnsafeBufferPointer<UInt8>, number: Int) {
        let start = data.count
        data.append(contentsOf: line)
        lines.append((start, data.count, number))
    }
}

/// The hand-over between the reading thread and the workers: batches to process in submission
/// order, finished ones collected by sequence number, emptied ones kept for reuse.
final class BatchQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    private var todo: [LineBatch] = []
    private var done: [Int: LineBatch] = [:]
    private var free: [LineBatch] = []
    private var submitted = 0
    private var nextToWrite = 0
    private var closed = false

    init(capacity: Int) { self.capacity = capacity }

    func emptyBatch() -> LineBatch {
        condition.lock(); defer { condition.unlock() }
        let b = free.popLast() ?? LineBatch()
        b.reset()
        return b
    }

    func submit(_ b: LineBatch) {
        condition.lock(); defer { condition.unlock() }
        b.sequence = submitted
        submitted += 1
        todo.append(b)
        condition.broadcast()
    }

    /// Batches submitted and not yet written.
    var inFlight: Int { submitted - nextToWrite }
    var isFull: Bool { condition.lock(); defer { condition.unlock() }; return inFlight >= capacity }
    var hasPending: Bool { condition.lock(); defer { condition.unlock() }; return inFlight > 0 }

    /// Worker: the next batch, or nil once closed.
    func nextToProcess() -> LineBatch? {
        condition.lock(); defer { condition.unlock() }
        while todo.isEmpty && !closed { condition.wait() }
        if closed { return nil }
        return todo.removeFirst()
    }

    func processed(_ b: LineBatch) {
        condition.lock(); defer { condition.unlock() }
        done[b.sequence] = b
        condition.broadcast()
    }

    /// Writer: the next batch in order once processed (waiting for it if `wait`), else nil.
    func nextInOrder(wait: Bool) -> LineBatch? {
        condition.lock(); defer { condition.unlock() }
        while wait && done[nextToWrite] == nil && nextToWrite < submitted { condition.wait() }
        guard let b = done.removeValue(forKey: nextToWrite) else { return nil }
        nextToWrite += 1
        condition.broadcast()
        return b
    }

    func recycle(_ b: LineBatch) {
        condition.lock(); defer { condition.unlock() }
        b.reset()
        free.append(b)
    }

    /// Ends the workers (after the batch each is on).
    func close() {
        condition.lock(); defer { condition.unlock() }
        closed = true
        condition.broadcast()
    }
}

/// Each worker thread's state when it ends.
final class WorkerStates<Worker>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var collected: [Worker]
    init(_ initial: [Worker]) { collected = initial }
    func store(_ w: Worker, at i: Int) {
        lock.lock(); defer { lock.unlock() }
        collected[i] = w
    }
}

/// Hands a value to another thread where the code guarantees exclusive use by construction.
struct UncheckedBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}
