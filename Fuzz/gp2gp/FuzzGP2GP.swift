import FuzzMain
import CareCore
import CareIngest
import FuzzSupport

/// libFuzzer target: a GP2GP extract (HL7 v3 XML) read by ingest-gp's hardened reader.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGP2GP(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let folder = FuzzFiles.folder("gp2gp")
    FuzzFiles.write(folder + "/extract.xml", Array(UnsafeRawBufferPointer(start: start, count: count)))
    FuzzFiles.ingest(SourceSpec(preset: .gp2gp, path: folder + "/extract.xml"))
    return 0
}
