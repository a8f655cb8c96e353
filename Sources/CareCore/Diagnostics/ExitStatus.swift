/// Exit codes from sysexits(3), as DESIGN.md §4 fixes them for every program.
public enum ExitStatus: Int32, Sendable {
    case ok = 0
    case failure = 1
    case usage = 64        // EX_USAGE: bad command line
    case dataError = 65    // EX_DATAERR: bad input data (rejects where none are allowed)
    case noInput = 66      // EX_NOINPUT: cannot open an input
    case software = 70     // EX_SOFTWARE: internal error
    case cantCreate = 73   // EX_CANTCREAT: cannot create an output
    case ioError = 74      // EX_IOERR: read or write failed
    case tempFail = 75     // EX_TEMPFAIL: try again later (e.g. another run holds the lock)
    case config = 78       // EX_CONFIG: a definition file (pathways) is wrong
}

/// An error that ends the program with a message on stderr and a sysexits code.
/// Messages never contain personal identifiers: build them with `Mask` where a value is shown.
public struct CareError: Error, CustomStringConvertible, Sendable {
    public var status: ExitStatus
    public var message: String
    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }
    public var description: String { message }
}

/// Raised when stdout is closed by the reader (`| head`): the program ends quietly with 0.
public struct BrokenPipe: Error, Sendable {
    public init() {}
}
