/// Puts the official fields a partial message keeps as bytes back in field-number order.
///
/// A partial message (``User``, ``Model``, ``Workflow``) models some of the official fields and
/// keeps the others in `unknownFields`, together with fields that are unknown to the official
/// definitions too. Official implementations write every field they know in field-number order
/// and only the truly unknown ones at the end, so writing all kept bytes last would reorder the
/// message. To stay byte-identical with them, the encoder writes each kept official field among
/// the modelled ones by number (in the order the fields arrived within one number), and the
/// other kept bytes last, in the order they arrived. (Input the official encoders never write,
/// an official field number with another wire type or a nested message in non-canonical form,
/// keeps its content but may come back in another order or form than upb re-serializes it.)
///
/// Used by `encode(to:)` while writing back to front (see ``WireWriter``): before writing
/// modelled field *n*, call ``write(above:to:)`` with *n*; at the very end, with 0.
struct KeptFieldOrder: ~Copyable {
    private let bytes: [UInt8]
    /// Kept official fields, sorted by number, then by arrival.
    private var official: [(number: Int, range: Range<Int>)] = []
    /// Everything else, in arrival order.
    private var trailing: [Range<Int>] = []

    /// - Parameters:
    ///   - unknownFields: a message's kept bytes, as decoding appended them.
    ///   - isOfficial: whether a field number is declared by the official message.
    init(_ unknownFields: [UInt8], isOfficial: (Int) -> Bool) {
        bytes = unknownFields
        guard !unknownFields.isEmpty else { return }
        var official: [(number: Int, range: Range<Int>, arrival: Int)] = []
        var trailing: [Range<Int>] = []
        let parsed: Bool = unknownFields.withUnsafeBytes { buffer in
            var reader = WireReader(buffer)
            let base = reader.cursor
            var sink: [UInt8] = []
            do throws(WireError) {
                while !reader.isAtEnd {
                    let tag = try reader.readTag()
                    let start = reader.tagStart - base
                    sink.removeAll(keepingCapacity: true)
                    try reader.skipField(tag, appendingTo: &sink)
                    let range = start..<(reader.cursor - base)
                    if isOfficial(tag.number) {
                        official.append((tag.number, range, official.count))
                    } else {
                        trailing.append(range)
                    }
                }
                return true
            } catch {
                return false
            }
        }
        guard parsed else {
            // Bytes set by hand that are not fields: written back last, unchanged.
            self.trailing = [0..<unknownFields.count]
            return
        }
        official.sort { ($0.number, $0.arrival) < ($1.number, $1.arrival) }
        self.official = official.map { ($0.number, $0.range) }
        self.trailing = trailing
    }

    /// Writes the kept bytes that are not official fields: call first, they end up last.
    mutating func writeTrailing(to writer: inout WireWriter) {
        while let range = trailing.popLast() { write(range, to: &writer) }
    }

    /// Writes the kept official fields numbered above `number` that are not written yet.
    mutating func write(above number: Int, to writer: inout WireWriter) {
        while let last = official.last, last.number > number {
            write(last.range, to: &writer)
            official.removeLast()
        }
    }

    private func write(_ range: Range<Int>, to writer: inout WireWriter) {
        bytes.withUnsafeBytes { buffer in
            writer.writeRaw(UnsafeRawBufferPointer(rebasing: buffer[range]))
        }
    }
}
