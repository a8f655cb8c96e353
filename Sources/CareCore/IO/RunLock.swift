#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A lock file held for the whole run (flock), so two cron runs never overlap. The kernel drops
/// the lock when the process ends, however it ends; the file itself is left in place (removing
/// it would let a third run lock a different file).
public final class RunLock {
    public let path: String
    private let fd: Int32

    /// Takes the lock, or throws `CareError(.tempFail)` (exit 75) if another run holds it.
    public init(path: String, program: String) throws {
        self.path = path
        let d = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard d >= 0 else { throw CareError(.cantCreate, "cannot create the lock file \(path): \(String(cString: strerror(errno)))") }
        if flock(d, LOCK_EX | LOCK_NB) != 0 {
            let busy = errno == EWOULDBLOCK
            close(d)
            if busy { throw CareError(.tempFail, "another \(program) run holds the lock \(path); try again when it has finished") }
            throw CareError(.ioError, "cannot lock \(path): \(String(cString: strerror(errno)))")
        }
        fd = d
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
