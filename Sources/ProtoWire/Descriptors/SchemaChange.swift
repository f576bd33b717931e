/// One difference ``SchemaDiff`` found between two descriptor sets, and whether it breaks a
/// client built on the first.
///
/// ```swift
/// let change = SchemaChange(.fieldRenumbered, "clarifai.api.Annotation.input_id", from: "2", to: "12")
/// print(change)  // breaking    field renumbered     clarifai.api.Annotation.input_id: 2 → 12
/// ```
public struct SchemaChange: Sendable, Hashable, CustomStringConvertible {
    /// What changed. A raw value is the kind's name in `annotations wire diff --json`.
    public enum Kind: String, Sendable, CaseIterable {
        /// A message type of the first set is not in the second.
        case messageRemoved = "message_removed"
        /// A field of the first set is not in the second.
        case fieldRemoved = "field_removed"
        /// The same name at another number: old bytes decode into another field, or none.
        case fieldRenumbered = "field_renumbered"
        /// The same number with another type, label (repeated or not), presence or oneof.
        case fieldRetyped = "field_retyped"
        /// The same number and type under another `.proto` or JSON name: REST JSON changes.
        case fieldRenamed = "field_renamed"
        /// Clarifai's `cl_default_float` changed: what REST JSON without the field means.
        case fieldDefaultChanged = "field_default_changed"
        /// A field the first set does not have.
        case fieldAdded = "field_added"
        /// An official field of a message the first set declares in part or empty.
        case fieldNotMirrored = "field_not_mirrored"
        /// Clarifai's `cl_show_if_empty` or the packing of a repeated scalar changed: decoders
        /// read either form.
        case fieldEncodingChanged = "field_encoding_changed"
        /// An enum of the first set is not in the second.
        case enumRemoved = "enum_removed"
        /// An enum value of the first set is not in the second.
        case enumValueRemoved = "enum_value_removed"
        /// The same enum value name at another number: binary readers see another value.
        case enumValueRenumbered = "enum_value_renumbered"
        /// The same number under another name: JSON carries enum values by name.
        case enumValueRenamed = "enum_value_renamed"
        /// An enum value the first set does not have.
        case enumValueAdded = "enum_value_added"
        /// A method of the first set's services is not in the second.
        case methodRemoved = "method_removed"
        /// Another request or response type, or streaming.
        case methodRetyped = "method_retyped"
        /// The main REST binding (verb, path template or body) changed.
        case bindingChanged = "binding_changed"
        /// A REST binding of a method (an additional one) is not in the second set.
        case bindingRemoved = "binding_removed"
        /// A REST binding the first set does not have.
        case bindingAdded = "binding_added"

        /// Whether a client of the first set can stop working: it sends or reads something the
        /// second set gives another meaning, or no longer has.
        public var isBreaking: Bool {
            switch self {
            case .fieldAdded, .fieldNotMirrored, .fieldEncodingChanged, .enumValueAdded, .bindingAdded: false
            default: true
            }
        }

        /// `field renumbered`.
        public var title: String { rawValue.replacingUnderscores() }
    }

    /// What changed.
    public let kind: Kind
    /// The full name of what changed: a message, a field (`clarifai.api.Annotation.input_id`),
    /// an enum value (`clarifai.api.AnnotationDataType.TAG`) or a method (`clarifai.api.V2.ListAnnotations`).
    public let subject: String
    /// What it was in the first set, as text (a number, a type, a binding); empty for an addition.
    public let before: String
    /// What it is in the second set; empty for a removal.
    public let after: String

    /// A change of `kind` to `subject`, from `before` to `after` (as text).
    public init(_ kind: Kind, _ subject: String, from before: String = "", to after: String = "") {
        self.kind = kind
        self.subject = subject
        self.before = before
        self.after = after
    }

    /// Whether a client of the first set can stop working (see `Kind.isBreaking`).
    public var isBreaking: Bool { kind.isBreaking }

    /// `breaking    field renumbered     clarifai.api.Annotation.input_id: 2 → 12`.
    public var description: String {
        let severity = isBreaking ? "breaking  " : "compatible"
        let title = kind.title.padding(toLength: 22)
        switch (before.isEmpty, after.isEmpty) {
        case (false, false): return "\(severity)  \(title) \(subject): \(before) → \(after)"
        case (false, true): return "\(severity)  \(title) \(subject): \(before)"
        case (true, false): return "\(severity)  \(title) \(subject): \(after)"
        case (true, true): return "\(severity)  \(title) \(subject)"
        }
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String {
        String(map { $0 == "_" ? " " : $0 })
    }

    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
