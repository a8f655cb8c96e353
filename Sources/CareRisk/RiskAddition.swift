import CareCore

/// A score added to `risk` by a module above this one (the locally fitted admission model):
/// each worker thread has its own, given the line, what the published models found, and the day.
public protocol RiskAddition {
    /// `"key":{…}` for the person, or nil when it adds nothing.
    mutating func member(line: UnsafeBufferPointer<UInt8>, facts: PersonFacts, results: [ModelResult], asOf: ISODate) -> [UInt8]?
    /// Its CSV columns (`--format csv`), after the published models': names, each with a leading comma.
    var csvHeader: String { get }
    /// The person's CSV fields, each with a leading comma (empty fields when it adds nothing).
    mutating func csv(line: UnsafeBufferPointer<UInt8>, facts: PersonFacts, results: [ModelResult], asOf: ISODate) -> String
    /// Lines for `--explain` and `--format text`.
    mutating func text(line: UnsafeBufferPointer<UInt8>, facts: PersonFacts, results: [ModelResult], asOf: ISODate) -> String?
}
