internal import CNGHTTP2

/// Calls `body` with an `nghttp2_nv` array over the fields' bytes (nghttp2 copies them).
func withHeaderFields<R>(_ fields: [(String, String)], _ body: (UnsafeMutablePointer<nghttp2_nv>, Int) -> R) -> R {
    var storage: [UInt8] = []
    var ranges: [(Int, Int, Int, Int)] = []
    for (name, value) in fields {
        let nameStart = storage.count
        storage.append(contentsOf: name.utf8)
        let valueStart = storage.count
        storage.append(contentsOf: value.utf8)
        ranges.append((nameStart, valueStart - nameStart, valueStart, storage.count - valueStart))
    }
    storage.append(0)  // a non-empty buffer, so the base address exists
    return storage.withUnsafeMutableBufferPointer { bytes in
        var nva = ranges.map { range in
            nghttp2_nv(
                name: bytes.baseAddress! + range.0, value: bytes.baseAddress! + range.2,
                namelen: range.1, valuelen: range.3, flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)
            )
        }
        return nva.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
    }
}
