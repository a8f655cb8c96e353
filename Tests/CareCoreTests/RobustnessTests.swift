import Foundation
import Testing
@testable import CareCore

/// Randomised checks of the JSON codec and the line reader. The seed is fixed so a failure
/// repeats; the independent oracle for validity is Foundation's JSONSerialization.
@Suite("Robustness (randomised)")
struct RobustnessTests {
    struct Random: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func value(_ rng: inout Random, depth: Int = 0) -> JSONValue {
        let strings = ["", "a", "é", "\"q\"", "back\\slash", "tab\t", "nl\n", "\u{1F600}", "\u{7}", "ZZ0001", "2024-02-29"]
        switch Int.random(in: 0..<(depth > 3 ? 4 : 7), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .number([ "0", "-1", "3.25", "1e10", "-0.5E-3", "12345678901234567890"].randomElement(using: &rng)!)
        case 3: return .string(strings.randomElement(using: &rng)!)
        case 4, 5:
            return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in value(&rng, depth: depth + 1) })
        default:
            return .object((0..<Int.random(in: 0...4, using: &rng)).map { i in ("k\(i)\(strings.randomElement(using: &rng)!)", value(&rng, depth: depth + 1)) })
        }
    }

    @Test("written values read back equal")
    func roundTrip() throws {
        var rng = Random(state: 42)
        for _ in 0..<2000 {
            let v = Self.value(&rng)
            #expect(try JSONValue(parsing: v.jsonText) == v, "\(v.jsonText)")
        }
    }

    @Test("mutated documents never crash the scanner, and it agrees with JSONSerialization")
    func mutations() throws {
        var rng = Random(state: 7)
        let alphabet = Array(#"{}[]:,"\ u0123456789abcdefEe.-+tnrul"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xE9, 0xFF]
        var disagreements: [String] = []
        for _ in 0..<3000 {
            var bytes = Array(Self.value(&rng).jsonText.utf8)
            for _ in 0..<Int.random(in: 1...3, using: &rng) where !bytes.isEmpty {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[i] = alphabet.randomElement(using: &rng)!
                case 1: bytes.remove(at: i)
                default: bytes.insert(alphabet.randomElement(using: &rng)!, at: i)
                }
            }
            let ours = bytes.withUnsafeBufferPointer { b in (try? JSONScanner.validate(b)) != nil }
            let theirs = (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
            // JSONSerialization is lenient about lone surrogate escapes and a few number forms;
            // everything we accept it must accept too.
            if ours && !theirs { disagreements.append(String(decoding: bytes, as: UTF8.self)) }
        }
        #expect(disagreements.isEmpty, "accepted by us, rejected by JSONSerialization: \(disagreements.prefix(5))")
    }

    @Test("random bytes: every line is read once, whatever the block size")
    func lineReader() throws {
        var rng = Random(state: 3)
        let dir = NSTemporaryDirectory() + "joinedup-robust-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for round in 0..<20 {
            let bytes = (0..<Int.random(in: 0...5000, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) | (Bool.random(using: &rng) ? 0 : 0x0A) & 0x0A == 0x0A ? 0x0A : UInt8.random(in: 0...255, using: &rng) }
            let path = dir + "/r\(round)"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            var expected = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            if bytes.last == 0x0A { expected.removeLast() }
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { expected[0].removeFirst(3) }
            expected = expected.map { $0.last == 0x0D ? Array($0.dropLast()) : $0 }
            for block in [1, 7, 4096] {
                var got: [[UInt8]] = []
                try LineReader(try InputFile(path: path), blockSize: block).forEachLine { line, _ in got.append(Array(line)) }
                #expect(got == expected, "round \(round), block \(block)")
            }
        }
    }

    @Test("a line longer than the limit is a data error naming file and line")
    func longLine() throws {
        let dir = NSTemporaryDirectory() + "joinedup-robust-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try ("ok\n" + String(repeating: "x", count: 5000)).write(toFile: dir + "/long", atomically: true, encoding: .utf8)
        #expect {
            try LineReader(try InputFile(path: dir + "/long"), blockSize: 1024, maxLineLength: 4096).forEachLine { _, _ in }
        } throws: { error in
            (error as? CareError)?.status == .dataError && "\(error)".contains("/long:2: a line longer than")
        }
    }
}
