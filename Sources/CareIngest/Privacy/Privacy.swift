import CareCore
import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keyed pseudonyms: `id` = lower-case hex HMAC-SHA256(key, NHS number). The same key always
/// gives the same pseudonym, so pseudonymised streams from separate runs still join; without
/// the key a pseudonym cannot be turned back into an NHS number.
public struct Pseudonymiser: @unchecked Sendable {
    let key: SymmetricKey
    public static let minimumKeyBytes = 32

    public init(keyBytes: [UInt8]) throws {
        guard keyBytes.count >= Self.minimumKeyBytes else {
            throw CareError(.usage, "the pseudonymisation key must be at least \(Self.minimumKeyBytes) bytes (it has \(keyBytes.count))")
        }
        key = SymmetricKey(data: keyBytes)
    }

    /// Reads the key file. Refuses a file that group or others can read or write.
    public init(keyFile path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw CareError(.noInput, "cannot open key file \(path): \(String(cString: strerror(errno)))")
        }
        if st.st_mode & 0o077 != 0 {
            throw CareError(.usage, "key file \(path) can be read by others (mode \(String(st.st_mode & 0o777, radix: 8))); run: chmod 600 \(path)")
        }
        let input = try InputFile(path: path)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try input.read(into: $0.baseAddress!, count: $0.count) }
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        try self.init(keyBytes: bytes)
    }

    public func pseudonym(for identifier: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(identifier.utf8), using: key)
        let hex = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in mac { out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }
}

/// NHS numbers whose records must not be used (the national data opt-out, or a local list):
/// one per line, spaces and dashes allowed, `#` starts a comment.
public struct OptOutList: Sendable {
    private var numbers: Set<Int> = []
    public var count: Int { numbers.count }

    public init() {}

    public init(path: String) throws {
        let input = try InputFile(path: path)
        var bad = 0, firstBad = 0
        try LineReader(input).forEachLine { line, number in
            var content = line
            if let hash = line.firstIndex(of: UInt8(ascii: "#")) { content = UnsafeBufferPointer(rebasing: line[..<hash]) }
            if content.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
            switch NHSNumber.validate(content) {
            case let .success(n): numbers.insert(Int(n)!)
            case .failure:
                bad += 1
                if firstBad == 0 { firstBad = number }
            }
        }
        if bad > 0 {
            throw CareError(.dataError, "\(path):\(firstBad): \(bad) line(s) are not valid NHS numbers; an opt-out list must be exact")
        }
    }

    public func contains(_ nhsNumber: String) -> Bool {
        guard let n = Int(nhsNumber) else { return false }
        return numbers.contains(n)
    }
}

/// The privacy settings of a run: opt-outs, pseudonymisation, and the pseudonym map.
final class Privacy {
    let optOut: OptOutList
    let pseudonymiser: Pseudonymiser?
    let map: OutputFile?

    init(optOut: OptOutList, pseudonymiser: Pseudonymiser?, mapPath: String?) throws {
        self.optOut = optOut
        self.pseudonymiser = pseudonymiser
        if let mapPath {
            let file = try OutputFile(path: mapPath)
            fchmod(file.stream.fd, 0o600)
            try file.write(Array("pseudonym,nhs_number\n".utf8))
            map = file
        } else {
            map = nil
        }
    }

    func isOptedOut(_ nhs: String) -> Bool { optOut.contains(nhs) }

    func recordPseudonym(_ pseudonym: String, nhsNumber: String) throws {
        try map?.write(Array("\(pseudonym),\(nhsNumber)\n".utf8))
    }
}
