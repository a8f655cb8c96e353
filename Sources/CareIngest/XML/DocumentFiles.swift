import CareCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The documents of a document source: the file itself, `-` (standard input), or a folder's
/// files with the given extensions (not hidden ones), sub-folders included, in name order so
/// runs are repeatable.
enum DocumentFiles {
    /// Each real file and folder is read once, however many links lead to it: a symbolic link
    /// loop (a folder linking to its parent) or two links to one file add nothing twice.
    struct Seen {
        var ids: Set<[UInt64]> = []
        mutating func first(_ st: stat) -> Bool { ids.insert([UInt64(st.st_dev), UInt64(st.st_ino)]).inserted }
    }

    static func list(_ path: String, extensions: [String]) throws -> [String] {
        var seen = Seen()
        return try list(path, extensions: extensions, depth: 0, seen: &seen)
    }

    static func list(_ path: String, extensions: [String], depth: Int, seen: inout Seen) throws -> [String] {
        if path == "-" { return [path] }
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw CareError(.noInput, "cannot open \(Mask.path(path)): \(String(cString: strerror(errno)))")
        }
        guard seen.first(st) else { return [] }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { return [path] }
        guard depth < 16 else { return [] }
        guard let dir = opendir(path) else {
            throw CareError(.noInput, "cannot open folder \(Mask.path(path)): \(String(cString: strerror(errno)))")
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard !name.hasPrefix(".") else { continue }
            names.append(name)
        }
        let folder = path.hasSuffix("/") ? path : path + "/"
        var files: [String] = []
        for name in names.sorted() {
            let full = folder + name
            var sub = stat()
            if stat(full, &sub) == 0, (sub.st_mode & S_IFMT) == S_IFDIR {
                files += try list(full, extensions: extensions, depth: depth + 1, seen: &seen)
            } else if extensions.contains(where: { name.lowercased().hasSuffix("." + $0) }), stat(full, &sub) != 0 || seen.first(sub) {
                files.append(full)
            }
        }
        return files
    }

    /// How a document is named in keys (`gp2gp:NAME`, `fhir:NAME:…`): its path within the
    /// source folder (so `a/x.xml` and `b/x.xml` stay apart), or its file name when the source
    /// is the file itself; `stdin` for `-`.
    static func name(of file: String, in source: String) -> String {
        if file == "-" { return "stdin" }
        var root = source
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        if file.hasPrefix(root + "/") { return String(file.dropFirst(root.count + 1)) }
        return file.split(separator: "/").last.map(String.init) ?? file
    }

    /// A name without its extension.
    static func dropExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex, !name[dot...].contains("/") else { return name }
        return String(name[..<dot])
    }

    /// The file's name without folder or extension ("standard input" for `-`).
    static func stem(_ path: String) -> String {
        if path == "-" { return "stdin" }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}
