/// Stores an optional message field on the heap.
///
/// `Data` holds `Region`s that hold `Data` again; storing such fields inline would make the
/// types infinitely large, and storing big rarely-set messages inline would make every
/// array element huge. One allocation per present value is what C++ pays for every
/// submessage. The box is copied on write, so the enclosing struct keeps value semantics.
@propertyWrapper
public struct Indirect<Wrapped: Sendable & Equatable>: Sendable, Equatable {
    private final class Box: @unchecked Sendable {
        // Mutated only through `wrappedValue`'s setter after a uniqueness check.
        var value: Wrapped
        init(_ value: Wrapped) { self.value = value }
    }

    private var box: Box?

    public init(wrappedValue: Wrapped?) {
        box = wrappedValue.map(Box.init)
    }

    public var wrappedValue: Wrapped? {
        get { box?.value }
        set {
            guard let newValue else {
                box = nil
                return
            }
            if box != nil && isKnownUniquelyReferenced(&box!) {
                box!.value = newValue
            } else {
                box = Box(newValue)
            }
        }
    }

    public static func == (lhs: Indirect, rhs: Indirect) -> Bool {
        if lhs.box === rhs.box { return true }
        return lhs.box?.value == rhs.box?.value
    }
}

/// The encoded bytes of a message type this package does not model (e.g. `Geo`).
///
/// It round-trips through binary decode and encode unchanged. The JSON mapping omits it,
/// since its fields are unknown here.
public struct RawMessage: Sendable, Equatable {
    /// The message's own wire bytes, without tag or length prefix.
    public var bytes: [UInt8]

    public init(bytes: [UInt8] = []) {
        self.bytes = bytes
    }
}

extension WireReader {
    public mutating func readRawMessage(_ tag: FieldTag) throws(WireError) -> RawMessage {
        RawMessage(bytes: try readBytes(tag))
    }
}

extension WireWriter {
    public mutating func writeRawMessage(_ number: Int, _ message: RawMessage?) {
        guard let message else { return }
        message.bytes.withUnsafeBytes { writeRaw($0) }
        writeVarint(UInt64(message.bytes.count))
        writeTag(number, .lengthDelimited)
    }

    public mutating func writeRawMessages(_ number: Int, _ messages: [RawMessage]) {
        for message in messages.reversed() { writeRawMessage(number, message) }
    }
}
