import CareCore

/// Local names for the tables preset: which file holds a table, and what a column is called in
/// an extract that does not use the names of docs/formats.md. Read from a CSV file:
///
///     table,column,their_column
///     patients,date_of_birth,DOB
///     patients,nhs_number,NHS Number
///     apcs,,hes_apc_2025.csv          (no column: the file that holds the table)
///
/// Names are matched without regard to case. A mapped column replaces ours; unmapped columns
/// keep their usual names.
public struct TableMapping: Sendable, Equatable {
    /// table → file name within the folder.
    public private(set) var files: [String: String] = [:]
    /// table → (our column → their column), both lower-cased.
    public private(set) var columns: [String: [String: String]] = [:]

    public init() {}

    public init(path: String) throws {
        let reader = CSVReader(try InputFile(path: path))
        var header = true
        var problems: [String] = []
        try reader.read(record: { r in
            let fields = (0..<r.count).map { r.string($0) }
            if header {
                header = false
                guard fields.map({ $0.lowercased() }) == ["table", "column", "their_column"] else {
                    throw CareError(.dataError, "\(path):1: a mapping file starts with the header table,column,their_column")
                }
                return
            }
            guard fields.count == 3, !fields[0].isEmpty, !fields[2].isEmpty else {
                problems.append("\(path):\(r.line): expected table,column,their_column with a table and their name")
                return
            }
            let table = fields[0].lowercased()
            guard TablesPreset.tablePrefixes[table] != nil else {
                problems.append("\(path):\(r.line): unknown table '\(fields[0])' (tables: \(TablesPreset.tablePrefixes.keys.sorted().joined(separator: ", ")))")
                return
            }
            if fields[1].isEmpty {
                files[table] = fields[2]
            } else {
                columns[table, default: [:]][fields[1].lowercased()] = fields[2].lowercased()
            }
        }, problem: { p in problems.append("\(path):\(p.line): \(p.reason)") })
        if let first = problems.first {
            throw CareError(.dataError, first + (problems.count > 1 ? " (and \(problems.count - 1) more problems)" : ""))
        }
    }

    func aliases(for table: String) -> [String: String] { columns[table] ?? [:] }
}
