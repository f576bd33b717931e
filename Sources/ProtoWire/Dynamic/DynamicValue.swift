/// One value of a ``DynamicMessage`` field. Which case a field holds follows its type: `int32`
/// for int32/sint32/sfixed32, `uint32` for uint32/fixed32, and likewise for 64 bits.
///
/// ```swift
/// if case .string(let id)? = message.values(of: "id").first { print(id) }
/// ```
public enum DynamicValue: Sendable {
    /// A `bool` field's value.
    case bool(Bool)
    /// An `int32`, `sint32` or `sfixed32` field's value.
    case int32(Int32)
    /// An `int64`, `sint64` or `sfixed64` field's value.
    case int64(Int64)
    /// A `uint32` or `fixed32` field's value.
    case uint32(UInt32)
    /// A `uint64` or `fixed64` field's value.
    case uint64(UInt64)
    /// A `float` field's value.
    case float(Float)
    /// A `double` field's value.
    case double(Double)
    /// A `string` field's value (valid UTF-8).
    case string(String)
    /// A `bytes` field's value.
    case bytes([UInt8])
    /// An enum value by number (open enums keep numbers they have no name for).
    case enumValue(Int32)
    /// A message field's value (also a `map` field's entry, as a message of the entry type).
    indirect case message(DynamicMessage)

    /// Whether this is the type's default (zero, empty; a float only when all its bits are zero,
    /// so -0.0 is written, as C++ and upb do). Messages are never defaults: they are present.
    var isDefault: Bool {
        switch self {
        case .bool(let value): !value
        case .int32(let value): value == 0
        case .int64(let value): value == 0
        case .uint32(let value): value == 0
        case .uint64(let value): value == 0
        case .float(let value): value.bitPattern == 0
        case .double(let value): value.bitPattern == 0
        case .string(let value): value.isEmpty
        case .bytes(let value): value.isEmpty
        case .enumValue(let value): value == 0
        case .message: false
        }
    }

    /// The default value of a scalar or enum field.
    static func defaultValue(of type: FieldDescriptorProto.ValueType) -> DynamicValue {
        switch type {
        case .bool: .bool(false)
        case .int32, .sint32, .sfixed32: .int32(0)
        case .int64, .sint64, .sfixed64: .int64(0)
        case .uint32, .fixed32: .uint32(0)
        case .uint64, .fixed64: .uint64(0)
        case .float: .float(0)
        case .double: .double(0)
        case .string: .string("")
        case .bytes: .bytes([])
        default: .enumValue(0)
        }
    }
}

extension DynamicValue: Equatable {
    /// Floats compare by bit pattern, so that a message holding NaN equals its own copy.
    public static func == (lhs: DynamicValue, rhs: DynamicValue) -> Bool {
        switch (lhs, rhs) {
        case (.bool(let a), .bool(let b)): a == b
        case (.int32(let a), .int32(let b)): a == b
        case (.int64(let a), .int64(let b)): a == b
        case (.uint32(let a), .uint32(let b)): a == b
        case (.uint64(let a), .uint64(let b)): a == b
        case (.float(let a), .float(let b)): a.bitPattern == b.bitPattern
        case (.double(let a), .double(let b)): a.bitPattern == b.bitPattern
        case (.string(let a), .string(let b)): a == b
        case (.bytes(let a), .bytes(let b)): a == b
        case (.enumValue(let a), .enumValue(let b)): a == b
        case (.message(let a), .message(let b)): a == b
        default: false
        }
    }
}
