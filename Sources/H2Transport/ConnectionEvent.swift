import Synchronization

/// Something that happened to one connection: what an observer needs to see reconnects,
/// GOAWAYs and refused streams without a debugger.
///
/// Delivered to `ConnectionConfiguration.eventHandler`, on the connection's I/O thread or the
/// task that opened it: the handler must return quickly and must not block.
///
/// ```swift
/// var configuration = ConnectionConfiguration()
/// configuration.eventHandler = { event in print(event.connectionID, event.kind) }
/// ```
public struct ConnectionEvent: Sendable, CustomStringConvertible {
    /// What happened: the connection opened, failed to open, was told to go away, had a stream
    /// refused, or closed.
    public enum Kind: Sendable, Equatable {
        /// Connected: TCP, TLS (with ALPN) and the server's SETTINGS. `maxConcurrentStreams` is
        /// the server's SETTINGS_MAX_CONCURRENT_STREAMS (nil when it set none).
        case opened(maxConcurrentStreams: Int?)
        /// A connect failed (the pool backs off before the next one).
        case connectFailed(TransportError.Kind, message: String)
        /// The server sent GOAWAY: the connection takes no new requests and closes once its
        /// streams are done.
        case goAwayReceived(errorCode: UInt32, lastStreamID: Int32, debugData: String)
        /// The server refused a stream (RST_STREAM REFUSED_STREAM): it was not processed.
        case streamRefused(streamID: Int32)
        /// The connection is gone. `reason` is nil when the client closed it (idle, or `close()`).
        case closed(reason: TransportError.Kind?, message: String)
    }

    /// Unique per connection in the process, from 1; the same in every event of one connection.
    public let connectionID: Int
    /// `host:port` of the endpoint (not of the proxy).
    public let authority: String
    /// HTTP/2 (`"h2"`) or HTTP/1.1 (`"http/1.1"`).
    public let protocolName: String
    /// What happened to the connection.
    public let kind: Kind

    /// An event as the connections report it; public so tests and adapters can make their own.
    public init(connectionID: Int, authority: String, protocolName: String, kind: Kind) {
        self.connectionID = connectionID
        self.authority = authority
        self.protocolName = protocolName
        self.kind = kind
    }

    /// `connection 3 (h2 api.clarifai.com): closed(…)`: the id, protocol, authority and kind.
    public var description: String { "connection \(connectionID) (\(protocolName) \(authority)): \(kind)" }

    /// Numbers the connections of the process.
    static func nextConnectionID() -> Int { counter.add(1, ordering: .relaxed).newValue }
    private static let counter = Atomic<Int>(0)
}

/// Receives connection events (see `ConnectionEvent`).
public typealias ConnectionEventHandler = @Sendable (ConnectionEvent) -> Void
