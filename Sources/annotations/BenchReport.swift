import Foundation
import Histogram

/// The results of `annotations bench` as a table, as JSON, and as an SVG latency CDF.
struct BenchReport {
    var call: BenchCall
    var annotationsPerCall: Int
    var perPage: Int
    var endpoint: String
    var embedded: Bool
    var warmUpSeconds: Double
    var durationSeconds: Double?
    var callsPerRun: Int?
    var results: [BenchResult]

    static let percentiles: [(label: String, value: Double)] = [("p50", 50), ("p90", 90), ("p99", 99), ("p99.9", 99.9)]

    // MARK: Table

    var table: String {
        var lines: [String] = []
        let what =
            switch call {
            case .list: "list, per_page \(perPage)"
            case .mixed:
                "mixed post/list(per_page \(perPage))/patch/delete, \(annotationsPerCall) annotation\(annotationsPerCall == 1 ? "" : "s") per write"
            default: "\(call.rawValue), \(annotationsPerCall) annotation\(annotationsPerCall == 1 ? "" : "s") per call"
            }
        let length =
            durationSeconds.map { "\(BenchReport.number($0)) s per run" } ?? "\(callsPerRun ?? 0) calls per run"
        lines.append(
            "\(what) · \(endpoint)\(embedded ? " (embedded emulator, its own process)" : "") · \(length) after \(BenchReport.number(warmUpSeconds)) s warm-up"
        )
        let showsStreams = results.contains { ($0.maxConnections ?? 1) > 1 || $0.streamsPerConnection != nil }
        let showsObserver = results.contains { $0.observer != .none }
        var header = ["transport", "in-flight", "conns max/open"]
        if showsStreams { header.append("streams/conn") }
        if showsObserver { header.append("observer") }
        header += [
            "calls", "errors", "calls/s", "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "bytes/call out+in", "CPU µs/call",
        ]
        var rows: [[String]] = []
        for result in results {
            let bytes: String
            if let sent = result.perCall(result.bytesSent), let received = result.perCall(result.bytesReceived) {
                bytes = "\(Int(sent.rounded())) + \(Int(received.rounded()))"
            } else {
                bytes = "n/a"
            }
            var row = [
                result.target, String(result.inFlight),
                "\(result.connectionLimit)/\(result.connectionsOpened.map(String.init) ?? "-")",
            ]
            if showsStreams {
                row.append(
                    result.maxConnections == nil ? "-" : result.streamsPerConnection.map(String.init) ?? "server")
            }
            if showsObserver { row.append(result.observer.rawValue) }
            rows.append(
                row + [
                    String(result.calls), String(result.errors), BenchReport.grouped(result.callsPerSecond),
                ]
                    + BenchReport.percentiles.map {
                        result.calls > 0 ? BenchReport.grouped(Double(result.latency.valueAtPercentile($0.value))) : "-"
                    }
                    + [bytes, BenchReport.grouped(result.cpuMicrosecondsPerCall)])
        }
        lines.append(BenchReport.render([header] + rows))
        lines.append(
            "conns: the most connections the run may open (gRPC and rest-h2: the pool's maximum; rest-h1, urlsession: one per caller) / how many it opened (-: not counted)"
        )
        let ratios = self.ratios
        if !ratios.isEmpty {
            lines.append("")
            lines.append(
                "Ratios to gRPC at the same in-flight, pool and observer (calls/s: above 1 is faster; p50 and CPU: below 1 is better):"
            )
            for ratio in ratios {
                lines.append(
                    "  \(ratio.label): calls/s \(BenchReport.number(ratio.callsPerSecond))×, p50 \(BenchReport.number(ratio.p50))×, p99 \(BenchReport.number(ratio.p99))×, CPU/call \(BenchReport.number(ratio.cpu))×"
                )
            }
        }
        let overhead = observerOverhead
        if !overhead.isEmpty {
            lines.append("")
            lines.append(
                "Counting observer against none, same wire, in-flight and pool (calls/s: below 1 is slower; p50, p99, CPU: above 1 costs more):"
            )
            for ratio in overhead {
                lines.append(
                    "  \(ratio.label): calls/s \(BenchReport.number(ratio.callsPerSecond))×, p50 \(BenchReport.number(ratio.p50))×, p99 \(BenchReport.number(ratio.p99))×, CPU/call \(BenchReport.number(ratio.cpu))× (\(BenchReport.number(ratio.eventsPerCall ?? 0)) events per call)"
                )
            }
        }
        for result in results where result.errors > 0 {
            lines.append("\(result.label): \(result.errors) failed calls, first: \(result.firstError ?? "?")")
        }
        for result in results {
            var memory =
                "\(result.label): resident memory \(BenchReport.megabytes(result.residentBytes.start)) → \(BenchReport.megabytes(result.residentBytes.end))"
            if let server = result.serverResidentBytes {
                memory += " (emulator \(BenchReport.megabytes(server.start)) → \(BenchReport.megabytes(server.end)))"
            }
            lines.append(memory)
        }
        for result in results where result.exhausted {
            lines.append("\(result.label): stopped early, the prepared annotations ran out")
        }
        return lines.joined(separator: "\n")
    }

    /// One run against another: `result` over `base`.
    struct Ratio: Codable {
        var target: String
        var inFlight: Int
        /// The pool of the run (nil: one connection per caller).
        var maxConnections: Int?
        var observer: String
        var callsPerSecond: Double
        var p50: Double
        var p99: Double
        var cpu: Double
        /// Observer overhead only: events the counting observer received per call.
        var eventsPerCall: Double?
        var label: String

        enum CodingKeys: String, CodingKey {
            case target = "transport"
            case inFlight = "in_flight"
            case callsPerSecond = "calls_per_second"
            case p50, p99
            case cpu = "cpu_per_call"
            case maxConnections = "max_connections"
            case observer
            case eventsPerCall = "events_per_call"
            case label
        }

        init(_ result: BenchResult, over base: BenchResult) {
            func quotient(_ a: Double, _ b: Double) -> Double { b > 0 ? a / b : 0 }
            target = result.target
            inFlight = result.inFlight
            maxConnections = result.maxConnections
            observer = result.observer.rawValue
            callsPerSecond = quotient(result.callsPerSecond, base.callsPerSecond)
            p50 = quotient(Double(result.latency.valueAtPercentile(50)), Double(base.latency.valueAtPercentile(50)))
            p99 = quotient(Double(result.latency.valueAtPercentile(99)), Double(base.latency.valueAtPercentile(99)))
            cpu = quotient(result.cpuMicrosecondsPerCall, base.cpuMicrosecondsPerCall)
            eventsPerCall = result.observedEvents.map { result.calls > 0 ? Double($0) / Double(result.calls) : 0 }
            label = result.label
        }
    }

    /// Every other wire against gRPC at the same concurrency, pool and observer (a wire with
    /// one connection per caller against gRPC's first pool size).
    var ratios: [Ratio] {
        results.compactMap { result in
            guard result.target != "grpc",
                let grpc = results.first(where: {
                    $0.target == "grpc" && $0.inFlight == result.inFlight && $0.observer == result.observer
                        && (result.maxConnections == nil || $0.maxConnections == result.maxConnections)
                }),
                grpc.calls > 0, result.calls > 0
            else { return nil }
            return Ratio(result, over: grpc)
        }
    }

    /// Each run with the counting observer against the same run without one.
    var observerOverhead: [Ratio] {
        results.compactMap { result in
            guard result.observer != .none,
                let plain = results.first(where: {
                    $0.observer == .none && $0.target == result.target && $0.inFlight == result.inFlight
                        && $0.maxConnections == result.maxConnections
                }),
                plain.calls > 0, result.calls > 0
            else { return nil }
            return Ratio(result, over: plain)
        }
    }

    private static func render(_ rows: [[String]]) -> String {
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.enumerated().map { index, row in
            let cells = row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + padding : padding + cell
            }
            let line = cells.joined(separator: "  ")
            return index == 0 ? line + "\n" + String(repeating: "-", count: line.count) : line
        }.joined(separator: "\n")
    }

    static func grouped(_ value: Double) -> String {
        let integer = Int(value.rounded())
        var digits = String(integer)
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: digits.index(digits.startIndex, offsetBy: index))
            index -= 3
        }
        return digits
    }

    static func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }

    static func number(_ value: Double) -> String {
        String(format: value >= 10 ? "%.1f" : "%.2f", value)
    }

    // MARK: JSON

    struct Document: Codable {
        struct Latency: Codable {
            var p50: UInt64, p90: UInt64, p99: UInt64, p999: UInt64, max: UInt64, mean: Double
            enum CodingKeys: String, CodingKey {
                case p50, p90, p99
                case p999 = "p99.9"
                case max, mean
            }
        }

        struct Run: Codable {
            var transport: String
            var inFlight: Int
            var calls: Int
            var errors: Int
            var firstError: String?
            var seconds: Double
            var callsPerSecond: Double
            var latencyMicroseconds: Latency
            /// The histogram's count: equals `calls`.
            var recordedLatencies: UInt64
            var bytesSentPerCall: Double?
            var bytesReceivedPerCall: Double?
            var cpuMicrosecondsPerCall: Double
            var stoppedEarly: Bool
            var residentBytesStart: Int
            var residentBytesEnd: Int
            var serverResidentBytesStart: Int?
            var serverResidentBytesEnd: Int?
            /// The pool's maximum (nil: one connection per caller), its target of streams per
            /// connection (nil: the server's limit) and the connections opened (nil: not counted).
            var maxConnections: Int?
            var streamsPerConnection: Int?
            var connectionsOpened: Int?
            var observer: String
            var observedEvents: Int?
            /// (latency µs, fraction of calls at or below it), for plots.
            var cdf: [[Double]]

            enum CodingKeys: String, CodingKey {
                case transport
                case inFlight = "in_flight"
                case calls, errors
                case firstError = "first_error"
                case seconds
                case callsPerSecond = "calls_per_second"
                case latencyMicroseconds = "latency_us"
                case recordedLatencies = "recorded_latencies"
                case bytesSentPerCall = "bytes_sent_per_call"
                case bytesReceivedPerCall = "bytes_received_per_call"
                case cpuMicrosecondsPerCall = "cpu_us_per_call"
                case stoppedEarly = "stopped_early"
                case cdf
                case residentBytesStart = "resident_bytes_start"
                case residentBytesEnd = "resident_bytes_end"
                case serverResidentBytesStart = "server_resident_bytes_start"
                case serverResidentBytesEnd = "server_resident_bytes_end"
                case maxConnections = "max_connections"
                case streamsPerConnection = "streams_per_connection"
                case connectionsOpened = "connections_opened"
                case observer
                case observedEvents = "observed_events"
            }
        }

        var call: String
        var annotationsPerCall: Int
        var perPage: Int
        var endpoint: String
        var embeddedEmulator: Bool
        var warmUpSeconds: Double
        var durationSeconds: Double?
        var callsPerRun: Int?
        var runs: [Run]
        var ratiosToGRPC: [Ratio]
        var observerOverhead: [Ratio]

        enum CodingKeys: String, CodingKey {
            case call
            case annotationsPerCall = "annotations_per_call"
            case perPage = "per_page"
            case endpoint
            case embeddedEmulator = "embedded_emulator"
            case warmUpSeconds = "warm_up_seconds"
            case durationSeconds = "duration_seconds"
            case callsPerRun = "calls_per_run"
            case runs
            case ratiosToGRPC = "ratios_to_grpc"
            case observerOverhead = "observer_overhead"
        }
    }

    var json: String {
        let document = Document(
            call: call.rawValue, annotationsPerCall: annotationsPerCall, perPage: perPage, endpoint: endpoint,
            embeddedEmulator: embedded, warmUpSeconds: warmUpSeconds, durationSeconds: durationSeconds,
            callsPerRun: callsPerRun,
            runs: results.map { result in
                let latency = result.latency
                return Document.Run(
                    transport: result.target, inFlight: result.inFlight, calls: result.calls, errors: result.errors,
                    firstError: result.firstError, seconds: result.seconds, callsPerSecond: result.callsPerSecond,
                    latencyMicroseconds: Document.Latency(
                        p50: latency.valueAtPercentile(50), p90: latency.valueAtPercentile(90),
                        p99: latency.valueAtPercentile(99), p999: latency.valueAtPercentile(99.9),
                        max: latency.max, mean: latency.totalCount > 0 ? latency.mean : 0
                    ),
                    recordedLatencies: latency.totalCount,
                    bytesSentPerCall: result.perCall(result.bytesSent),
                    bytesReceivedPerCall: result.perCall(result.bytesReceived),
                    cpuMicrosecondsPerCall: result.cpuMicrosecondsPerCall, stoppedEarly: result.exhausted,
                    residentBytesStart: result.residentBytes.start, residentBytesEnd: result.residentBytes.end,
                    serverResidentBytesStart: result.serverResidentBytes?.start,
                    serverResidentBytesEnd: result.serverResidentBytes?.end,
                    maxConnections: result.maxConnections, streamsPerConnection: result.streamsPerConnection,
                    connectionsOpened: result.connectionsOpened, observer: result.observer.rawValue,
                    observedEvents: result.observedEvents,
                    cdf: BenchReport.cdf(latency).map { [$0.micros, $0.fraction] }
                )
            },
            ratiosToGRPC: ratios, observerOverhead: observerOverhead
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(document)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The cumulative distribution at every recorded value, thinned to at most 300 points.
    static func cdf(_ histogram: Histogram<UInt64>) -> [(micros: Double, fraction: Double)] {
        guard histogram.totalCount > 0 else { return [] }
        var points: [(micros: Double, fraction: Double)] = []
        for value in histogram.recordedValues() {
            points.append(
                (
                    Double(histogram.highestEquivalentForValue(value.value)),
                    Double(value.totalCountToThisValue) / Double(histogram.totalCount)
                ))
        }
        guard points.count > 300 else { return points }
        let step = Double(points.count) / 300
        var thinned = stride(from: 0.0, to: Double(points.count), by: step).map { points[Int($0)] }
        if thinned.last?.fraction != 1 { thinned.append(points[points.count - 1]) }
        return thinned
    }
}
