import FuzzMain
import CarePathways

/// libFuzzer target: a pathway definition (YAML), loaded and checked.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPathway(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count <= 1 << 16 else { return 0 }
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    _ = try? PathwayDefinition(yaml: text, file: "fuzz.yaml")
    return 0
}
