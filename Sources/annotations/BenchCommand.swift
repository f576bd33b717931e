import AnnotationsRPC
import ArgumentParser
import Foundation
import H2Transport
import ProtoWire

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract:
            "gRPC against REST: the same typed calls over each wire, with latency percentiles, throughput, bytes and CPU.",
        discussion: """
            Without --endpoint, starts the emulator (`annotations serve`) as a child process on loopback, so \
            the CPU figures are the client's alone. For every --in-flight value and every --transport, it \
            warms up, then runs that many concurrent callers back to back for --duration seconds (or \
            --calls calls), and reports calls/s, p50/p90/p99/p99.9 latency from an HDR histogram (1 µs to \
            60 s, 3 significant digits), HTTP bytes per call (frames or messages before TLS), and process \
            CPU per call; then each REST wire's ratios to gRPC.

            Transports: grpc, rest-h2 (REST JSON over HTTP/2), rest-h1 (REST JSON over HTTP/1.1 \
            keep-alive, one connection per caller), urlsession (Foundation's URLSession with \
            JSONSerialization: the Swift user's usual REST client; plaintext or publicly trusted TLS only).

            Posts are removed after each run; lists read a page of annotations made first; gets and \
            patches use a pool made first; deletes consume annotations made before each run.

            Pools: every --max-connections value is crossed with every --in-flight value and every \
            HTTP/2 wire (grpc, rest-h2). Unless --streams-per-connection is given, a pool of N \
            connections targets ceil(in-flight / N) streams per connection, so the calls spread over \
            the N connections as `h2load -c N -m in-flight/N` spreads them. rest-h1 and urlsession \
            keep one connection per caller and run once per --in-flight value (at the first \
            --max-connections value). The connections column shows the maximum and how many the \
            client opened (counted through ConnectionConfiguration.eventHandler, once per connection).

            Observers: --observer none,counting runs each measurement without a ClientObserver and \
            with one that only counts events (an atomic increment), back to back, and reports the \
            ratios: what observing costs. urlsession runs without.

            Examples:
              annotations bench --call list --per-page 128 --in-flight 1,64 --plot list.svg
              annotations bench --tls --transport grpc --call post --calls 2000 --json
              annotations bench --transport grpc --in-flight 64,256 --max-connections 1,2,4
              annotations bench --transport grpc --in-flight 1,64 --observer none,counting

            \(ExitStatus.demoHelp)
            """
    )

    @Option(help: ArgumentHelp("The server (default: an embedded emulator on loopback).", valueName: "url"))
    var endpoint: String?
    @Flag(help: "Run the embedded emulator over TLS (its generated certificate is trusted).")
    var tls = false
    @Option(
        help: ArgumentHelp(
            "Key for --endpoint (default: $CLARIFAI_PAT; other users can read a key given here in 'ps').",
            valueName: "key"))
    var pat: String?
    @Option(name: .customLong("user-id"), help: ArgumentHelp("With --app-id: the app to work in.", valueName: "id"))
    var userID: String?
    @Option(name: .customLong("app-id"), help: ArgumentHelp("With --user-id: the app to work in.", valueName: "id"))
    var appID: String?
    @Option(
        name: .customLong("ca-file"),
        help: ArgumentHelp("PEM CA certificates to trust for --endpoint.", valueName: "pem"))
    var caFile: String?
    @Flag(help: "Do not verify the server's certificate (local tests only).")
    var insecure = false

    @Option(help: "The call to measure: post, list, patch, get, delete, or mixed (post, list, patch, delete in turn).")
    var call: BenchCall = .post
    @Option(name: .customLong("annotations-per-call"), help: "Annotations per post, patch or delete (1…128).")
    var annotationsPerCall = 1
    @Option(name: .customLong("per-page"), help: "Page size of list (1…1000).")
    var perPage = 20
    @Option(help: ArgumentHelp("Wires, comma-separated: grpc, rest-h2, rest-h1, urlsession.", valueName: "list"))
    var transport = "grpc,rest-h2,rest-h1"
    @Option(
        name: .customLong("in-flight"),
        help: ArgumentHelp("Concurrent callers per run, comma-separated.", valueName: "list"))
    var inFlight = "1,16,64"
    @Option(help: ArgumentHelp("Seconds each run lasts (default 3, unless --calls is given).", valueName: "seconds"))
    var duration: Double?
    @Option(help: ArgumentHelp("Calls each run makes, instead of --duration.", valueName: "n"))
    var calls: Int?
    @Option(
        name: .customLong("warm-up"),
        help: ArgumentHelp("Seconds of calls before each run, not counted.", valueName: "seconds"))
    var warmUp = 0.5
    @Flag(
        help: ArgumentHelp(
            "Retry failed calls as the client does by default (what a user sees, e.g. behind a load balancer).",
            discussion: "Without it each call is one attempt, and every failure is counted."))
    var retry = false
    @Option(
        name: .customLong("max-connections"),
        help: ArgumentHelp(
            "HTTP/2 pool sizes, comma-separated, each 1…1024: gRPC and rest-h2 open up to this many connections "
                + "(rest-h1 and urlsession keep one per caller and run at the first value only).",
            valueName: "list"))
    var maxConnections = "1"
    @Option(
        name: .customLong("streams-per-connection"),
        help: ArgumentHelp(
            "Streams a pooled connection carries before the pool opens another (1…\(Self.streamsLimit); "
                + "default: in-flight ÷ max-connections rounded up; never above the server's limit).",
            valueName: "n"))
    var streamsPerConnection: Int?
    @Option(
        help: ArgumentHelp(
            "Client observers, comma-separated: none (no observer set), counting (one that only counts events).",
            valueName: "list"))
    var observer = "none"
    @OptionGroup var proxy: ProxyOptions
    @OptionGroup var compression: CompressionOption
    @Flag(help: "Print the results as JSON instead of a table.")
    var json = false
    @Option(help: ArgumentHelp("Write a latency CDF of every run to this SVG file.", valueName: "file.svg"))
    var plot: String?

    var targets: [BenchTarget] {
        transport.split(separator: ",").compactMap { BenchTarget(String($0).trimmingCharacters(in: .whitespaces)) }
    }
    var concurrencies: [Int] {
        inFlight.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }
    var pools: [Int] {
        maxConnections.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }
    var observers: [BenchObserver] {
        observer.split(separator: ",").compactMap {
            BenchObserver(rawValue: $0.trimmingCharacters(in: .whitespaces).lowercased())
        }
    }
    static let streamsLimit = 100_000

    func validate() throws {
        let names = transport.split(separator: ",")
        guard !names.isEmpty, targets.count == names.count else {
            throw ValidationError("--transport: a comma-separated list of grpc, rest-h2, rest-h1, urlsession")
        }
        guard Set(targets).count == targets.count else { throw ValidationError("--transport: a wire is named twice") }
        let levels = inFlight.split(separator: ",")
        guard !levels.isEmpty, concurrencies.count == levels.count,
            concurrencies.allSatisfy({ (1...1024).contains($0) })
        else {
            throw ValidationError("--in-flight: a comma-separated list of whole numbers in 1…1024")
        }
        let poolSizes = maxConnections.split(separator: ",", omittingEmptySubsequences: false)
        guard pools.count == poolSizes.count, pools.allSatisfy({ (1...HTTP2Channel.connectionLimit).contains($0) })
        else {
            throw ValidationError(
                "--max-connections: a comma-separated list of whole numbers in 1…\(HTTP2Channel.connectionLimit), got '\(maxConnections.prefix(60))'"
            )
        }
        guard Set(pools).count == pools.count else {
            throw ValidationError("--max-connections: a value is named twice")
        }
        if let streamsPerConnection, !(1...Self.streamsLimit).contains(streamsPerConnection) {
            throw ValidationError(
                "--streams-per-connection must be a whole number in 1…\(Self.streamsLimit), got \(streamsPerConnection)"
            )
        }
        let observerNames = observer.split(separator: ",", omittingEmptySubsequences: false)
        guard observers.count == observerNames.count else {
            throw ValidationError("--observer: a comma-separated list of none, counting, got '\(observer.prefix(60))'")
        }
        guard Set(observers).count == observers.count else {
            throw ValidationError("--observer: a value is named twice")
        }
        guard (1...128).contains(annotationsPerCall) else {
            throw ValidationError("--annotations-per-call must be in 1…128")
        }
        guard (1...1000).contains(perPage) else { throw ValidationError("--per-page must be in 1…1000") }
        if duration != nil && calls != nil { throw ValidationError("give --duration or --calls, not both") }
        if let duration, !(duration.isFinite && duration > 0 && duration <= 3600) {
            throw ValidationError("--duration must be in (0, 3600] seconds")
        }
        if let calls, !(1...10_000_000).contains(calls) { throw ValidationError("--calls must be in 1…10,000,000") }
        guard warmUp.isFinite, (0...600).contains(warmUp) else {
            throw ValidationError("--warm-up must be in [0, 600] seconds")
        }
        if (userID == nil) != (appID == nil) { throw ValidationError("--user-id and --app-id go together") }
        if endpoint != nil && tls {
            throw ValidationError("--tls is for the embedded emulator; give https:// in --endpoint instead")
        }
        if let endpoint {
            do { _ = try Endpoint(endpoint) } catch { throw ValidationError("--endpoint: \(error.message)") }
            if key == nil { throw ValidationError("no key for --endpoint: give --pat or set CLARIFAI_PAT") }
            try checkKey(key, from: pat?.isEmpty == false ? "--pat" : "CLARIFAI_PAT")
        }
    }

    private var key: String? {
        if let pat, !pat.isEmpty { return pat }
        return ClientConfiguration.environmentKey
    }

    func run() async throws {
        try await reportingFailures(secrets: key.map { [$0] } ?? []) {
            try await measure()
        }
    }

    private func measure() async throws {
        var emulator: EmulatorProcess?
        defer { emulator?.stop() }
        let server: BenchServer
        if let endpoint {
            server = BenchServer(
                endpoint: endpoint, key: key ?? "",
                userAppID: userID.map { UserAppIDSet(userID: $0, appID: appID ?? "") },
                tls: TLSConfiguration(caFile: caFile, verifiesPeer: !insecure), proxy: try proxy.setting()
            )
        } else {
            let process = try EmulatorProcess(tls: tls, compression: compression.compression)
            emulator = process
            server = BenchServer(
                endpoint: tls ? process.tlsEndpoint ?? process.endpoint : process.endpoint, key: process.key,
                userAppID: userID.map { UserAppIDSet(userID: $0, appID: appID ?? "") },
                tls: TLSConfiguration(caFile: process.caFile)
            )
        }
        let workload = try await BenchWorkload(
            call: call, perCall: annotationsPerCall, perPage: perPage, server: server)
        let runDuration: Duration? = calls == nil ? .milliseconds(Int((duration ?? 3) * 1000)) : nil
        var results: [BenchResult] = []
        for level in concurrencies {
            for (poolIndex, pool) in pools.enumerated() {
                for target in targets {
                    // One connection per caller: a pool size does not apply, so once per level.
                    if !target.isPooled && poolIndex > 0 { continue }
                    for observer in observers {
                        if target == .urlSession && observer != .none { continue }
                        let setting = BenchPoolSetting(
                            maxConnections: pool, streamsPerConnection: streams(inFlight: level, pool: pool)
                        )
                        writeStandardError(
                            "bench: \(call.rawValue) over \(target), \(level) in flight\(describe(setting, target, observer))…"
                        )
                        if call == .delete {
                            // Enough for the warm-up and the run at emulator speed; against a real
                            // endpoint at most 5,000 beyond --calls (the run stops early, and says
                            // so, when they are used up).
                            let runCalls = calls ?? Int(min(300_000, (duration ?? 3) * 30_000))
                            var total = runCalls + Int(warmUp * 30_000)
                            if endpoint != nil { total = min(total, (calls ?? 0) + 5_000) }
                            try await workload.prepare(calls: total)
                        }
                        let result = try await run(
                            target, inFlight: level, pool: setting, observer: observer, workload: workload,
                            server: server,
                            duration: runDuration, serverPID: emulator?.process.processIdentifier
                        )
                        results.append(result)
                        try await workload.cleanUp()
                    }
                }
            }
        }
        await workload.finish()
        let report = BenchReport(
            call: call, annotationsPerCall: annotationsPerCall, perPage: perPage, endpoint: server.endpoint,
            embedded: endpoint == nil, warmUpSeconds: warmUp, durationSeconds: runDuration?.seconds, callsPerRun: calls,
            results: results
        )
        print(json ? report.json : report.table)
        if let plot {
            do {
                try BenchPlot.svg(report).write(toFile: plot, atomically: true, encoding: .utf8)
            } catch {
                throw IOFailure("cannot write \(plot): \(error.localizedDescription)")
            }
        }
        if let failed = results.first(where: { $0.calls == 0 }) {
            throw BenchError("\(failed.label): no call succeeded (\(failed.firstError ?? "no call made"))")
        }
    }

    /// The target of streams per pooled connection: as given, else ceil(in-flight / pool) so
    /// that the calls spread over the pool as `h2load -c N -m M` spreads them; nil (the
    /// server's limit) with one connection.
    private func streams(inFlight: Int, pool: Int) -> Int? {
        if let streamsPerConnection { return streamsPerConnection }
        return pool > 1 ? (inFlight + pool - 1) / pool : nil
    }

    private func describe(_ pool: BenchPoolSetting, _ target: BenchTarget, _ observer: BenchObserver) -> String {
        var text = ""
        if target.isPooled && (pools.count > 1 || pool.maxConnections > 1) {
            text += ", \(pool.maxConnections) connection\(pool.maxConnections == 1 ? "" : "s") at most"
            if let streams = pool.streamsPerConnection { text += " (\(streams) streams each)" }
        }
        if observers.count > 1 || observer != .none { text += ", observer \(observer.rawValue)" }
        return text
    }

    private func run(
        _ target: BenchTarget, inFlight: Int, pool: BenchPoolSetting, observer: BenchObserver, workload: BenchWorkload,
        server: BenchServer, duration: Duration?, serverPID: Int32?
    ) async throws -> BenchResult {
        let warmUp = Duration.milliseconds(Int(self.warmUp * 1000))
        switch target {
        case .client(let transport):
            var configuration = ClientConfiguration()
            configuration.endpoint = server.endpoint
            configuration.key = server.key
            configuration.userAppID = server.userAppID
            configuration.tls = server.tls
            configuration.connection.proxy = server.proxy
            configuration.connection.compression = compression.compression
            configuration.transport = transport
            // Failures are counted, not hidden behind retries, unless asked.
            configuration.retryPolicy = retry ? RetryPolicy() : .none
            let counter = TrafficCounter()
            configuration.connection.trafficCounter = counter
            // REST over HTTP/1.1: one connection per caller, whatever the pool size.
            configuration.connection.maxHTTP1Connections = inFlight
            configuration.connection.maxConnections = pool.maxConnections
            configuration.connection.targetStreamsPerConnection = pool.streamsPerConnection
            let connections = ConnectionTally()
            configuration.connection.eventHandler = connections.handler
            let counting = observer == .counting ? CountingObserver() : nil
            configuration.observer = counting
            let client = try AnnotationsClient(configuration: configuration)
            defer { client.close() }
            var result = await BenchRun.measure(
                target: target.description, inFlight: inFlight, warmUp: warmUp, duration: duration, calls: calls,
                traffic: { (counter.sent, counter.received) }, events: counting.map { counting in { counting.events } },
                serverPID: serverPID, operation: workload.operation(client)
            )
            result.observer = observer
            if target.isPooled {
                result.maxConnections = pool.maxConnections
                result.streamsPerConnection = pool.streamsPerConnection
                result.connectionsOpened = connections.opened
            }
            return result
        case .urlSession:
            if server.tls.caFile != nil || !server.tls.verifiesPeer {
                throw BenchError(
                    "urlsession trusts only the system's CAs here: use a plaintext endpoint (or drop --tls) for it",
                    status: ExitStatus.usage)
            }
            let configuration = URLSessionConfiguration.ephemeral
            configuration.httpMaximumConnectionsPerHost = inFlight
            configuration.timeoutIntervalForRequest = 30
            let session = URLSession(configuration: configuration)
            defer { session.invalidateAndCancel() }
            return await BenchRun.measure(
                target: target.description, inFlight: inFlight, warmUp: warmUp, duration: duration, calls: calls,
                traffic: nil, serverPID: serverPID, operation: try workload.operation(session, server: server)
            )
        }
    }
}

extension BenchCall: ExpressibleByArgument {}
