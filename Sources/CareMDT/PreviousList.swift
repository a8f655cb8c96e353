import CareCore

/// Last night's list (`--previous FILE`, the JSON Lines this program wrote), to mark tonight's
/// entries `new` or `continuing` and to say why the others left.
public struct PreviousList: Sendable {
    /// id → the group it was listed in.
    public var groups: [String: String] = [:]
    /// id → NHS number, where the list showed one.
    public var nhsNumbers: [String: String] = [:]

    public init() {}

    public init(path: String) throws {
        let reader = LineReader(try InputFile(path: path))
        try reader.forEachLine { line, number in
            if line.allSatisfy({ $0 == 0x20 }) { return }
            let v: JSONValue
            do { v = try JSONValue(parsing: line) } catch {
                throw CareError(.dataError, "\(path):\(number): not a list line: \(error)")
            }
            // Lines of people who had already left are not part of that list.
            if v["status"]?.stringValue == "left" { return }
            guard let id = v["id"]?.stringValue, let group = v["group"]?.stringValue else {
                throw CareError(.dataError, "\(path):\(number): a list line needs id and group (is this an mdt-list JSON Lines file?)")
            }
            groups[id] = group
            if let n = v["nhs_number"]?.stringValue { nhsNumbers[id] = n }
        }
    }
}
