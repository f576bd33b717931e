/// A path of a `google.api.http` binding: literal segments and `{field.path}` variables, as in
/// `/v2/users/{user_app_id.user_id}/apps/{user_app_id.app_id}/inputs/{input_id}/annotations`.
///
/// ```swift
/// let template = PathTemplate("/v2/inputs/{input_id}/annotations/{annotation_id}")
/// template.match(["v2", "inputs", "in-1", "annotations", "a-1"])  // ["input_id": "in-1", "annotation_id": "a-1"]
/// template.expand { $0 == "input_id" ? "in/1" : "a-1" }           // "/v2/inputs/in%2F1/annotations/a-1"
/// ```
public struct PathTemplate: Sendable, Equatable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case variable(String)
    }

    let segments: [Segment]
    /// The template's text, as given (`/v2/inputs/{input_id}/annotations`).
    public let description: String

    /// Parses `text`: segments between `/`, each a literal or a whole-segment `{variable}`.
    /// Nothing is checked; an empty segment is dropped.
    public init(_ text: String) {
        description = text
        segments = text.split(separator: "/").map { part in
            part.hasPrefix("{") && part.hasSuffix("}")
                ? .variable(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
    }

    /// The field paths the template binds, in order.
    public var variables: [String] {
        segments.compactMap { if case .variable(let name) = $0 { name } else { nil } }
    }

    /// The variables' values when `segments` (a path split at `/`, percent-decoded) fits.
    public func match(_ path: [String]) -> [String: String]? {
        guard path.count == segments.count else { return nil }
        var values: [String: String] = [:]
        for (segment, part) in zip(segments, path) {
            switch segment {
            case .literal(let literal): guard literal == part else { return nil }
            case .variable(let name): values[name] = part
            }
        }
        return values
    }

    /// The path with every variable replaced by its percent-encoded value, or nil when one of
    /// them is empty (an empty segment would change the route).
    public func expand(_ value: (String) -> String) -> String? {
        var path = ""
        for segment in segments {
            switch segment {
            case .literal(let literal):
                path += "/" + literal
            case .variable(let name):
                let text = value(name)
                guard !text.isEmpty else { return nil }
                path += "/" + PercentEncoding.escaped(text)
            }
        }
        return path
    }
}
