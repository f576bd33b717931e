/// A message of `google/protobuf/descriptor.proto`, decoded by hand like the Clarifai messages.
///
/// Descriptors are read, never written or converted to JSON by this package, so they do not
/// conform to ``ProtoMessage``; they decode with the same ``WireReader``, keep the fields they do
/// not model in `unknownFields`, and name the field of a failure in the error path.
protocol DescriptorMessage: Sendable, Equatable {
    /// The message's short name (`FieldDescriptorProto`), the root of error paths.
    static var shortName: String { get }
    init()
    static func fieldName(_ number: Int) -> String?
    mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError)
}

extension DescriptorMessage {
    /// Decodes a descriptor from its wire bytes; errors carry the field path.
    init(descriptorBytes bytes: [UInt8]) throws(WireError) {
        self.init()
        let outcome: Result<Self, WireError> = bytes.withUnsafeBytes { buffer in
            var reader = WireReader(buffer)
            var message = Self()
            do throws(WireError) {
                try reader.decodeDescriptorFields(of: &message)
                return .success(message)
            } catch {
                return .failure(error.prepending(Self.shortName))
            }
        }
        self = try outcome.get()
    }
}

extension WireReader {
    /// Runs `body` on the next `length` bytes as a nested message, within the depth limit.
    mutating func nested<R>(length: Int, _ body: (inout WireReader) throws(WireError) -> R) throws(WireError) -> R {
        guard depthBudget > 0 else { throw WireError(.nestingTooDeep) }
        depthBudget -= 1
        defer { depthBudget += 1 }
        return try within(length: length, body)
    }

    /// Runs `body` on the next `length` bytes (a packed run): no nesting, so no depth spent.
    mutating func within<R>(length: Int, _ body: (inout WireReader) throws(WireError) -> R) throws(WireError) -> R {
        let outerEnd = end
        end = cursor + length
        let result = try body(&self)
        end = outerEnd
        return result
    }

    mutating func decodeDescriptorFields<M: DescriptorMessage>(of message: inout M) throws(WireError) {
        while cursor < end {
            let tag = try readTag()
            do {
                try message.decodeField(tag, from: &self)
            } catch {
                throw error.prepending(M.fieldName(tag.number) ?? "#\(tag.number)")
            }
        }
    }

    /// A singular descriptor field; a second occurrence merges into the first.
    mutating func readDescriptor<M: DescriptorMessage>(_ tag: FieldTag, into message: inout M?) throws(WireError) {
        try expect(tag, .lengthDelimited)
        let length = try readLength()
        var value = message ?? M()
        try nested(length: length) { (reader) throws(WireError) in try reader.decodeDescriptorFields(of: &value) }
        message = value
    }

    /// One element of a repeated descriptor field; errors name the element's index.
    mutating func readDescriptor<M: DescriptorMessage>(_ tag: FieldTag, appendingTo messages: inout [M])
        throws(WireError)
    {
        var element: M?
        do {
            try readDescriptor(tag, into: &element)
        } catch {
            throw error.prepending("[\(messages.count)]")
        }
        messages.append(element ?? M())
    }
}
