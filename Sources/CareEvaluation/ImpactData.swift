import CareCore
import CareModel
import CareRisk
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The people of an evaluation: each treated person at their index month, and for each index
/// month a seeded sample of the eligible people not treated before it, as candidate controls.
/// Read in two passes over the records: the first finds who was treated and when, the second
/// measures them and draws the controls.
public struct ImpactData: Sendable {
    /// One person at one index month.
    public struct Subject: Sendable {
        /// The person's line in the input: who they are, without their identifiers.
        public var line: Int
        public var month: Int
        public var treated: Bool
        public var features: [Double]
        /// The values of the exact-matching fields, joined.
        public var stratum: String
        public var outcomes: OutcomeWindows
        /// Age at the index, for describing unmatched people.
        public var age: Int
        var priority: Double
    }

    /// The first days of the index months, in order.
    public var months: [ISODate] = []
    public var treated: [Subject] = []
    public var candidates: [Subject] = []
    /// Why treated people are not in the evaluation (not eligible at their index, …): counts.
    public var treatedOut: [String: Int] = [:]
    /// People whose first intervention came before the period: neither treated nor controls.
    public var treatedBeforePeriod = 0
    /// Treated people found in the first pass.
    public var treatedFound = 0

    /// The first of `day`'s month.
    public static func monthStart(_ day: ISODate) -> ISODate { ISODate(year: day.year, month: day.month, day: 1) }

    /// Reads `input` twice: see the type's description. `pool` candidate controls are kept per
    /// treated person in each index month (at most; fewer when fewer are eligible).
    public static func read(_ input: () throws -> InputFile, design: ImpactDesign, threads: Int, diagnostics: Diagnostics) throws -> ImpactData {
        // Pass 1: who was treated, and in which month.
        struct Finder {
            var record: RecordScope
            var found: [(line: Int, month: ISODate)] = []
            var before = 0
        }
        var first = ParallelLines(workers: (0..<max(1, threads)).map { _ in Finder(record: RecordScope(asOf: design.to)) })
        let source = try input().name
        try first.run(LineReader(try input()), diagnostics: diagnostics, write: { _ in }) { worker, line, number, _, shard in
            shard.countRead(1)
            guard try worker.record.loadPerson(line, number: number, source: source, accounting: shard, reader: "impact-report") else { return 0 }
            if let d = design.intervention.firstDate(worker.record) {
                if d < design.from { worker.before += 1 } else if d <= design.to { worker.found.append((number, monthStart(d))) }
            }
            return 1
        }
        var data = ImpactData()
        var treatedMonth: [Int: ISODate] = [:]
        for w in first.workers { for f in w.found { treatedMonth[f.line] = f.month }; data.treatedBeforePeriod += w.before }
        data.treatedFound = treatedMonth.count
        guard !treatedMonth.isEmpty else {
            throw CareError(.dataError, "nobody's first \(design.intervention.text) falls in \(design.from) to \(design.to): nothing to evaluate")
        }
        data.months = Set(treatedMonth.values).sorted()
        let monthIndex = Dictionary(uniqueKeysWithValues: data.months.enumerated().map { ($1, $0) })
        var perMonth = [Int](repeating: 0, count: data.months.count)
        for m in treatedMonth.values { perMonth[monthIndex[m]!] += 1 }
        let capacity = perMonth.map { $0 * design.pool }

        // Pass 2: measure the treated; draw each month's candidates by a seeded priority (the
        // smallest `capacity` priorities among the eligible), so the sample is the same whatever
        // the number of threads.
        let treatedAt = treatedMonth
        let models = try ModelSet(ModelSet.parse("efi,hfrs,charlson"), codelists: design.codelists)
        struct Sampler {
            var scopes: [RecordScope]
            var reader: AdmissionFeatureReader
            var facts = PersonFacts()
            var treated: [Subject] = []
            var out: [String: Int] = [:]
            var pools: [[Subject]]
            var days = DayCounts()
        }
        let quiet = try Diagnostics(program: diagnostics.program, unit: "people", quiet: true)
        var second = ParallelLines(workers: (0..<max(1, threads)).map { _ in
            Sampler(scopes: data.months.map { RecordScope(asOf: $0, deprivation: design.deprivation) },
                    reader: AdmissionFeatureReader(models: models), pools: data.months.map { _ in [] })
        })
        let months = data.months
        try second.run(LineReader(try input()), diagnostics: quiet, write: { _ in }) { worker, line, number, _, _ in
            // Lines the first pass filtered or rejected (and counted) are passed over here.
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return 0 }
            guard (try? worker.facts.read(line, reading: .everything)) != nil, worker.facts.id != nil else { return 0 }
            worker.reader.countDays(of: worker.facts, into: &worker.days)
            let mine = treatedAt[number]
            // Read once here: the reader below may not borrow them from the worker it changes.
            let facts = worker.facts
            // A subject at month m, or why not.
            func subject(_ m: Int, treated: Bool, priority: Double) -> Result<Subject, Excluded> {
                let scope = worker.scopes[m]
                guard let r = try? worker.reader.read(line, record: scope, day: months[m], horizon: nil, given: facts) else {
                    return .failure(Excluded(reason: "unreadable record"))
                }
                guard case .success(let row) = r else { if case .failure(let why) = r { return .failure(Excluded(reason: why.rawValue)) }; return .failure(Excluded(reason: "?")) }
                if let e = design.eligibility, !e.holds(scope) { return .failure(Excluded(reason: "not eligible at the index (\(design.eligibilityText ?? ""))")) }
                // Always matched exactly: the band of emergency admissions in the year before (0, 1, 2,
                // 3 or more), the strongest predictor and the usual reason for being chosen.
                let recentBand = min(3, Int(row.features[AdmissionFeature.emergency0to6.position] + row.features[AdmissionFeature.emergency6to12.position]))
                let stratum = (["e\(recentBand)"] + design.exact.map { path in scope.value(path).description }).joined(separator: "|")
                let age = facts.birthDate.map { $0.age(on: months[m]) } ?? 0
                return .success(Subject(line: number, month: m, treated: treated, features: row.features, stratum: stratum,
                                        outcomes: OutcomeWindows.measure(facts, scope, index: months[m], window: design.window),
                                        age: age, priority: priority))
            }
            if let t = mine {
                switch subject(monthIndex[t]!, treated: true, priority: 0) {
                case .success(let s): worker.treated.append(s)
                case .failure(let why): worker.out[why.reason, default: 0] += 1
                }
            }
            for m in months.indices {
                // Not treated before the index: a person treated later may be a control now.
                if let t = mine, t <= months[m] { continue }
                // Weighted towards recent emergency use, as the people chosen for an intervention
                // usually are (Efraimidis and Spirakis: the smallest −ln(u)/w are kept).
                let monthDay = months[m].dayNumber, yearBefore = CareCore.Duration(months: 12).moving(months[m], sign: -1).dayNumber
                var recent = 0
                for a in facts.admissions where a.emergency { if let d = a.startDay, d >= yearBefore, d < monthDay { recent += 1 } }
                let priority = ImpactData.priority(design.seed, number, m, weight: ImpactData.sampleWeight(recentEmergencies: recent))
                var pool = worker.pools[m]
                worker.pools[m] = []
                if pool.count >= capacity[m], let worst = pool.last, priority >= worst.priority { worker.pools[m] = pool; continue }
                if case .success(let s) = subject(m, treated: false, priority: priority) {
                    let at = pool.firstIndex { $0.priority > priority } ?? pool.count
                    pool.insert(s, at: at)
                    if pool.count > capacity[m] { pool.removeLast() }
                }
                worker.pools[m] = pool
            }
            return 0
        }
        var days = DayCounts()
        for w in second.workers { for i in w.days.counts.indices { days.counts[i] += w.days.counts[i] } }
        // The after window of the last index month must be in the records.
        let lastEnd = design.window.moving(data.months.last!).dayNumber - 1
        guard let reach = days.reach, reach >= lastEnd else {
            throw CareError(.dataError, "the records end \(days.reach.map { ISODate(dayNumber: $0).description } ?? "with nothing dated"), before the after window of the last index month ends (\(ISODate(dayNumber: lastEnd))): end --to earlier, or shorten --window")
        }
        for w in second.workers {
            data.treated += w.treated
            for (k, v) in w.out { data.treatedOut[k, default: 0] += v }
        }
        data.treated.sort { $0.line < $1.line }
        for m in months.indices {
            let merged = second.workers.flatMap { $0.pools[m] }.sorted { $0.priority < $1.priority }.prefix(capacity[m])
            data.candidates += merged
        }
        guard !data.treated.isEmpty else {
            throw CareError(.dataError, "none of the \(data.treatedFound) treated people is eligible at their index: \(data.treatedOut.map { "\($0.key): \($0.value)" }.sorted().joined(separator: ", "))")
        }
        return data
    }

    /// Why a person is not a subject at a month.
    struct Excluded: Error { var reason: String }

    /// A candidate's sampling weight: 1, and 4 more for each emergency admission in the year
    /// before the index (at most 5). Sampling on measured features leaves matching valid: within
    /// the sample, who is treated still depends only on the features.
    public static func sampleWeight(recentEmergencies: Int) -> Double { 1 + 4 * Double(min(recentEmergencies, 5)) }

    /// A person's draw for a month: −ln(u)/weight, u a hash of the seed, their line and the month.
    static func priority(_ seed: UInt64, _ line: Int, _ month: Int, weight: Double) -> Double {
        var z = seed &+ UInt64(line) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(month) &* 0xD1B5_4A32_D192_ED03
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z = z ^ (z >> 31)
        let u = (Double(z >> 11) + 0.5) / 9_007_199_254_740_992
        return -log(u) / weight
    }
}
