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

    /// A new file with no name on disk, in `folder`, open for reading and writing (mode 600):
    /// what is written to it (patients' rows) can never be left behind, whatever ends the
    /// process. On Linux, O_TMPFILE: the file never has a name, not even for SIGKILL or a power
    /// cut. Where the file system lacks it: a private folder and a file in it, both unlinked at
    /// once, with stop signals held back meanwhile. Throws the reason, naming `folder`, and
    /// `hint`: how to choose another folder.
    public static func unnamedFile(in folder: String, hint: String) throws -> Int32 {
        #if os(Linux)
        let fd = open(folder, unnamedFileFlag | O_RDWR | O_CLOEXEC, 0o600)
        if fd >= 0 { return fd }
        // EISDIR: a kernel before 3.11; EOPNOTSUPP or EINVAL: a file system without it.
        guard errno == EISDIR || errno == EOPNOTSUPP || errno == EINVAL else { throw cannotCreate(in: folder, hint: hint) }
        #endif
        return try unlinkedFile(in: folder, hint: hint)
    }

    /// The way without O_TMPFILE (internal for its test).
    static func unlinkedFile(in folder: String, hint: String) throws -> Int32 {
        try TemporaryFiles.creating {
            guard let made = Self.folder("\(folder)/joinedup-sort.XXXXXX") else { throw cannotCreate(in: folder, hint: hint) }
            let fd = open(made + "/runs", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            let failure = cannotCreate(in: folder, hint: hint)
            unlink(made + "/runs")
            rmdir(made)
            guard fd >= 0 else { throw failure }
            return fd
        }
    }

    #if os(Linux)
    /// O_TMPFILE, which Swift does not import: __O_TMPFILE (the same on x86-64 and arm64) with
    /// O_DIRECTORY (which differs between them).
    private static let unnamedFileFlag: Int32 = 0o20000000 | O_DIRECTORY
    #endif

    private static func cannotCreate(in folder: String, hint: String) -> CareError {
        CareError(.cantCreate, "cannot create a temporary file in \(folder): \(String(cString: strerror(errno))) (\(hint))")
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
