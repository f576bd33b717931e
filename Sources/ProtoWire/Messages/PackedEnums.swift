// Packed repeated enums (proto3's default for `repeated SomeEnum`), for
// `PatchAnnotationsStatusRequest.status_codes`. These extend the wire reader and writer the way
// `readFloats`/`writePackedFloats` do; they live here because only the messages need them.

extension WireReader {
    /// A repeated enum, packed (one length-delimited run of varints) or not (one varint per
    /// element); decoders must accept both (protobuf encoding guide, "Packed Repeated Fields").
    /// A varint that runs past the end of its run is a truncated varint.
    mutating func readEnums(_ tag: FieldTag, appendingTo values: inout [Int32]) throws(WireError) {
        if tag.wireType == .varint {
            values.append(Int32(truncatingIfNeeded: try readVarint()))
            return
        }
        try expect(tag, .lengthDelimited)
        let length = try readLength()
        let outerEnd = end
        end = cursor + length
        defer { end = outerEnd }
        while cursor < end {
            // int32 semantics: negative values arrive sign-extended to 10 bytes.
            values.append(Int32(truncatingIfNeeded: try readVarint()))
        }
    }
}

extension WireWriter {
    /// A packed repeated enum: one length-delimited run of varints, nothing when empty.
    /// Negative values are sign-extended to 64 bits (10 bytes each), as for a singular enum.
    mutating func writePackedEnums(_ number: Int, _ values: [Int32]) {
        guard !values.isEmpty else { return }
        let end = count
        // Last element first: the writer builds the buffer back to front.
        var index = values.endIndex
        while index > values.startIndex {
            index -= 1
            writeVarint(UInt64(bitPattern: Int64(values[index])))
        }
        writeVarint(UInt64(count - end))
        writeTag(number, .lengthDelimited)
    }
}
