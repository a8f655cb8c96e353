import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered writer on a file descriptor. Output is flushed in large blocks and at the end.
/// A write that fails with EPIPE throws `BrokenPipe` (the reader went away: end quietly);
/// any other failure throws `CareError(.ioError)`.
///
/// `asynchronous` streams hand each full block to a writer thread and go on filling a second
/// block, so the `write(2)` calls (and the kernel's copying) overlap with producing output.
/// A writer-thread error is thrown by the next `write` or `flush`.
public final class OutputStream: @unchecked Sendable {
    public let fd: Int32
    public let name: String
    private var buffer: [UInt8] = []
    private let flushThreshold: Int
    private let writer: BackgroundWriter?

    public init(fd: Int32, name: String, bufferSize: Int = 1 << 20, asynchronous: Bool = false) {
        self.fd = fd
        self.name = name
        self.flushThreshold = bufferSize
        buffer.reserveCapacity(bufferSize + 65536)
        writer = asynchronous ? BackgroundWriter(fd: fd, name: name, capacity: bufferSize + 65536) : nil
        OutputStream.ignoreSIGPIPE()
    }

    /// Ends the writer thread (after the block in flight, if any). Unflushed bytes are dropped:
    /// call `flush()` first to keep them.
    deinit { writer?.stop() }

    public static func stdout(asynchronous: Bool = false) -> OutputStream {
        OutputStream(fd: 1, name: "standard output", asynchronous: asynchronous)
    }

    /// SIGPIPE would kill the process before EPIPE could be seen; ignore it once.
    nonisolated(unsafe) private static var sigpipeIgnored = false
    static func ignoreSIGPIPE() {
        if !sigpipeIgnored {
            signal(SIGPIPE, SIG_IGN)
            // A file-size limit (ulimit -f) then shows as EFBIG, an I/O error with a message and
            // every output abandoned, not a kill that leaves temporary files behind.
            signal(SIGXFSZ, SIG_IGN)
            sigpipeIgnored = true
        }
    }

    @inline(__always)
    public func write<C: Collection>(_ bytes: C) throws where C.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushThreshold { try drain() }
    }

    /// Arrays, the usual case, copied as one block: the generic version above is not
    /// specialised across modules and copied byte by byte (9 % of risk-score's time).
    public func write(_ bytes: [UInt8]) throws {
        bytes.withUnsafeBufferPointer { buffer.append(contentsOf: $0) }
        if buffer.count >= flushThreshold { try drain() }
    }

    public func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    /// Hands the buffer on (asynchronous) or writes it (synchronous).
    private func drain() throws {
        if let writer {
            try writer.hand(&buffer)
        } else {
            try OutputStream.writeAll(fd: fd, name: name, buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// Writes everything buffered, and waits for the writer thread, if any, to finish.
    public func flush() throws {
        if !buffer.isEmpty { try drain() }
        try writer?.waitUntilIdle()
    }

    static func writeAll(fd: Int32, name: String, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = Glibc_write(fd, raw.baseAddress! + off, raw.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE { throw BrokenPipe() }
                    throw CareError(.ioError, "cannot write \(name): \(String(cString: strerror(errno)))")
                }
                off += n
            }
        }
    }
}

/// The writer thread of an asynchronous `OutputStream`: one block written while the next fills.
final class BackgroundWriter: @unchecked Sendable {
    private let worker: BackgroundWorker<[UInt8]>

    init(fd: Int32, name: String, capacity: Int) {
        worker = BackgroundWorker(queueBehindRunning: true) { block in
            defer { block.removeAll(keepingCapacity: true) }   // sole owner: storage kept for reuse
            try OutputStream.writeAll(fd: fd, name: name, block)
        }
    }

    /// Queues `buffer`'s contents for writing and gives back an empty buffer to fill.
    func hand(_ buffer: inout [UInt8]) throws {
        var full: [UInt8] = []
        swap(&full, &buffer)
        if let emptied = try worker.submit(full) { buffer = emptied }
    }

    func waitUntilIdle() throws { try worker.waitUntilIdle() }

    func stop() { worker.stop() }
}

/// An output file written atomically: a temporary file in the same folder, renamed over the
/// target on `commit()`. Until then the old file (if any) is untouched; `abandon()`, an error
/// or SIGTERM/SIGINT removes the temporary file. A target that exists and is not a regular
/// file (/dev/null, a FIFO) is written in place: renaming over it would replace the device.
public final class OutputFile {
    public let path: String
    public let temporaryPath: String
    public let stream: OutputStream
    private var done = false
    private let inPlace: Bool

    public init(path: String, asynchronous: Bool = false) throws {
        self.path = path
        var st = stat()
        if stat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG && (st.st_mode & S_IFMT) != S_IFDIR {
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw CareError(.cantCreate, "cannot open \(Mask.path(path)): \(String(cString: strerror(errno)))") }
            temporaryPath = path
            stream = OutputStream(fd: fd, name: path, asynchronous: asynchronous)
            inPlace = true
            return
        }
        inPlace = false
        let dir: String
        if let slash = path.lastIndex(of: "/") {
            dir = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            dir = "."
        }
        let (fd, temporary) = try TemporaryFiles.createFile("\(dir)/.\(path.split(separator: "/").last ?? "out").XXXXXX") {
            CareError(.cantCreate, "cannot create \(Mask.path(path)): \($0)")
        }
        fchmod(fd, 0o644)
        temporaryPath = temporary
        stream = OutputStream(fd: fd, name: path, asynchronous: asynchronous)
    }

    public func write<C: Collection>(_ bytes: C) throws where C.Element == UInt8 { try stream.write(bytes) }
    public func write(_ bytes: [UInt8]) throws { try stream.write(bytes) }

    public func commit() throws {
        try prepare()
        try publish()
    }

    private var prepared = false

    /// Writes everything out and closes the file (its descriptor is free again), leaving only
    /// the rename: a disk that fills shows here, before any file of a set is replaced.
    public func prepare() throws {
        guard !done, !prepared else { return }
        if inPlace {
            done = true
            try stream.flush()
            close(stream.fd)
            return
        }
        do {
            try stream.flush()
        } catch {
            abandon()
            throw error
        }
        // Closed whether or not the sync worked (a failed fsync used to leave the descriptor open).
        let synced = fsync(stream.fd) == 0
        var reason = synced ? "" : String(cString: strerror(errno))
        let closed = close(stream.fd) == 0
        if synced && !closed { reason = String(cString: strerror(errno)) }
        prepared = true
        if !synced || !closed {
            abandon()
            throw CareError(.ioError, "cannot write \(Mask.path(path)): \(reason)")
        }
    }

    /// Renames the prepared file over its target.
    public func publish() throws {
        guard !done else { return }
        try prepare()
        done = true
        defer { TemporaryFiles.unregister(temporaryPath) }
        if rename(temporaryPath, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw CareError(.cantCreate, "cannot create \(Mask.path(path)): \(reason)")
        }
    }

    /// A set of files committed all or nothing: every one is written out first, and only when
    /// all have been are they renamed over their targets (renames in one folder do not fail for
    /// want of space); on any failure none is replaced.
    public static func commitAll(_ files: [OutputFile]) throws {
        do {
            for f in files { try f.prepare() }
        } catch {
            for f in files { f.abandon() }
            throw error
        }
        for f in files { try f.publish() }
    }

    public func abandon() {
        guard !done else { return }
        done = true
        if !prepared { close(stream.fd) }
        if inPlace { return }
        unlink(temporaryPath)
        TemporaryFiles.unregister(temporaryPath)
    }

    deinit { abandon() }
}

/// Where a program's main output goes: stdout, or an atomic file with `-o`.
public final class OutputTarget {
    public let stream: OutputStream
    private let file: OutputFile?

    /// `asynchronous`: see `OutputStream` (for a program's main output of many megabytes).
    public init(path: String?, asynchronous: Bool = false) throws {
        if let path, path != "-" {
            let f = try OutputFile(path: path, asynchronous: asynchronous)
            file = f
            stream = f.stream
        } else {
            file = nil
            stream = OutputStream.stdout(asynchronous: asynchronous)
        }
    }

    public func write<C: Collection>(_ bytes: C) throws where C.Element == UInt8 { try stream.write(bytes) }
    public func write(_ bytes: [UInt8]) throws { try stream.write(bytes) }

    public func commit() throws {
        if let file { try file.commit() } else { try stream.flush() }
    }

    public func abandon() { file?.abandon() }
}

/// Temporary paths to remove if the process is killed by SIGTERM, SIGINT or SIGHUP. The
/// handler only calls async-signal-safe functions (unlink, _exit) on C strings kept here.
/// Threads register and unregister under a lock; the handler reads the slots without one
/// (each slot is one pointer, set or cleared in one store).
public enum TemporaryFiles {
    /// Room for this many temporary files at once (an `--out-dir` of thousands of groups holds
    /// one per group until the set is renamed); the handler reads the slots without a lock.
    public static let capacity = 1 << 16
    nonisolated(unsafe) private static var paths: [UnsafeMutablePointer<CChar>?] = Array(repeating: nil, count: capacity)
    /// A slot at or after which the next free one is looked for (so registering stays cheap).
    nonisolated(unsafe) private static var hint = 0
    /// Path → its slot, for unregistering without a search.
    nonisolated(unsafe) private static var slots: [String: Int] = [:]
    nonisolated(unsafe) private static var installed = false
    private static let lock = NSLock()

    /// Registers a temporary path for removal on a signal; false when every slot is taken (the
    /// caller must not create the file then: it could be left behind).
    @discardableResult
    public static func register(_ path: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        installHandlersLocked()
        for k in 0..<paths.count {
            let i = (hint + k) % paths.count
            if paths[i] == nil {
                paths[i] = strdup(path)
                slots[path] = i
                hint = i + 1
                return true
            }
        }
        return false
    }

    public static func unregister(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        guard let i = slots.removeValue(forKey: path), let p = paths[i] else { return }
        paths[i] = nil
        free(p)
        hint = min(hint, i)
    }

    /// Stop requests held back while some thread is between creating a temporary path and
    /// registering it (or removing it again): how many such threads, and the signal, if one came.
    private static let creatingNow = Atomic<Int>(0)
    private static let heldSignal = Atomic<Int32>(0)

    /// Runs `body`, which creates a temporary path and registers it (or creates one and removes
    /// its name again), with SIGTERM, SIGINT and SIGHUP held back: one arriving meanwhile, on
    /// any thread, is acted on when the last such body ends, so the handler never exits while a
    /// created path is unknown to it. A body must not block for long.
    public static func creating<T>(_ body: () throws -> T) rethrows -> T {
        installHandlers()
        creatingNow.add(1, ordering: .sequentiallyConsistent)
        if heldSignal.load(ordering: .sequentiallyConsistent) != 0 {
            // A stop was asked for before this began: create nothing; whoever is last ends it.
            endCreating()
            while true { pause() }
        }
        defer { endCreating() }
        return try body()
    }

    private static func endCreating() {
        let left = creatingNow.subtract(1, ordering: .sequentiallyConsistent).newValue
        let sig = heldSignal.load(ordering: .sequentiallyConsistent)
        if left == 0 && sig != 0 {
            removeAll()
            _exit(128 + sig)
        }
    }

    /// What the handler does: note the signal; unless a thread is inside `creating`, remove
    /// every registered path and exit 128 + the signal.
    private static func stop(_ sig: Int32) {
        heldSignal.store(sig, ordering: .sequentiallyConsistent)
        guard creatingNow.load(ordering: .sequentiallyConsistent) == 0 else { return }
        removeAll()
        _exit(128 + sig)
    }

    /// A new file from `template` (mkstemp, ending in XXXXXX), registered for removal on a stop
    /// signal with no moment between in which a signal could leave it behind; `failure` words
    /// the error from its reason.
    public static func createFile(_ template: String, failure: (String) -> CareError) throws -> (fd: Int32, path: String) {
        try creating {
            guard let made = TemporaryNames.file(template) else { throw failure(String(cString: strerror(errno))) }
            guard register(made.path) else {
                close(made.fd)
                unlink(made.path)
                throw failure("more than \(capacity) files are being written at once")
            }
            return made
        }
    }

    /// Removes every registered path now (used by the signal handler and by tests): files,
    /// then folders (a folder is registered before the files in it, so the newest go first;
    /// `rmdir` of a file and `unlink` of a folder fail harmlessly).
    public static func removeAll() {
        for i in paths.indices.reversed() {
            if let p = paths[i] { unlink(p); rmdir(p) }
        }
    }

    /// Installs the handlers (and unblocks the signals) now. Every program calls it first, so
    /// a stop request is honoured from the start, before any temporary file exists.
    public static func installHandlers() {
        lock.lock(); defer { lock.unlock() }
        installHandlersLocked()
    }

    private static func installHandlersLocked() {
        guard !installed else { return }
        installed = true
        // A parent (a test runner, a job wrapper) may have left these blocked: unblock them so
        // a stop request is honoured and temporary files are removed.
        var set = sigset_t()
        sigemptyset(&set)
        for sig in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&set, sig) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for sig in [SIGTERM, SIGINT, SIGHUP] {
            signal(sig) { sig in TemporaryFiles.stop(sig) }
        }
    }
}
