import FuzzMain
import CareCore
import CareIngest
import FuzzSupport

/// libFuzzer target: a FHIR document, read by ingest-gp as JSON (a resource or a Bundle), as
/// NDJSON and as XML, each grouped and assembled.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFHIR(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    let folder = FuzzFiles.folder("fhir")
    for name in ["doc.json", "doc.ndjson", "doc.xml"] {
        let path = folder + "/" + name
        FuzzFiles.write(path, bytes)
        FuzzFiles.ingest(SourceSpec(preset: .fhir, path: path))
    }
    return 0
}
