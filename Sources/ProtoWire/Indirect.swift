/// Stores an optional message field on the heap.
///
/// For big messages that are rarely set (`Data.image`, `Frame.data`): inline, they would make
/// every enclosing value, and every array element, huge to initialise, copy and destroy.
/// (Recursion needs no box: `Data` holds its `Region`s in an array, which is already on the
/// heap.) One allocation per present value is what C++ pays for every submessage. The box is
/// copied on write, so the enclosing struct keeps value semantics.
@propertyWrapper
public struct Indirect<Wrapped: Sendable & Equatable>: Sendable, Equatable {
    @usableFromInline
    final class Box: Sendable {
        // Immutable, so that the encoder can read it in place: the optimizer copies a value
        // read from a mutable class property before lending it out. A new value gets a new box.
        @usableFromInline let value: Wrapped
        @usableFromInline init(_ value: Wrapped) { self.value = value }
    }

    @usableFromInline var box: Box?

    /// Boxes `wrappedValue`, or holds no box when it is nil.
    public init(wrappedValue: Wrapped?) {
        box = wrappedValue.map(Box.init)
    }

    /// The field's value; setting it allocates a new box (nil frees it).
    public var wrappedValue: Wrapped? {
        get { box?.value }
        set { box = newValue.map(Box.init) }
    }

    public static func == (lhs: Indirect, rhs: Indirect) -> Bool {
        if lhs.box === rhs.box { return true }
        return lhs.box?.value == rhs.box?.value
    }
}

// The codec reaches the boxed value through the `_field` storage of an `@Indirect` field,
// rather than through `wrappedValue`, which copies the whole value out of its box.
extension Indirect {
    /// Lets `body` fill the value (`makeDefault()` if there is none), then boxes the result.
    /// When `body` throws, the field is left empty.
    @inlinable
    mutating func withMutableValue<E: Error>(
        default makeDefault: () -> Wrapped, _ body: (inout Wrapped) throws(E) -> Void
    ) throws(E) {
        var value = take(default: makeDefault)
        try body(&value)
        box = Box(value)
    }

    /// Moves the value out (`makeDefault()` if there is none) and empties the field: with the
    /// box gone, the value holds the only references to what it contains (when the field did),
    /// so changing it does not copy. Assign it back when done.
    @inlinable
    mutating func take(default makeDefault: () -> Wrapped) -> Wrapped {
        let value = box?.value ?? makeDefault()
        box = nil
        return value
    }

    /// Lends the value, if any, to `body` without copying it out of the box.
    @inlinable
    func withValue(_ body: (Wrapped) -> Void) {
        // `box!` rather than `if let box`, which retained and released the box.
        if box != nil { body(box!.value) }
    }
}

/// The encoded bytes of a message type this package does not model (e.g. `Geo`).
///
/// It round-trips through binary decode and encode unchanged. The JSON mapping omits it,
/// since its fields are unknown here.
public struct RawMessage: Sendable, Equatable {
    /// The message's own wire bytes, without tag or length prefix.
    public var bytes: [UInt8]

    /// The message whose wire bytes (without tag and length prefix) are `bytes`.
    public init(bytes: [UInt8] = []) {
        self.bytes = bytes
    }
}

extension WireReader {
    /// Reads a length-delimited field as a message kept as bytes; throws when `tag` is not
    /// length-delimited or the length exceeds the input.
    public mutating func readRawMessage(_ tag: FieldTag) throws(WireError) -> RawMessage {
        RawMessage(bytes: try readBytes(tag))
    }
}

extension WireWriter {
    // Inlined: almost always absent or empty, so the check is all there is to do, and a call
    // per field cost more than it.
    /// Writes `message` as length-delimited field `number`; writes nothing when it is nil.
    @inline(__always)
    public mutating func writeRawMessage(_ number: Int, _ message: RawMessage?) {
        guard let message else { return }
        writeRawMessageAlways(number, message)
    }

    /// Writes each message as length-delimited field `number`, in order; nothing when `messages` is empty.
    @inline(__always)
    public mutating func writeRawMessages(_ number: Int, _ messages: [RawMessage]) {
        guard !messages.isEmpty else { return }
        // By index: iterating `messages.reversed()` copied each element (see `writeMessages`).
        var index = messages.endIndex
        while index > messages.startIndex {
            index -= 1
            writeRawMessageAlways(number, messages[index])
        }
    }

    mutating func writeRawMessageAlways(_ number: Int, _ message: RawMessage) {
        message.bytes.withUnsafeBytes { writeRaw($0) }
        writeVarint(UInt64(message.bytes.count))
        writeTag(number, .lengthDelimited)
    }
}
