/// A request that breaks one of the API's rules, found before it is sent (the client), when it
/// arrives (the emulator) or when a line is read (`annotations import`): the same rule gives the
/// same text everywhere.
///
/// ```swift
/// if let violation = AnnotationRules.violation(in: annotation, at: "annotations[0]") {
///     print(violation)  // annotations[0].input_id: must not be empty
/// }
/// ```
public struct Violation: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field, as a path of `.proto` names, e.g.
    /// `annotations[3].data.regions[0].region_info.bounding_box.top_row`.
    public let path: String
    /// What is wrong with it, e.g. `1.5 is outside [0, 1]`.
    public let problem: String

    /// A violation at `path` (empty for the request as a whole) with its `problem`.
    public init(_ path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }

    /// `path: problem`, or the problem alone when it concerns the whole request.
    public var description: String { path.isEmpty ? problem : "\(path): \(problem)" }
}
