import FuzzMain
import CareCore
import CareIngest
import FuzzSupport

/// libFuzzer target: a tables-preset extract (patients.csv and clinical_events.csv from the one
/// input, split at its first NUL byte) read by ingest-gp's libcsv reader, grouped and assembled.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    let split = bytes.firstIndex(of: 0) ?? bytes.count
    let folder = FuzzFiles.folder("csv")
    FuzzFiles.write(folder + "/patients.csv", Array(bytes[..<split]))
    FuzzFiles.write(folder + "/clinical_events.csv", split < bytes.count ? Array(bytes[(split + 1)...]) : [])
    FuzzFiles.ingest(SourceSpec(preset: .tables, path: folder))
    return 0
}
