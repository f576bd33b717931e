import AnnotationsRPC
import ArgumentParser

/// `--max-connections` and `--rate`: how many connections a network subcommand may open, and
/// how fast it may call.
struct ScaleOptions: ParsableArguments {
    @Option(
        name: .customLong("max-connections"),
        help: ArgumentHelp(
            "Connections to open at most (1…1024, default 1): gRPC and REST over HTTP/2 open another when every "
                + "open one carries the server's MAX_CONCURRENT_STREAMS; REST over HTTP/1.1 keeps this many (default 16).",
            valueName: "n"))
    var maxConnections: Int?

    @Option(
        help: ArgumentHelp(
            "At most this many calls per second (every attempt counts; halved for a while after CONN_THROTTLED). "
                + "Clarifai's default limit is 15.",
            valueName: "calls"))
    var rate: Double?

    func validate() throws {
        if let maxConnections, !(1...1024).contains(maxConnections) {
            throw ValidationError("--max-connections must be a whole number in 1…1024, got \(maxConnections)")
        }
        if let rate, !(rate.isFinite && rate >= 0.01 && rate <= 1_000_000) {
            throw ValidationError("--rate must be a number of calls per second in 0.01…1000000")
        }
    }

    /// Applies the options to a client configuration.
    func apply(to configuration: inout ClientConfiguration) {
        if let maxConnections {
            configuration.connection.maxConnections = maxConnections
            configuration.connection.maxHTTP1Connections = maxConnections
        }
        if let rate { configuration.rateLimit = RateLimit(callsPerSecond: rate) }
    }
}
