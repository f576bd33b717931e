/// How a ``DynamicMessage`` is written as and read from proto3 JSON.
///
/// The defaults are `json_format.MessageToJson`'s (lowerCamelCase names), plus Clarifai's field
/// options when the descriptor set carries them; ``plain`` is `json_format` exactly.
///
/// ```swift
/// let rest = DynamicJSONOptions(preservesProtoFieldNames: true)  // Clarifai's REST shape
/// print(try message.jsonString(options: rest))
/// ```
public struct DynamicJSONOptions: Sendable, Equatable {
    /// `.proto` names (`input_id`, as Clarifai's REST API and the typed messages write) instead
    /// of JSON names (`inputId`). Reading accepts both either way.
    public var preservesProtoFieldNames: Bool
    /// Honour `cl_show_if_empty` (written even when zero or empty) and `cl_default_float` (the
    /// value of a field JSON leaves out), as the typed messages do.
    public var honoursClarifaiOptions: Bool

    /// Options as given; the defaults are JSON names and Clarifai's field options honoured.
    public init(preservesProtoFieldNames: Bool = false, honoursClarifaiOptions: Bool = true) {
        self.preservesProtoFieldNames = preservesProtoFieldNames
        self.honoursClarifaiOptions = honoursClarifaiOptions
    }

    /// `google.protobuf.json_format` with its defaults: JSON names, no Clarifai options.
    public static let plain = DynamicJSONOptions(honoursClarifaiOptions: false)
}
