#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open input: a file, or stdin for `-`. Reads in large blocks.
public final class InputFile {
    public let fd: Int32
    /// The name used in messages: the path, or "standard input".
    public let name: String
    private let ownsDescriptor: Bool

    public init(path: String) throws {
        if path == "-" {
            fd = 0
            name = "standard input"
            ownsDescriptor = false
        } else {
            let d = open(path, O_RDONLY | O_CLOEXEC)
            guard d >= 0 else {
                throw CareError(.noInput, "cannot open \(Mask.path(path)): \(String(cString: strerror(errno)))")
            }
            var st = stat()
            if fstat(d, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
                close(d)
                throw CareError(.noInput, "cannot read \(Mask.path(path)): it is a folder")
            }
            fd = d
            name = Mask.path(path)
            ownsDescriptor = true
        }
    }

    /// An open descriptor (a spool with no name), read from its current offset and closed with
    /// this input; `name` is what messages call it.
    public init(descriptor: Int32, name: String) {
        fd = descriptor
        self.name = name
        ownsDescriptor = true
    }

    /// Reads up to `count` bytes into `buffer` at `offset`; returns the number read, 0 at end.
    public func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        while true {
            #if canImport(Glibc)
            let n = Glibc.read(fd, buffer, count)
            #else
            let n = Darwin.read(fd, buffer, count)
            #endif
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw CareError(.ioError, "cannot read \(name): \(String(cString: strerror(errno)))")
        }
    }

    /// The whole input, for small files (code lists, mappings); more than `limit` bytes is an error.
    public func readAll(limit: Int = 64 << 20) throws -> [UInt8] {
        var out: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = try block.withUnsafeMutableBytes { try read(into: $0.baseAddress!, count: $0.count) }
            if n == 0 { return out }
            out.append(contentsOf: block[0..<n])
            if out.count > limit { throw CareError(.dataError, "\(name): larger than \(limit >> 20) MiB") }
        }
    }

    deinit { if ownsDescriptor { close(fd) } }
}

/// Splits an input into lines without copying them: each line is handed out as a buffer
/// (without its `\n` or `\r\n`), valid only during the callback. Line numbers start at 1.
/// A UTF-8 byte-order mark at the start is skipped.
public struct LineReader {
    public let input: InputFile
    public var blockSize: Int
    /// A longer line is an error (a file with no line breaks would otherwise fill memory).
    public var maxLineLength: Int

    public static let defaultMaxLineLength = 64 << 20
    /// When set, a line longer than `maxLineLength` is skipped (read to its end and dropped, in
    /// bounded memory) and this is called with its number, so the run rejects that one record
    /// and goes on; when nil, such a line is an error that ends the run.
    public var onOverLong: ((Int) throws -> Void)?

    public init(_ input: InputFile, blockSize: Int = 1 << 20, maxLineLength: Int = LineReader.defaultMaxLineLength) {
        self.input = input
        self.blockSize = blockSize
        self.maxLineLength = maxLineLength
    }

    /// Calls `body(line, lineNumber)` for each line. Returns the number of lines.
    @discardableResult
    public func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws -> Int {
        var buffer = [UInt8](repeating: 0, count: blockSize)
        var filled = 0
        var lineNumber = 0
        var atStart = true
        while true {
            if filled == buffer.count {
                guard filled < maxLineLength else {
                    guard let onOverLong else {
                        throw CareError(.dataError, "\(Mask.path(input.name)):\(lineNumber + 1): a line longer than \(maxLineLength >> 20) MiB (is this a text file with line breaks?)")
                    }
                    // Skip to the end of this line, reusing the buffer.
                    lineNumber += 1
                    let skipped = lineNumber
                    var found = false
                    filled = 0
                    while !found {
                        let n = try buffer.withUnsafeMutableBytes { raw in try input.read(into: raw.baseAddress!, count: raw.count) }
                        if n == 0 { break }
                        buffer.withUnsafeMutableBytes { raw in
                            guard let nl = memchr(raw.baseAddress!, 0x0A, n) else { return }
                            let after = raw.baseAddress!.distance(to: nl) + 1
                            raw.baseAddress!.copyMemory(from: raw.baseAddress! + after, byteCount: n - after)
                            filled = n - after
                            found = true
                        }
                    }
                    try onOverLong(skipped)
                    atStart = false
                    if !found { return lineNumber }
                    continue
                }
                // Doubled with one copy (appending a repeated zero went byte by byte in a debug
                // build: half a minute for one 64 MiB line).
                let old = buffer.count
                buffer = buffer.withUnsafeBufferPointer { from in
                    [UInt8](unsafeUninitializedCapacity: old * 2) { to, count in
                        to.baseAddress!.initialize(from: from.baseAddress!, count: old)
                        (to.baseAddress! + old).initialize(repeating: 0, count: old)
                        count = old * 2
                    }
                }
            }
            let n = try buffer.withUnsafeMutableBytes { raw in
                try input.read(into: raw.baseAddress! + filled, count: raw.count - filled)
            }
            let eof = n == 0
            filled += n
            var consumed = 0
            try buffer.withUnsafeBufferPointer { buf in
                var start = 0
                if atStart && filled >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF {
                    start = 3
                }
                if atStart && (filled >= 3 || eof) { atStart = false }
                while start < filled {
                    guard let nl = memchr(buf.baseAddress! + start, 0x0A, filled - start) else { break }
                    let end = buf.baseAddress!.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                    var lineEnd = end
                    if lineEnd > start && buf[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                    lineNumber += 1
                    try body(UnsafeBufferPointer(rebasing: buf[start..<lineEnd]), lineNumber)
                    start = end + 1
                }
                if eof && start < filled {
                    var lineEnd = filled
                    if buf[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                    lineNumber += 1
                    try body(UnsafeBufferPointer(rebasing: buf[start..<lineEnd]), lineNumber)
                    start = filled
                }
                consumed = start
            }
            if eof { return lineNumber }
            if consumed > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    raw.baseAddress!.copyMemory(from: raw.baseAddress! + consumed, byteCount: filled - consumed)
                }
                filled -= consumed
            }
        }
    }
}
