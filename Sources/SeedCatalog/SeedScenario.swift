import ProtoWire

/// One request of the Clarifai documentation pages in `shared/seeds/`, built with the Swift types.
public struct SeedScenario: Sendable {
    /// What the documentation calls it, e.g. "Annotate images with concepts".
    public let title: String
    /// Where it comes from: the seed file and its section heading.
    public let source: String
    /// The V2 method, e.g. `PostAnnotations`.
    public let method: String
    /// The request message, as the documentation's samples build it (the `.proto` wins over typos).
    public let request: any ProtoMessage

    public init(title: String, source: String, method: String, request: any ProtoMessage) {
        self.title = title
        self.source = source
        self.method = method
        self.request = request
    }
}
