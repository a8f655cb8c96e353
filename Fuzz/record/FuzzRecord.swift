import FuzzMain
import CareCore

/// libFuzzer target: one person record (a JSON line) as every program reads it: the record
/// scope with full validation, the person model, and a checked expression evaluated on it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecord(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let line = UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: count)
    let scope = RecordScope(asOf: ISODate(year: 2026, month: 4, day: 1))
    if (try? scope.load(line, validate: true)) != nil {
        // Made anew each time: a lazily made static would look like a leak of the first input.
        let text = #"age >= 65 and risk.efi.category >= mild or count(encounters where kind = "admission" in last 365d) > 1"#
        if let condition = try? ExpressionChecker().checkCondition(try Expression.parse(text), text: text) {
            _ = condition.holds(scope)
        }
        _ = try? Person(jsonLine: line)
    }
    _ = try? JSONValue(parsing: line)
    return 0
}
