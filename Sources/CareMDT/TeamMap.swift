import CareCore

/// Practice → MDT team (and the meeting's name), for teams that span practices:
/// a CSV with columns practice, team and optionally meeting and practice_name.
public struct TeamMap: Sendable {
    public var teams: [String: String] = [:]
    public var meetings: [String: String] = [:]
    /// Practice code → the practice's name, where the file gives one.
    public var practiceNames: [String: String] = [:]

    public init() {}

    public init(path: String) throws {
        let t = try CSVTable(path: path)
        let practices = try t.requiredValues("practice"), teams = try t.requiredValues("team")
        let meetings = t.header.contains("meeting") ? try t.values("meeting") : []
        let names = t.header.contains("practice_name") ? try t.values("practice_name") : []
        for i in practices.indices {
            guard !practices[i].isEmpty, !teams[i].isEmpty else {
                throw CareError(.dataError, "\(path):\(t.rows[i].line): practice and team must both be given")
            }
            self.teams[practices[i]] = teams[i]
            if i < meetings.count, !meetings[i].isEmpty { self.meetings[teams[i]] = meetings[i] }
            if i < names.count, !names[i].isEmpty { practiceNames[practices[i]] = names[i] }
        }
    }
}
