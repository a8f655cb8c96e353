/// Finding a byte string inside a record without parsing it: a quick "could this line hold X?"
/// before the work of reading X (an ICD-10 code among events, an MDT review among encounters).
public enum ByteSearch {
    @inline(__always)
    public static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
        guard haystack.count >= needle.utf8CodeUnitCount, let base = haystack.baseAddress else { return false }
        return systemMemmem(base, haystack.count, needle.utf8Start, needle.utf8CodeUnitCount) != nil
    }

    public static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        guard haystack.count >= needle.count, let base = haystack.baseAddress, let n = needle.baseAddress else { return false }
        return systemMemmem(base, haystack.count, n, needle.count) != nil
    }
}

/// The C library's `memmem` (glibc declares it only under _GNU_SOURCE, so Swift's Glibc module
/// does not show it; macOS's libc has it too).
@_silgen_name("memmem")
private func systemMemmem(_ haystack: UnsafeRawPointer, _ haystackLength: Int, _ needle: UnsafeRawPointer,
                          _ needleLength: Int) -> UnsafeMutableRawPointer?
