import Foundation

/// A batch that a `BatchChannel` recycles. The producer marks the last one, and an error that
/// ended its work.
public protocol ReusableBatch: AnyObject {
    init()
    func reset()
    var isLast: Bool { get set }
    var error: Error? { get set }
}

/// A bounded hand-over between one producing and one consuming thread: full batches one way,
/// emptied ones back, so at most `depth` batches exist. (An NSCondition rather than dispatch
/// semaphores: a semaphore may not be freed below its initial count, which an early stop does.)
public final class BatchChannel<Batch: ReusableBatch>: @unchecked Sendable {
    private let condition = NSCondition()
    private var full: [Batch] = []
    private var empty: [Batch]
    private var cancelled = false

    public init(depth: Int = 3) {
        empty = (0..<depth).map { _ in Batch() }
    }

    /// Producer: an empty batch to fill, or nil when the consumer has stopped.
    public func takeEmpty() -> Batch? {
        condition.lock(); defer { condition.unlock() }
        while empty.isEmpty && !cancelled { condition.wait() }
        if cancelled { return nil }
        let b = empty.removeLast()
        b.reset()
        return b
    }

    public func sendFull(_ b: Batch) {
        condition.lock(); defer { condition.unlock() }
        full.append(b)
        condition.broadcast()
    }

    /// Consumer: the next full batch (blocks).
    public func takeFull() -> Batch {
        condition.lock(); defer { condition.unlock() }
        while full.isEmpty { condition.wait() }
        return full.removeFirst()
    }

    public func giveBack(_ b: Batch) {
        condition.lock(); defer { condition.unlock() }
        empty.append(b)
        condition.broadcast()
    }

    /// Consumer gives up early: the producer's next `takeEmpty` returns nil.
    public func cancel() {
        condition.lock(); defer { condition.unlock() }
        cancelled = true
        condition.broadcast()
    }

    /// Producer: sends its last batch (nil when cancelled), marked last, with the error if any.
    public func finish(_ batch: Batch?, error: Error?) {
        guard let batch else { return }
        batch.error = error
        batch.isLast = true
        sendFull(batch)
    }

    /// Runs `producer` on a thread of its own and hands each batch it fills to `consume` on the
    /// calling thread, in order. If `consume` throws, the producer is stopped (its next
    /// `takeEmpty` returns nil); either way this returns only after the producer has finished.
    /// Throws the consumer's error, else the producer's.
    public func run(producer: @escaping @Sendable () -> Void, consume: (Batch) throws -> Void) throws {
        let finished = NSCondition()
        nonisolated(unsafe) var producerDone = false
        let thread = Thread {
            producer()
            finished.lock(); producerDone = true; finished.broadcast(); finished.unlock()
        }
        thread.stackSize = 1 << 20
        thread.start()
        var failure: Error?
        while true {
            let b = takeFull()
            do {
                try consume(b)
            } catch {
                failure = error
                cancel()
                break
            }
            let last = b.isLast, error = b.error
            giveBack(b)
            if last { failure = error; break }
        }
        finished.lock()
        while !producerDone { finished.wait() }
        finished.unlock()
        if let failure { throw failure }
    }
}

