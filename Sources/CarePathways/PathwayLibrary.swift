import CareCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The pathways of a run: each `--pathways` file, or every `.yaml` of a folder, with the code
/// lists they may name (the folder's own `codelists/`, then the `--codelists` folders, which
/// replace a list of the same name).
public struct PathwayLibrary {
    public private(set) var definitions: [PathwayDefinition] = []
    /// Which `--codelists` lists replaced a pathway folder's own.
    public private(set) var notes: [String] = []

    public init(paths: [String], codelists: [String] = []) throws {
        var libraries: [String: CodeListLibrary] = [:]
        for f in try Self.files(paths) {
            let dir = Self.folder(of: f)
            if libraries[dir] == nil {
                var library = try CodeListLibrary.forPathways(in: dir)
                for c in codelists {
                    let replaced = try library.addFolder(c, replacing: true)
                    if !replaced.isEmpty { notes.append("--codelists \(c) replaces \(dir)/codelists for \(replaced.joined(separator: ", "))") }
                }
                libraries[dir] = library
            }
            definitions.append(try PathwayDefinition(path: f, codeLists: libraries[dir]!))
        }
        if let dup = Dictionary(grouping: definitions, by: \.id).first(where: { $0.value.count > 1 }) {
            throw CareError(.config, "pathway id '\(dup.key)' is defined twice (\(dup.value.map(\.file).joined(separator: ", ")))")
        }
    }

    static func folder(of file: String) -> String {
        let parts = file.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        return parts.isEmpty ? "." : parts.joined(separator: "/").isEmpty ? "/" : parts.joined(separator: "/")
    }

    /// The definition files: each file given, and the .yaml/.yml files of each folder, by name.
    static func files(_ paths: [String]) throws -> [String] {
        var out: [String] = []
        for p in paths {
            guard CodeListLibrary.isFolder(p) else {
                guard access(p, R_OK) == 0 else { throw CareError(.noInput, "cannot open \(p): \(String(cString: strerror(errno)))") }
                out.append(p)
                continue
            }
            guard let dir = opendir(p) else { throw CareError(.noInput, "cannot read the folder \(p)") }
            var names: [String] = []
            while let e = readdir(dir) {
                let name = withUnsafeBytes(of: e.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { names.append(name) }
            }
            closedir(dir)
            out += names.sorted().map { "\(p)/\($0)" }
        }
        return out
    }
}

extension CodeListLibrary {
    /// The lists in `folder`/codelists, where there is such a folder.
    public static func forPathways(in folder: String) throws -> CodeListLibrary {
        var library = CodeListLibrary()
        if isFolder(folder + "/codelists") { try library.addFolder(folder + "/codelists") }
        return library
    }
}
