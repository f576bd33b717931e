import ProtoWire

/// The filters and page of a ListAnnotations call.
///
/// ```swift
/// let query = AnnotationQuery(inputIDs: ["{YOUR_INPUT_ID_1}", "{YOUR_INPUT_ID_2}"], perPage: 10)
/// ```
public struct AnnotationQuery: Sendable, Equatable {
    /// Annotation ids; Clarifai requires `inputIDs` alongside, pairwise.
    public var ids: [String]
    /// Only annotations of these inputs; empty for every input.
    public var inputIDs: [String]
    /// Only annotations created by these users; empty for any user.
    public var userIDs: [String]
    /// Only annotations created by these model versions (naming them lists model-created
    /// annotations without `listAllAnnotations`); empty for any.
    public var modelVersionIDs: [String]
    /// Only annotations with one of these statuses (`.annotationSuccess`, `.annotationPending`, …);
    /// empty for any status.
    public var statuses: [StatusCode]
    /// Include model-created annotations (false: only user-created ones).
    public var listAllAnnotations: Bool
    /// Only annotations made for this labeling task; empty for any task.
    public var taskID: String
    /// 1-based; 0 leaves it to the server (page 1).
    public var page: UInt32
    /// 0 leaves it to the server (20).
    public var perPage: UInt32

    /// A query; every filter is empty by default, so `AnnotationQuery()` lists the app's
    /// user-created annotations, first page, server-sized.
    public init(
        ids: [String] = [], inputIDs: [String] = [], userIDs: [String] = [], modelVersionIDs: [String] = [],
        statuses: [StatusCode] = [], listAllAnnotations: Bool = false, taskID: String = "",
        page: UInt32 = 0, perPage: UInt32 = 0
    ) {
        self.ids = ids
        self.inputIDs = inputIDs
        self.userIDs = userIDs
        self.modelVersionIDs = modelVersionIDs
        self.statuses = statuses
        self.listAllAnnotations = listAllAnnotations
        self.taskID = taskID
        self.page = page
        self.perPage = perPage
    }

    func request(_ userAppID: UserAppIDSet?) -> ListAnnotationsRequest {
        var request = ListAnnotationsRequest()
        request.userAppID = userAppID
        request.ids = ids
        request.inputIDs = inputIDs
        request.userIDs = userIDs
        request.modelVersionIDs = modelVersionIDs
        request.statuses = statuses.map { Status(code: $0) }
        request.listAllAnnotations = listAllAnnotations
        request.taskID = taskID
        request.page = page
        request.perPage = perPage
        return request
    }
}

/// Every annotation of a query, fetched one page at a time as the sequence is iterated.
public struct AnnotationPages: AsyncSequence, Sendable {
    public typealias Element = Annotation
    let client: AnnotationsClient
    let query: AnnotationQuery
    let timeout: Duration?

    /// Pages of 128 unless the query says otherwise: the fewest round trips the API allows.
    static let defaultPageSize: UInt32 = 128
    /// The largest page Clarifai (and the emulator) returns, whatever `per_page` asks for.
    static let serverMaxPageSize = 1000

    public struct AsyncIterator: AsyncIteratorProtocol {
        let client: AnnotationsClient
        var query: AnnotationQuery
        let timeout: Duration?
        var buffer: [Annotation] = []
        var index = 0
        var finished = false

        public mutating func next() async throws -> Annotation? {
            while index == buffer.count {
                guard !finished else { return nil }
                buffer = try await client.list(query, timeout: timeout)
                index = 0
                // A short page is the last one, and so is page 2^32-1: no later page can be asked
                // for. Short means shorter than the server's largest page when more was asked: a
                // page of 1000 for a per_page of 5000 is the server's cap, not the end.
                let fullPage = Swift.min(Int(query.perPage), AnnotationPages.serverMaxPageSize)
                finished = buffer.count < fullPage || query.page == UInt32.max
                if !finished { query.page += 1 }
            }
            defer { index += 1 }
            return buffer[index]
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        var query = query
        if query.page == 0 { query.page = 1 }
        if query.perPage == 0 { query.perPage = AnnotationPages.defaultPageSize }
        return AsyncIterator(client: client, query: query, timeout: timeout)
    }
}
