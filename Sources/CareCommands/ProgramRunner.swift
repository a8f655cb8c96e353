import ArgumentParser
import CareCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program's body and turns every way it can end into the right exit code:
/// `CareError` → its sysexits code with one line on stderr; `BrokenPipe` (stdout closed by
/// `| head`) → 0, quietly; anything else → 70.
public enum ProgramRunner {
    public static func run(_ program: String, _ body: () throws -> Void) throws {
        TemporaryFiles.installHandlers()
        do {
            try body()
        } catch is BrokenPipe {
            throw ExitCode(0)
        } catch let error as CareError {
            if error.status != .ok { Stderr.write("\(program): \(error.message)") }
            throw ExitCode(error.status.rawValue)
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            Stderr.write("\(program): \(error)")
            throw ExitCode(ExitStatus.software.rawValue)
        }
    }
}

extension ProgramRunner {
    /// The run of a program that writes one stream (-o FILE atomically, or standard output):
    /// `body` writes through `write` and returns the summary's extra words; the output is
    /// committed and the summary printed, or, on any error, the output and the rejects file are
    /// abandoned and the error thrown on.
    public static func stream(_ diagnostics: Diagnostics, output path: String?,
                              _ body: (_ write: ([UInt8]) throws -> Void) throws -> String?) throws {
        let output = try OutputTarget(path: path, asynchronous: true)
        do {
            let extra = try body { try output.write($0) }
            try output.commit()
            try diagnostics.finish(extra: extra)
        } catch {
            output.abandon()
            diagnostics.abandon()
            throw error
        }
    }
}

/// Sizes like 512K, 192M, 2G (powers of 1024); a plain number is bytes.
public struct ByteSize: ExpressibleByArgument, Sendable {
    public var bytes: Int
    /// The largest size accepted (docs/limits.md): 1 TiB, far past any machine this runs on, and
    /// small enough that nothing computed from it overflows.
    public static let largest = 1 << 40
    public init(bytes: Int) { self.bytes = bytes }
    public init?(argument: String) {
        let s = argument.uppercased()
        guard let last = s.last else { return nil }
        let multipliers: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        let n: Int, m: Int
        if let unit = multipliers[last] { guard let v = Int(s.dropLast()) else { return nil }; n = v; m = unit } else {
            guard let v = Int(s) else { return nil }; n = v; m = 1
        }
        // Checked: 99999999999G is refused, not a trap.
        let (product, overflow) = n.multipliedReportingOverflow(by: m)
        guard n > 0, !overflow, product <= Self.largest else { return nil }
        bytes = product
    }
    public var defaultValueDescription: String { "\(bytes >> 20)M" }
}
