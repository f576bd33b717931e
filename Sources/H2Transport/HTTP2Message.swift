import Synchronization

/// One HTTP/2 header field. Names are lower-case on the wire (RFC 9113 §8.2.1).
public struct HeaderField: Sendable, Hashable {
    /// The field name. HTTP/2 requires it in lower case, and requests send it as given, so write
    /// it lower-case (`"authorization"`); the HTTP/1.1 wire lower-cases names it reads.
    public var name: String
    /// The field value, sent as given (no folding, no trimming).
    public var value: String

    /// A field: `HeaderField("authorization", "Key \(pat)")`.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

extension Array where Element == HeaderField {
    /// The first value of a header, by lower-case name.
    public subscript(name: String) -> String? {
        first { $0.name == name }?.value
    }
}

/// A request on an HTTP/2 connection: the pseudo-headers come from the method, path and
/// the connection's endpoint.
public struct HTTP2Request: Sendable {
    /// The `:method` pseudo-header: `GET`, `POST`, `PATCH`, `DELETE`, …
    public var method: String
    /// The `:path` pseudo-header: the path and query, already percent-encoded (`/v2/annotations?page=2`).
    public var path: String
    /// The regular header fields, after the pseudo-headers; no `:`-names here. Empty by default.
    public var headers: [HeaderField]
    /// The request body; empty by default (POST, PUT and PATCH still send an empty DATA frame).
    public var body: [UInt8]

    /// A request from its parts; the headers and body default to empty.
    public init(method: String, path: String, headers: [HeaderField] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }
}

/// A complete response: headers, body and trailers.
public struct HTTP2Response: Sendable {
    /// The `:status` of the response (200, 404, …).
    public var status: Int
    /// The response headers, without pseudo-headers.
    public var headers: [HeaderField]
    /// The whole response body (at most `ConnectionConfiguration.maxResponseBodySize` bytes).
    public var body: [UInt8]
    /// Trailing headers (gRPC puts its status here), empty when there were none.
    public var trailers: [HeaderField]
    /// True when the response carried no DATA and ended on its first HEADERS frame
    /// (gRPC's Trailers-Only form).
    public var headersOnly: Bool
    /// True when the request went out twice: a reused HTTP/1.1 connection closed before any
    /// byte of answer, and the request was sent again on a new one. The first copy may have
    /// been processed, so an answer such as "already exists" may be about it.
    public var wasResent = false

    /// A response assembled by hand (from a streamed one read whole, or in a test).
    ///
    /// ```swift
    /// let response = HTTP2Response(status: 503, headers: [], body: Array("busy".utf8))
    /// ```
    public init(
        status: Int, headers: [HeaderField], body: [UInt8], trailers: [HeaderField] = [], headersOnly: Bool = false
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.trailers = trailers
        self.headersOnly = headersOnly
    }
}

/// A channel that carries HTTP requests to one endpoint: `HTTP2Channel` (multiplexed) or
/// `HTTP1Channel` (a keep-alive pool). The REST client speaks to either through this.
///
/// ```swift
/// let channel: any HTTPRequestChannel = HTTP1Channel(endpoint: try Endpoint("http://127.0.0.1:8080"))
/// let response = try await channel.send(HTTP2Request(method: "GET", path: "/v2/annotations"), deadline: nil)
/// ```
public protocol HTTPRequestChannel: Sendable {
    /// Sends one request and waits for the whole response.
    func send(_ request: HTTP2Request, deadline: ContinuousClock.Instant?) async throws(TransportError) -> HTTP2Response
    /// Sends one request and returns once the response's head is in; its body is read as it
    /// arrives (see `HTTP2ResponseStream`). A channel that cannot stream gives the whole body
    /// as one chunk.
    func stream(_ request: HTTP2Request, deadline: ContinuousClock.Instant?) async throws(TransportError)
        -> HTTP2ResponseStream
    /// Closes the channel; requests in flight fail.
    func close()
}

extension HTTPRequestChannel {
    /// The whole response read by `send`, given as one chunk.
    ///
    /// ```swift
    /// for try await chunk in try await channel.stream(request, deadline: nil) { body += chunk }
    /// ```
    public func stream(_ request: HTTP2Request, deadline: ContinuousClock.Instant?) async throws(TransportError)
        -> HTTP2ResponseStream
    {
        let response = try await send(request, deadline: deadline)
        return HTTP2ResponseStream(
            status: response.status, headers: response.headers, headersOnly: response.headersOnly,
            reader: WholeBodyReader(response)
        )
    }
}

/// How a connection behaves. The defaults suit gRPC calls to a remote API.
public struct ConnectionConfiguration: Sendable {
    /// How `https` connections are secured; the default verifies against the system trust store.
    public var tls = TLSConfiguration()
    /// Seconds allowed for TCP connect plus the TLS handshake.
    public var connectTimeout: Double = 20
    /// Our receive window per stream and for the connection: large windows let a big response
    /// arrive without waiting for WINDOW_UPDATEs.
    public var initialWindowSize: UInt32 = 4 << 20
    /// Our receive window for the whole connection, in bytes (16 MiB by default): all streams'
    /// unread DATA together; see `initialWindowSize` for the per-stream one.
    public var connectionWindowSize: Int32 = 16 << 20
    /// Largest response body accepted; a larger one fails the call (gRPC: RESOURCE_EXHAUSTED).
    public var maxResponseBodySize = 128 << 20
    /// Largest response header list (headers and trailers, counted as SETTINGS_MAX_HEADER_LIST_SIZE
    /// counts them; the HTTP/1.1 head in bytes); a larger one fails the call the same way.
    public var maxResponseHeaderListSize = 64 << 10
    /// Send a PING after this many idle seconds (gRFC A8: off by default, at least 10 s).
    public var keepaliveInterval: Double? = nil
    /// Close the connection when a keepalive PING is not answered in this many seconds.
    public var keepaliveTimeout: Double = 20
    /// When a call's deadline passes, a PING checks that the connection still answers; with no
    /// answer in this many seconds it is closed and later calls get a new one.
    public var unresponsiveTimeout: Double = 5
    /// Sent as `user-agent` on every request.
    public var userAgent = "clarifai-annotations-swift/0.1"
    /// Whether gRPC request messages and REST request bodies are gzip-compressed (off by
    /// default). A gRPC request is compressed only once the server has said it reads gzip
    /// (`grpc-accept-encoding` on an earlier answer); see ``MessageCompression``.
    public var compression = MessageCompression.none
    /// Counts the bytes of every connection made with this configuration, when set.
    public var trafficCounter: TrafficCounter?
    /// Whether connections go through an HTTP CONNECT proxy: by default as the environment
    /// says (`grpc_proxy`, `https_proxy`, `no_proxy`, …, as gRPC C-core reads them).
    public var proxy = ProxySetting.environment
    /// HTTP/1.1 only: connections kept open at most (one request at a time on each).
    public var maxHTTP1Connections = 16
    /// HTTP/2 only: connections to the endpoint open at most. With more than one, a new
    /// connection opens (in the background) when every open one carries
    /// `targetStreamsPerConnection` requests; each request goes to the least-loaded one.
    /// 1…1,024.
    public var maxConnections = 1
    /// HTTP/2 only: requests a pooled connection carries before the pool opens another; nil
    /// means the server's SETTINGS_MAX_CONCURRENT_STREAMS (100 when it sets none). Never more
    /// than the server's limit.
    public var targetStreamsPerConnection: Int?
    /// HTTP/2 only: seconds after which a pooled connection with no request in flight is
    /// closed, while others remain (the last one stays open).
    public var idleConnectionTimeout: Double = 60
    /// Told of every connection's opening, GOAWAY, refused streams and closing (see
    /// `ConnectionEvent`); nil (the default) costs nothing.
    public var eventHandler: ConnectionEventHandler?

    /// The defaults documented on each property.
    public init() {}
}

/// Bytes sent and received by the connections that share it: the HTTP/2 frames or HTTP/1.1
/// messages, before TLS. Benchmarks use it to report bytes on the wire per call.
///
/// ```swift
/// var configuration = ConnectionConfiguration()
/// configuration.trafficCounter = TrafficCounter()
/// ```
public final class TrafficCounter: Sendable {
    private let sentBytes = Atomic<Int>(0)
    private let receivedBytes = Atomic<Int>(0)

    /// A counter at zero.
    public init() {}

    /// Bytes sent so far by every connection sharing this counter.
    public var sent: Int { sentBytes.load(ordering: .relaxed) }
    /// Bytes received so far by every connection sharing this counter.
    public var received: Int { receivedBytes.load(ordering: .relaxed) }

    func countSent(_ count: Int) { sentBytes.add(count, ordering: .relaxed) }
    func countReceived(_ count: Int) { receivedBytes.add(count, ordering: .relaxed) }
}
