import FuzzMain
import CareCore

/// libFuzzer target: the expression language, parsed and checked (`make fuzz`). Any input must
/// give an expression or an error, never a trap, a hang or a stack overflow.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExpression(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    guard let e = try? Expression.parse(text) else { return 0 }
    _ = try? ExpressionChecker().checkCondition(e, text: text)
    _ = try? ExpressionChecker(extraNames: ["trigger", "steps"]).checkCondition(e, element: "encounters", text: text)
    return 0
}
