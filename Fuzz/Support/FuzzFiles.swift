import CareCore
import CareIngest
#if canImport(Glibc)
import Glibc
#endif

/// What the document fuzz targets share: a scratch folder per target and one in-process
/// ingest run on it, its output thrown away. A thrown error is an answer; only a crash, a hang
/// or a sanitizer report is a finding.
public enum FuzzFiles {
    public static func folder(_ name: String) -> String {
        let path = (FileProbe.environment("TMPDIR") ?? "/tmp") + "/joinedup-fuzz-\(name)-\(getpid())"
        mkdir(path, 0o700)
        return path
    }

    public static func write(_ path: String, _ bytes: [UInt8]) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return }
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    public static func ingest(_ source: SourceSpec) {
        guard let diagnostics = try? Diagnostics(program: "fuzz", unit: "records", quiet: true, strict: false, rejectsPath: nil),
              let output = try? OutputTarget(path: "/dev/null") else { return }
        let options = IngestOptions(sources: [source], memoryBudget: 1 << 20, temporaryFolder: FileProbe.environment("TMPDIR") ?? "/tmp",
                                    readers: 1, allowEmpty: true)
        _ = try? IngestRun.run(options, diagnostics: diagnostics, output: output)
        diagnostics.abandon()
    }
}
