import Foundation

/// Runs jobs one at a time on a thread of its own (started on the first job, ended by `stop`).
///
/// `submit` waits for room: with `queueBehindRunning` one job may wait while another runs (an
/// output block being written while the next fills); without it, a job is accepted only when
/// the worker is idle (a sort arena: a third one would break the memory budget). A job that
/// throws makes the next `submit` or `waitUntilIdle` throw. Each finished job comes back from a
/// later `submit`, so its storage (emptied by `work`) is reused rather than allocated again.
public final class BackgroundWorker<Job>: @unchecked Sendable {
    private let condition = NSCondition()
    private let work: (inout Job) throws -> Void
    private let queueBehindRunning: Bool
    private var queued: Job?
    private var running = false
    private var finished: Job?
    private var failure: Error?
    private var stopping = false
    private var started = false

    public init(queueBehindRunning: Bool, work: @escaping (inout Job) throws -> Void) {
        self.queueBehindRunning = queueBehindRunning
        self.work = work
    }

    /// Queues `job`; returns an earlier finished job, if any, for its storage.
    public func submit(_ job: Job) throws -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while (queued != nil || (running && !queueBehindRunning)) && failure == nil { condition.wait() }
        if let failure { throw failure }
        queued = job
        if !started {
            started = true
            let t = Thread { [self] in run() }
            t.stackSize = 1 << 20
            t.start()
        }
        condition.broadcast()
        return finished.take()
    }

    /// Waits until no job is queued or running; throws a job's error.
    public func waitUntilIdle() throws {
        condition.lock()
        defer { condition.unlock() }
        while (queued != nil || running) && failure == nil { condition.wait() }
        if let failure { throw failure }
    }

    /// Ends the thread: drops a queued job and a kept finished one, and waits for a running job
    /// to end (so nothing the job uses may go away under it).
    public func stop() {
        condition.lock()
        stopping = true
        queued = nil
        finished = nil
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while queued == nil && !stopping { condition.wait() }
            guard var job = queued.take() else {
                condition.unlock()
                return
            }
            running = true
            condition.unlock()
            var error: Error?
            do { try work(&job) } catch let e { error = e }
            condition.lock()
            if !stopping { finished = job }
            running = false
            failure = failure ?? error
            condition.broadcast()
            condition.unlock()
        }
    }
}
