#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Creates uniquely named temporary files and folders (mkstemp/mkdtemp). On failure they
/// return nil with `errno` set, so the caller can say why in its own words.
public enum TemporaryNames {
    /// A new file (mode 600) from `template`, which ends in XXXXXX: its descriptor and path.
    public static func file(_ template: String) -> (fd: Int32, path: String)? {
        var chars = Array(template.utf8CString)
        let fd = chars.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        return (fd, path(chars))
    }

    /// A new folder (mode 700) from `template`, which ends in XXXXXX.
    public static func folder(_ template: String) -> String? {
        var chars = Array(template.utf8CString)
        guard chars.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else { return nil }
        return path(chars)
    }

    private static func path(_ chars: [CChar]) -> String {
        String(decoding: chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Where temporary files go: $TMPDIR, or /tmp.
public enum FileProbe {
    public static var temporaryFolder: String { environment("TMPDIR") ?? "/tmp" }

    public static func environment(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        let s = String(cString: v)
        return s.isEmpty ? nil : s
    }

    /// Creates `path` and any missing parents (mkdir -p); an existing folder is fine.
    public static func makeFolder(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part + "/"
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw CareError(.cantCreate, "cannot create the folder \(prefix): \(String(cString: strerror(errno)))")
            }
        }
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw CareError(.cantCreate, "\(path) is not a folder")
        }
    }
}
