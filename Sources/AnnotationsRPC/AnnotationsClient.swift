import ClarifaiV2
import H2Transport
import ProtoWire
import Synchronization

/// Clarifai's annotation calls over gRPC or REST, typed, with deadlines, retries and validation.
///
/// One client holds one multiplexed HTTP/2 connection, or a pool of them
/// (`ConnectionConfiguration.maxConnections`; for REST over HTTP/1.1, a pool of keep-alive
/// connections), and is safe to share between tasks.
///
/// ```swift
/// var configuration = ClientConfiguration()
/// configuration.userAppID = UserAppIDSet(userID: "{YOUR_USER_ID}", appID: "{YOUR_APP_ID}")
/// let client = try AnnotationsClient(configuration: configuration)
/// let posted = try await client.post([Annotation(inputID: "{YOUR_INPUT_ID}", concepts: ["tree": 1, "water": 0])])
/// for try await annotation in client.listAll() { print(annotation.id) }
/// ```
public final class AnnotationsClient: Sendable {
    /// The configuration the client was made with. It holds the key: do not print or log it.
    public let configuration: ClientConfiguration
    private let wire: Wire
    private let metadata: [HeaderField]
    private let rateLimiter: RateLimiter?

    private enum Wire: Sendable {
        case grpc(GRPCChannel)
        /// REST JSON over HTTP/2 or HTTP/1.1.
        case rest(any HTTPRequestChannel)
    }

    /// A client for `configuration`. Nothing connects yet: the first call opens the connection,
    /// and connection failures surface from the calls.
    ///
    /// Throws `TransportError` (`.invalidEndpoint`) when `configuration.endpoint` is not a usable
    /// `https://` or `h2c://` URL. A key that cannot be sent (a control or non-ASCII character)
    /// does not throw here: every call then throws a `ValidationError` before sending anything.
    ///
    /// ```swift
    /// let client = try AnnotationsClient()   // https://api.clarifai.com, key from CLARIFAI_PAT
    /// ```
    public init(configuration: ClientConfiguration = ClientConfiguration()) throws(TransportError) {
        self.configuration = configuration
        var connection = configuration.connection
        connection.tls = configuration.tls
        if let observer = configuration.observer {
            let handler = connection.eventHandler
            connection.eventHandler = { event in
                handler?(event)
                observer.observe(.connection(event))
            }
        }
        rateLimiter = configuration.rateLimit.map(RateLimiter.init)
        let endpoint = try Endpoint(configuration.endpoint)
        var metadata = configuration.metadata
        if let key = configuration.key { metadata.insert(HeaderField("authorization", "Key \(key)"), at: 0) }
        switch configuration.transport {
        case .grpc:
            wire = .grpc(GRPCChannel(endpoint: endpoint, configuration: connection))
        case .rest:
            wire = .rest(HTTP2Channel(endpoint: endpoint, configuration: connection))
        case .restHTTP1:
            wire = .rest(HTTP1Channel(endpoint: endpoint, configuration: connection))
        }
        if configuration.transport != .grpc {
            metadata.append(HeaderField("accept", "application/json"))
            // gRPC and REST over HTTP/1.1 send one of their own (GRPCChannel, HTTP1Message); REST
            // over HTTP/2 sends this one, so that servers see the same client on every wire.
            if !metadata.contains(where: { $0.name.lowercased() == "user-agent" }) {
                metadata.append(HeaderField("user-agent", connection.userAgent))
            }
        }
        self.metadata = metadata
        keyProblem = configuration.key.flatMap(AnnotationsClient.problem(inKey:))
    }

    /// Why the key cannot be sent, if it cannot: thrown by every call, before anything is sent.
    private let keyProblem: ValidationError?

    /// A CR or LF would end the `authorization` header (HTTP/1.1 would drop it, HTTP/2 refuse
    /// the stream), and gRPC metadata values are printable ASCII: such a key is never sent. The
    /// message does not quote the key.
    static func problem(inKey key: String) -> ValidationError? {
        guard key.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7f }) else {
            return ValidationError("key", "must be printable ASCII: it holds a control character or a non-ASCII one")
        }
        return nil
    }

    /// Closes the connection; calls in flight fail.
    public func close() {
        switch wire {
        case .grpc(let channel): channel.close()
        case .rest(let channel): channel.close()
        }
    }

    // MARK: Post

    /// Adds 1…128 annotations (PostAnnotations) and returns them as stored, with ids, status
    /// and timestamps. Annotations without an id get one here, before the first attempt, so
    /// that a retried call can never create a duplicate.
    public func post(_ annotations: [Annotation], timeout: Duration? = nil) async throws -> [Annotation] {
        var request = PostAnnotationsRequest()
        request.userAppID = configuration.userAppID
        request.annotations = annotations.map { annotation in
            var annotation = annotation
            if annotation.id.isEmpty { annotation.id = AnnotationID.make() }
            return annotation
        }
        do {
            let response = try await call(V2.postAnnotations, request, timeout: timeout)
            return response.annotations
        } catch let error as ClarifaiStatusError where error.isAlreadyExists && error.afterRetry {
            // An earlier attempt got through before its answer was lost: those are ours.
            return try await list(
                AnnotationQuery(
                    ids: request.annotations.map(\.id), inputIDs: request.annotations.map(\.inputID),
                    perPage: UInt32(request.annotations.count)
                ), timeout: timeout)
        }
    }

    // MARK: List and get

    /// One page of annotations (ListAnnotations), oldest first.
    public func list(_ query: AnnotationQuery = AnnotationQuery(), timeout: Duration? = nil) async throws
        -> [Annotation]
    {
        try await call(V2.listAnnotations, query.request(configuration.userAppID), timeout: timeout).annotations
    }

    /// Every annotation the query matches, page after page.
    ///
    /// ```swift
    /// for try await annotation in client.listAll(AnnotationQuery(listAllAnnotations: true)) { … }
    /// ```
    public func listAll(_ query: AnnotationQuery = AnnotationQuery(), timeout: Duration? = nil) -> AnnotationPages {
        AnnotationPages(client: self, query: query, timeout: timeout)
    }

    /// One annotation of one input (GetAnnotation).
    public func get(inputID: String, annotationID: String, timeout: Duration? = nil) async throws -> Annotation {
        var request = GetAnnotationRequest()
        request.userAppID = configuration.userAppID
        request.inputID = inputID
        request.annotationID = annotationID
        return try await call(V2.getAnnotation, request, timeout: timeout).annotation ?? Annotation()
    }

    // MARK: Patch

    /// Changes 1…128 annotations, identified by `id` and `input_id` (PatchAnnotations).
    public func patch(_ annotations: [Annotation], action: PatchAction, timeout: Duration? = nil) async throws
        -> [Annotation]
    {
        var request = PatchAnnotationsRequest()
        request.userAppID = configuration.userAppID
        request.annotations = annotations
        request.action = action.rawValue
        return try await call(V2.patchAnnotations, request, timeout: timeout).annotations
    }

    // MARK: Delete

    /// Deletes one annotation of one input (DeleteAnnotation).
    public func delete(inputID: String, annotationID: String, timeout: Duration? = nil) async throws {
        var request = DeleteAnnotationRequest()
        request.userAppID = configuration.userAppID
        request.inputID = inputID
        request.annotationID = annotationID
        _ = try await call(V2.deleteAnnotation, request, timeout: timeout)
    }

    /// Deletes annotations given as pairs: `ids[i]` of input `inputIDs[i]` (DeleteAnnotations).
    public func delete(ids: [String], inputIDs: [String], timeout: Duration? = nil) async throws {
        // Checked here: without ids the same request deletes every annotation of the inputs.
        if let violation = AnnotationRules.idPairs(ids: ids, inputIDs: inputIDs) { throw ValidationError(violation) }
        try await deleteAnnotations(ids: ids, inputIDs: inputIDs, timeout: timeout)
    }

    /// Deletes every annotation of the given inputs, except their input-level annotations.
    public func delete(inputIDs: [String], timeout: Duration? = nil) async throws {
        try await deleteAnnotations(ids: [], inputIDs: inputIDs, timeout: timeout)
    }

    private func deleteAnnotations(ids: [String], inputIDs: [String], timeout: Duration?) async throws {
        var request = DeleteAnnotationsRequest()
        request.userAppID = configuration.userAppID
        request.ids = ids
        request.inputIDs = inputIDs
        _ = try await call(V2.deleteAnnotations, request, timeout: timeout)
    }

    // MARK: Stream

    /// The annotations of a video input as the server streams them (StreamAnnotations), ordered
    /// by frame; each loop over the result is one call. `request.userAppID` defaults to the
    /// configuration's. The timeout bounds the whole stream.
    ///
    /// The call is checked, rate-limited and retried like any other until its first message
    /// arrives; after that a failure ends the loop with its error (nothing is retried, so nothing
    /// is seen twice). Leaving the loop early cancels the stream. Over REST the messages are
    /// grpc-gateway's `{"result": …}` lines, read as they arrive over HTTP/2 or HTTP/1.1 (each
    /// line at most `maxResponseBodySize`); over HTTP/1.1 the stream holds its connection until
    /// it ends, and leaving early closes that connection.
    ///
    /// ```swift
    /// var request = StreamAnnotationsRequest()
    /// request.inputID = "{YOUR_VIDEO_INPUT_ID}"
    /// request.frameNumberStart = 100
    /// for try await item in client.streamAnnotations(request) {
    ///     print(item.annotation.id, item.frameFullyProcessed)
    /// }
    /// ```
    public func streamAnnotations(_ request: StreamAnnotationsRequest, timeout: Duration? = nil) -> AnnotationStream {
        var request = request
        if request.userAppID == nil { request.userAppID = configuration.userAppID }
        return AnnotationStream(client: self, request: request, timeout: timeout)
    }

    /// Opens a stream and reads its first message (nil for a stream of none), with the call's
    /// checks, rate limit and retries; the reader goes on from there.
    func openStream(
        _ request: StreamAnnotationsRequest, timeout: Duration?
    ) async throws -> (
        first: SingleStreamAnnotationResponse?, rest: StreamReader<SingleStreamAnnotationResponse>,
        observation: StreamObservation?
    ) {
        let opened = OpenedStream()
        let first = try await call(
            V2.streamAnnotations, request, timeout: timeout,
            sender: { extra throws(ValidationError) in try streamSender(request, extra: extra, opened: opened) },
            openEnded: { observation in opened.observation.withLock { $0 = observation } }
        )
        guard let (hasFirst, reader) = opened.state.withLock({ $0.take() }) else {
            throw GRPCError(code: .internal, message: "the stream opened without a reader")
        }
        return (hasFirst ? first : nil, reader, opened.observation.withLock { $0.take() })
    }

    /// Where the attempt that read a stream's first message leaves the reader of the rest, and
    /// the call leaves its observation (when observed).
    final class OpenedStream: Sendable {
        let state = Mutex<(hasFirst: Bool, reader: StreamReader<SingleStreamAnnotationResponse>)?>(nil)
        let observation = Mutex<StreamObservation?>(nil)
    }

    // MARK: Task review and workers

    /// Sets `statusCode` on the annotations of a task (PatchAnnotationsStatus): those of
    /// `userIDs` (all when empty) whose status is one of `statusCodes` (any when empty).
    /// Returns the users whose annotations changed and how many did. Over REST it needs
    /// `userAppID`: the call's only path names the user and the app.
    ///
    /// ```swift
    /// let reviewed = try await client.patchAnnotationsStatus(
    ///     taskID: "{TASK_ID}", to: .annotationSuccess, userIDs: ["{LABELER}"], from: [.annotationAwaitingReview])
    /// print(reviewed.updatedCount)
    /// ```
    public func patchAnnotationsStatus(
        taskID: String, to statusCode: StatusCode, userIDs: [String] = [], from statusCodes: [StatusCode] = [],
        timeout: Duration? = nil
    ) async throws -> PatchAnnotationsStatusResponse {
        var request = PatchAnnotationsStatusRequest()
        request.userAppID = configuration.userAppID
        request.taskID = taskID
        request.statusCode = statusCode
        request.userIDs = userIDs
        request.statusCodes = statusCodes
        request.action = "overwrite"
        return try await call(V2.patchAnnotationsStatus, request, timeout: timeout)
    }

    /// How many annotations of a task each worker has, by review status
    /// (GetTaskAnnotationCount), with the app and task they are of; `userIDs`,
    /// `modelVersionIDs` and `workflowVersionIDs`, when given, keep the union of those workers
    /// (as the official `.proto` describes them).
    ///
    /// ```swift
    /// for count in try await client.taskAnnotationCount(taskID: "{TASK_ID}").counts {
    ///     print(count.userID, count.pending, count.awaitingReview, count.success)
    /// }
    /// ```
    public func taskAnnotationCount(
        taskID: String, userIDs: [String] = [], modelVersionIDs: [String] = [], workflowVersionIDs: [String] = [],
        timeout: Duration? = nil
    ) async throws -> SingleTaskCountResponse {
        var request = GetTaskCountRequest()
        request.userAppID = configuration.userAppID
        request.taskID = taskID
        request.userIDs = userIDs
        request.modelVersionIDs = modelVersionIDs
        request.workflowVersionIDs = workflowVersionIDs
        return try await call(V2.getTaskAnnotationCount, request, timeout: timeout)
    }

    /// One page of the workers (users, models, workflows) that made the app's annotations
    /// (ListAnnotationWorkers); `page` is 1-based, `perPage` 0 means the server's default.
    ///
    /// ```swift
    /// for worker in try await client.listAnnotationWorkers(trustedOnly: true) { print(worker.user?.id ?? "") }
    /// ```
    public func listAnnotationWorkers(
        page: UInt32 = 1, perPage: UInt32 = 0, trustedOnly: Bool = false, additionalFields: [String] = [],
        timeout: Duration? = nil
    ) async throws -> [Worker] {
        var request = ListAnnotationWorkersRequest()
        request.userAppID = configuration.userAppID
        request.page = page
        request.perPage = perPage
        request.trustedOnly = trustedOnly
        request.additionalFields = additionalFields
        return try await call(V2.listAnnotationWorkers, request, timeout: timeout).workers
    }

    // MARK: The call

    /// Sends one request with the client's metadata, deadline, rate limit and retry policy, and
    /// turns any status other than SUCCESS into a typed error. The request is first checked
    /// against the method's rules. Every annotation call is safe to repeat: posts carry
    /// client-chosen ids, the others are idempotent.
    func call<Request, Response>(
        _ method: V2Method<Request, Response>, _ request: Request, timeout: Duration?
    ) async throws -> Response {
        try await call(method, request, timeout: timeout) { extra throws(ValidationError) in
            try sender(method, request, extra: extra)
        }
    }

    /// ``call(_:_:timeout:)`` with the attempts made by `sender` (given the observer's extra
    /// metadata): how a stream is opened. With `openEnded`, a successful call is not reported
    /// finished here: its observation goes to `openEnded`, which reports the end (a stream's).
    private func call<Request, Response>(
        _ method: V2Method<Request, Response>, _ request: Request, timeout: Duration?,
        sender make: ([HeaderField]) throws(ValidationError) -> Sender<Response>,
        openEnded: ((StreamObservation) -> Void)? = nil
    ) async throws -> Response {
        if let keyProblem { throw keyProblem }
        if let violation = method.violation(in: request) { throw ValidationError(violation) }
        let start = ContinuousClock.now
        let deadline = start.advanced(by: timeout ?? configuration.defaultTimeout)
        guard let observer = configuration.observer else {
            var unobserved: CallObservation?
            return try await attempts(try make([]), deadline: deadline, &unobserved)
        }
        let call = CallInfo(id: CallInfo.nextID(), method: method.name, transport: configuration.transport)
        observer.observe(.callStarted(call))
        let sender = try make(observer.metadata(for: call))
        var observation: CallObservation? = CallObservation(observer: observer, call: call, start: start)
        do {
            let response = try await attempts(sender, deadline: deadline, &observation)
            if let openEnded, let observation {
                openEnded(StreamObservation(observation, requestBytes: sender.requestBytes))
            } else {
                observation?.finish(.success, requestBytes: sender.requestBytes, message: "")
            }
            return response
        } catch {
            observation?.finish(CallOutcome(error), requestBytes: sender.requestBytes, message: "\(error)")
            throw error
        }
    }

    /// The attempts of one call, told to the observer when there is one.
    private func attempts<Response: V2Response>(
        _ sender: Sender<Response>, deadline: ContinuousClock.Instant, _ observation: inout CallObservation?
    ) async throws -> Response {
        let policy = configuration.retryPolicy
        var attempt = 1
        /// What failed the attempt before: what the call reports when the rate limit leaves no
        /// room for another before the deadline.
        var lastFailure: (any Error)?
        while true {
            if let rateLimiter {
                do {
                    try await pace(rateLimiter, deadline: deadline, observation)
                } catch let error as GRPCError where error.code == .deadlineExceeded {
                    throw lastFailure ?? error
                }
            }
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else {
                throw lastFailure
                    ?? GRPCError(code: .deadlineExceeded, message: "deadline exceeded before attempt \(attempt)")
            }
            observation?.attemptStarted(attempt)
            do {
                let (response, size, resent) = try await sender.send(remaining)
                observation?.responseBytes = size
                let status = response.status ?? Status()
                guard status.code == .success else {
                    throw ClarifaiStatusError(status: status, items: response.items, afterRetry: attempt > 1 || resent)
                }
                rateLimiter?.succeeded()
                return response
            } catch let error as any RetryableError {
                let serverThrottled = (error as? ClarifaiStatusError)?.code == .connThrottled
                if serverThrottled { rateLimiter?.throttled() }
                observation?.attemptFailed(attempt, error)
                let failure = AnnotationsClient.surfaced(error)
                guard AnnotationsClient.isWorthRetrying(error), attempt < policy.maxAttempts else { throw failure }
                let delay = policy.delay(beforeAttempt: attempt + 1)
                guard ContinuousClock.now.advanced(by: delay) < deadline else { throw failure }
                lastFailure = failure
                observation?.retryScheduled(attempt + 1, delay: delay, error)
                if serverThrottled { observation?.throttled(delay, .server) }
                try await Task.sleep(for: delay)
                attempt += 1
            }
        }
    }

    /// Waits for the rate limit to allow one more attempt.
    private func pace(_ limiter: RateLimiter, deadline: ContinuousClock.Instant, _ observation: CallObservation?)
        async throws
    {
        guard let wait = limiter.reserve(before: deadline) else {
            throw GRPCError(code: .deadlineExceeded, message: "the rate limit allows no attempt before the deadline")
        }
        guard wait > .zero else { return }
        observation?.throttled(wait, .rateLimit)
        try await Task.sleep(for: wait)
    }

    /// One attempt of a call over the client's wire, and the size of what it sends: the
    /// request is encoded once, before the first attempt.
    private struct Sender<Response: V2Response>: Sendable {
        var requestBytes: Int
        /// The response, the size of its message or body, and whether the transport sent the
        /// request twice (so that an earlier copy may have been applied).
        var send: @Sendable (Duration) async throws -> (Response, Int, Bool)
    }

    /// Throws when the request has no REST form (a path variable is empty).
    private func sender<Request, Response>(
        _ method: V2Method<Request, Response>, _ request: Request, extra: [HeaderField] = []
    ) throws(ValidationError) -> Sender<Response> {
        let metadata = extra.isEmpty ? self.metadata : self.metadata + extra
        switch wire {
        case .grpc(let channel):
            let path = method.grpcPath
            // Encoded behind room for the gRPC prefix, framed in place and sent from there: the
            // message is copied once on its way out, and the answer decoded where it arrived.
            guard
                let framed = GRPCFramedMessage(
                    headroomed: request.serializedBytes(headroom: GRPCWire.messagePrefixSize))
            else {
                throw ValidationError("", "the request encodes to more than 4 GiB, which gRPC cannot frame")
            }
            return Sender(requestBytes: framed.messageCount) { remaining in
                let answer = try await channel.unary(path: path, framed: framed, metadata: metadata, timeout: remaining)
                do {
                    let response = try answer.withUnsafeMessageBytes { bytes throws(WireError) in
                        try Response(serializedBytes: bytes)
                    }
                    return (response, answer.messageCount, false)
                } catch {
                    throw GRPCError(code: .internal, message: "undecodable \(Response.protoMessageName): \(error)")
                }
            }
        case .rest(let channel):
            let compression = configuration.connection.compression
            let limit = configuration.connection.maxResponseBodySize
            let http = try AnnotationsClient.restRequest(method, request, metadata: metadata, compression: compression)
            // A server that does not read gzip bodies answers 415: the call is sent again plain.
            let plain =
                http.headers["content-encoding"] == nil
                ? nil
                : try AnnotationsClient.restRequest(
                    method, request, metadata: metadata, compression: compression, compressesBody: false)
            return Sender(requestBytes: http.body.count) { remaining in
                do {
                    let deadline = ContinuousClock.now.advanced(by: remaining)
                    var sent = try await channel.send(http, deadline: deadline)
                    if sent.status == 415, let plain { sent = try await channel.send(plain, deadline: deadline) }
                    let answer = try RESTCompression.inflated(sent, limit: limit)
                    return (try RESTResponse.decode(answer, as: Response.self), answer.body.count, answer.wasResent)
                } catch let error as TransportError {
                    throw GRPCError(error)
                }
            }
        }
    }

    /// The attempts of a stream: each opens it and reads the first message, which is what
    /// ``attempts(_:deadline:_:)`` judges and may retry; the reader of the rest goes to `opened`.
    private func streamSender(
        _ request: StreamAnnotationsRequest, extra: [HeaderField],
        opened: OpenedStream
    ) throws(ValidationError) -> Sender<SingleStreamAnnotationResponse> {
        typealias Reader = StreamReader<SingleStreamAnnotationResponse>
        let metadata = extra.isEmpty ? self.metadata : self.metadata + extra
        let maxLineSize = configuration.connection.maxResponseBodySize
        /// The first message (a SUCCESS stand-in for a stream of none) and where the rest is.
        @Sendable func start(_ reader: Reader) async throws(GRPCError) -> (SingleStreamAnnotationResponse, Int, Bool) {
            var reader = reader
            let first = try await reader.next()
            let size = first?.serializedBytes().count ?? 0
            // A refusal is judged (and maybe retried) by `attempts`: its stream is dropped now, not held through the backoff.
            if first?.status?.code ?? .success == .success {
                opened.state.withLock { [reader] in $0 = (first != nil, reader) }
            }
            return (first ?? SingleStreamAnnotationResponse(status: Status(code: .success)), size, false)
        }
        switch wire {
        case .grpc(let channel):
            let path = V2.streamAnnotations.grpcPath
            let bytes = request.serializedBytes()
            return Sender(requestBytes: bytes.count) { remaining in
                let stream = try await channel.serverStreaming(
                    path: path, request: bytes, metadata: metadata, timeout: remaining)
                return try await start(Reader(grpc: stream))
            }
        case .rest(let channel):
            // A stream is read line by line as it arrives: its answer is not asked for compressed.
            let http = try AnnotationsClient.restRequest(
                V2.streamAnnotations, request, metadata: metadata,
                compression: configuration.connection.compression, acceptsCompressed: false)
            return Sender(requestBytes: http.body.count) { remaining in
                let deadline = ContinuousClock.now.advanced(by: remaining)
                do {
                    let stream = try await channel.stream(http, deadline: deadline)
                    if let coding = stream.headers["content-encoding"], coding.lowercased() != "identity" {
                        // Never asked for (streams are read line by line as they arrive): refused, not misread.
                        stream.cancel()
                        throw TransportError(
                            .protocolError, "stream in content coding '\(coding.prefix(40))', which was not asked for")
                    }
                    if stream.status == 200 { return try await start(Reader(lines: stream, maxLineSize: maxLineSize)) }
                    // An answer that is not a stream (a refusal before it began, a proxy's page): read whole.
                    var body: [UInt8] = []
                    for try await chunk in stream {
                        body += chunk
                        if body.count >= maxLineSize { break }
                    }
                    let whole = HTTP2Response(status: stream.status, headers: stream.headers, body: body)
                    return try await start(
                        Reader(messages: [try RESTResponse.decode(whole, as: SingleStreamAnnotationResponse.self)]))
                } catch let error as TransportError {
                    throw GRPCError(error)
                }
            }
        }
    }

    private static func restRequest<Request, Response>(
        _ method: V2Method<Request, Response>, _ request: Request, metadata: [HeaderField],
        compression: MessageCompression, acceptsCompressed: Bool = true, compressesBody: Bool = true
    ) throws(ValidationError) -> HTTP2Request {
        let rest: RESTCall
        do {
            rest = try method.http.call(for: request)
        } catch {
            throw ValidationError(error)
        }
        var headers = metadata
        if !rest.body.isEmpty { headers.append(HeaderField("content-type", "application/json")) }
        var http = HTTP2Request(method: rest.verb, path: rest.path, headers: headers, body: rest.body)
        RESTCompression.prepare(
            &http, compression, acceptsCompressed: acceptsCompressed, compressesBody: compressesBody)
        return http
    }

    /// Whether another attempt may succeed. Every annotation call is safe to repeat, so a
    /// connection lost mid-call (the request may or may not have been applied) is retried like
    /// UNAVAILABLE; failures a retry cannot cure (certificate refused, no h2, bad endpoint,
    /// the client closed) are not.
    static func isWorthRetrying(_ error: any RetryableError) -> Bool {
        if let grpc = error as? GRPCError, let cause = grpc.cause,
            [.tlsFailed, .alpnMismatch, .invalidEndpoint, .invalidProxy, .proxyFailed, .closed].contains(cause.kind)
        {
            return cause.isRetryable
        }
        return error.isRetryable
    }

    /// Failures to reach the server are transport errors; statuses (the server's, or local
    /// ones such as DEADLINE_EXCEEDED and CANCELLED) stay gRPC errors.
    static func surfaced(_ error: any RetryableError) -> any RetryableError {
        if let grpc = error as? GRPCError, let cause = grpc.cause,
            [
                .connectFailed, .tlsFailed, .alpnMismatch, .connectionClosed, .goAway, .closed, .invalidEndpoint,
                .invalidProxy, .proxyFailed,
            ].contains(cause.kind)
        {
            return cause
        }
        return error
    }
}

extension ClarifaiStatusError {
    init(status: Status, items: [Annotation], afterRetry: Bool) {
        self.init(status: status, items: items)
        self.afterRetry = afterRetry
    }

    /// The server already holds an annotation with an id the call used.
    ///
    /// ```swift
    /// catch let error as ClarifaiStatusError where error.isAlreadyExists { … }
    /// ```
    public var isAlreadyExists: Bool {
        let texts =
            [status.description, status.details]
            + items.compactMap { $0.status.map { $0.description + " " + $0.details } }
        return texts.contains { $0.lowercased().contains("already exists") }
    }
}
