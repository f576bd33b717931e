/// `clarifai.api.status.StatusCode`: Clarifai's own status codes, e.g. 10000 SUCCESS,
/// 24150 ANNOTATION_SUCCESS.
///
/// An open set: a code this package has no name for keeps its raw value, so a newer
/// server's codes survive decoding. Every official name is a static constant.
///
/// ```swift
/// if response.status?.code == .success { … }
/// ```
public struct StatusCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// The official name, e.g. `ANNOTATION_PENDING`, or nil for a code unknown to this package.
    public var name: String? { StatusCode.nameByValue[rawValue] }

    /// The code with this official name.
    public init?(name: String) {
        guard let value = StatusCode.valueByName[name] else { return nil }
        self.init(rawValue: value)
    }

    public var description: String {
        name.map { "\($0) (\(rawValue))" } ?? "\(rawValue)"
    }

    /// First name wins where the enum has aliases.
    private static let nameByValue: [Int32: String] = {
        var table: [Int32: String] = [:]
        for entry in officialNames where table[entry.rawValue] == nil { table[entry.rawValue] = entry.name }
        return table
    }()

    private static let valueByName: [String: Int32] = {
        var table: [String: Int32] = [:]
        for entry in officialNames { table[entry.name] = entry.rawValue }
        return table
    }()
}
