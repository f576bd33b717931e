/// A protobuf `map<string, V>` that remembers the order its entries arrived in.
///
/// Order does not matter for equality (maps are unordered), but keeping it makes a decoded
/// message re-encode to the very bytes it came from, which compatibility tests rely on.
///
/// ```swift
/// var map = ProtoMap<ImageInfo>()
/// map["small"] = ImageInfo(width: 64, height: 64)
/// ```
public struct ProtoMap<Value: Sendable & Equatable>: Sendable, Equatable, Sequence {
    /// One entry of the map: a key and its value.
    public struct Entry: Sendable, Equatable {
        /// The entry's key, unique in the map.
        public var key: String
        /// The entry's value.
        public var value: Value
    }

    /// The entries, in the order they were first added (or decoded).
    public private(set) var entries: [Entry] = []
    /// Key → position in `entries`, so that lookups stay O(1) on hostile input with many keys.
    private var positions: [String: Int] = [:]

    /// An empty map.
    public init() {}

    /// Whether the map has no entries.
    public var isEmpty: Bool { entries.isEmpty }
    /// How many entries the map has.
    public var count: Int { entries.count }

    /// The value for `key`, or nil; setting nil removes the entry, setting a new key appends one.
    public subscript(key: String) -> Value? {
        get { positions[key].map { entries[$0].value } }
        set {
            if let index = positions[key] {
                if let newValue {
                    entries[index].value = newValue
                } else {
                    entries.remove(at: index)
                    positions[key] = nil
                    for later in index..<entries.count { positions[entries[later].key] = later }
                }
            } else if let newValue {
                positions[key] = entries.count
                entries.append(Entry(key: key, value: newValue))
            }
        }
    }

    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }

    public static func == (lhs: ProtoMap, rhs: ProtoMap) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.entries.allSatisfy { rhs[$0.key] == $0.value }
    }
}

extension ProtoMap: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, Value)...) {
        for (key, value) in elements { self[key] = value }
    }
}

extension WireReader {
    /// One map entry: a nested message with the key as field 1 and the value as field 2.
    /// A repeated key replaces the earlier value, as protobuf requires.
    ///
    /// An entry holding fields other than key and value is kept whole among the message's
    /// unknown fields instead, as upb does, so that re-encoding loses nothing.
    public mutating func readMapEntry<V>(
        _ tag: FieldTag,
        into map: inout ProtoMap<V>,
        unknownFields: inout [UInt8],
        defaultValue: V,
        readValue: (FieldTag, inout WireReader) throws(WireError) -> V
    ) throws(WireError) {
        let entryStart = tagStart
        try expect(tag, .lengthDelimited)
        let length = try readLength()
        guard depthBudget > 0 else { throw WireError(.nestingTooDeep) }
        let outerEnd = end
        end = cursor + length
        depthBudget -= 1
        var key = ""
        var value = defaultValue
        var ignored: [UInt8] = []
        while cursor < end {
            let entryTag = try readTag()
            switch entryTag.number {
            case 1: key = try readString(entryTag)
            case 2: value = try readValue(entryTag, &self)
            default: try skipField(entryTag, appendingTo: &ignored)
            }
        }
        depthBudget += 1
        end = outerEnd
        if ignored.isEmpty {
            map[key] = value
        } else {
            unknownFields.append(contentsOf: UnsafeRawBufferPointer(start: entryStart, count: cursor - entryStart))
        }
    }
}

extension WireWriter {
    /// Writes every entry with both key and value, as C++ and upb do for map entries.
    public mutating func writeMap<V>(_ number: Int, _ map: ProtoMap<V>, writeValue: (V, inout WireWriter) -> Void) {
        // By index: iterating `entries.reversed()` copied each entry (see `writeMessages`).
        var index = map.entries.endIndex
        while index > map.entries.startIndex {
            index -= 1
            let end = count
            writeValue(map.entries[index].value, &self)
            writeStringAlways(1, map.entries[index].key)
            writeVarint(UInt64(count - end))
            writeTag(number, .lengthDelimited)
        }
    }
}
