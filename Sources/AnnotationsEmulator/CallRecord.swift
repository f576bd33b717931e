import ProtoWire

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One request the emulator answered, as its call log sees it (`Emulator(callLog:)`,
/// `annotations serve --call-log FILE`): enough for a test to count calls per method, wire,
/// connection and outcome, for instance the calls per second a rate-limited client makes.
///
/// ```swift
/// let records = Mutex<[CallRecord]>([])
/// let emulator = try Emulator(callLog: { record in records.withLock { $0.append(record) } })
/// ```
///
/// As JSON (``jsonLine``), one object a line:
/// `{"time":1754400000.123456,"method":"PostAnnotations","wire":"grpc","connection":3,"status":10000,"grpc_status":0}`.
public struct CallRecord: Sendable, Equatable {
    /// How a call reached the emulator.
    public struct Wire: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The name in the log: `grpc`, `rest-h2`, `rest-h1`.
        public let rawValue: String

        /// A wire by its name in the log.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// gRPC over HTTP/2 (`content-type: application/grpc…`).
        public static let grpc = Wire(rawValue: "grpc")
        /// The REST JSON mapping over HTTP/2.
        public static let restHTTP2 = Wire(rawValue: "rest-h2")
        /// The REST JSON mapping over HTTP/1.x.
        public static let restHTTP1 = Wire(rawValue: "rest-h1")

        /// ``rawValue``.
        public var description: String { rawValue }
    }

    /// When the emulator answered: seconds since 1970-01-01 UTC (written with microseconds). An
    /// answer held back by `sleep-ms=N` is recorded when it is made, and sent N ms later.
    public var time: Double
    /// The RPC, by its name in `clarifai.api.V2` (`PostAnnotations`), when the gRPC path or the
    /// REST route names one; otherwise the HTTP method and path, without the query
    /// (`GET /v2/nothing`), at most ``maxMethodLength`` characters.
    public var method: String
    /// gRPC, or REST over HTTP/2 or HTTP/1.x.
    public var wire: Wire
    /// `ServerRequest.connectionID`: which connection the call came on (0 when unknown).
    public var connectionID: Int
    /// The Clarifai status code of the response (`10000` SUCCESS, `11005` CONN_THROTTLED, …);
    /// for a gRPC call ended with a gRPC status of its own (``grpcStatus`` not 0: an unknown
    /// method, UNAVAILABLE), the HTTP status of the response.
    public var status: Int
    /// gRPC calls: the `grpc-status` the call ended with; nil for REST.
    public var grpcStatus: Int32?
    /// The fault injected into the call (asked for by `x-emulator-fault`, or picked by
    /// `RandomFaults`), if any. A call whose answer ``InjectedFault/drop`` threw away is logged
    /// too: the emulator handled it.
    public var fault: InjectedFault?

    /// The longest ``method`` kept from a request that names no known RPC.
    public static let maxMethodLength = 200

    /// A record of the given fields (``jsonLine`` writes them).
    public init(
        time: Double, method: String, wire: Wire, connectionID: Int, status: Int, grpcStatus: Int32? = nil,
        fault: InjectedFault? = nil
    ) {
        self.time = time
        self.method = method
        self.wire = wire
        self.connectionID = connectionID
        self.status = status
        self.grpcStatus = grpcStatus
        self.fault = fault
    }

    /// The record as one compact JSON object, without a line end: the keys `time` (a number,
    /// six decimals), `method`, `wire`, `connection`, `status`, and `grpc_status` (gRPC only)
    /// and `fault` (when one was injected).
    public var jsonLine: String {
        var line = "{\"time\":\(Self.microsecondText(time)),\"method\":\(Self.quoted(method))"
        line += ",\"wire\":\(Self.quoted(wire.rawValue)),\"connection\":\(connectionID),\"status\":\(status)"
        if let grpcStatus { line += ",\"grpc_status\":\(grpcStatus)" }
        if let fault { line += ",\"fault\":\(Self.quoted(fault.headerValue))" }
        return line + "}"
    }

    /// `1754400000.123456`: whole microseconds, always six decimals (never an exponent).
    private static func microsecondText(_ seconds: Double) -> String {
        let micros = seconds.isFinite ? Int64(max(0, min(seconds, 1e12)) * 1_000_000 + 0.5) : 0
        let fraction = String(micros % 1_000_000)
        return "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    private static func quoted(_ text: String) -> String {
        var writer = JSONWriter()
        writer.writeStringValue(text)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// The wall clock now, in seconds since 1970.
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
