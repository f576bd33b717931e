import AnnotationsRPC
import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import H2Transport
import ProtoWire

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "gRPC against REST: the same typed calls over each wire, with latency percentiles, throughput, bytes and CPU.",
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

            Examples:
              annotations bench --call list --per-page 128 --in-flight 1,64 --plot list.svg
              annotations bench --tls --transport grpc --call post --calls 2000 --json

            \(ExitStatus.demoHelp)
            """
    )

    @Option(help: ArgumentHelp("The server (default: an embedded emulator on loopback).", valueName: "url"))
    var endpoint: String?
    @Flag(help: "Run the embedded emulator over TLS (its generated certificate is trusted).")
    var tls = false
    @Option(help: ArgumentHelp(
        "Key for --endpoint (default: $CLARIFAI_PAT; other users can read a key given here in 'ps').",
        valueName: "key"))
    var pat: String?
    @Option(name: .customLong("user-id"), help: ArgumentHelp("With --app-id: the app to work in.", valueName: "id"))
    var userID: String?
    @Option(name: .customLong("app-id"), help: ArgumentHelp("With --user-id: the app to work in.", valueName: "id"))
    var appID: String?
    @Option(name: .customLong("ca-file"), help: ArgumentHelp("PEM CA certificates to trust for --endpoint.", valueName: "pem"))
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
    @Option(name: .customLong("in-flight"), help: ArgumentHelp("Concurrent callers per run, comma-separated.", valueName: "list"))
    var inFlight = "1,16,64"
    @Option(help: ArgumentHelp("Seconds each run lasts (default 3, unless --calls is given).", valueName: "seconds"))
    var duration: Double?
    @Option(help: ArgumentHelp("Calls each run makes, instead of --duration.", valueName: "n"))
    var calls: Int?
    @Option(name: .customLong("warm-up"), help: ArgumentHelp("Seconds of calls before each run, not counted.", valueName: "seconds"))
    var warmUp = 0.5
    @Flag(help: ArgumentHelp(
        "Retry failed calls as the client does by default (what a user sees, e.g. behind a load balancer).",
        discussion: "Without it each call is one attempt, and every failure is counted."))
    var retry = false
    @OptionGroup var proxy: ProxyOptions
    @Flag(help: "Print the results as JSON instead of a table.")
    var json = false
    @Option(help: ArgumentHelp("Write a latency CDF of every run to this SVG file.", valueName: "file.svg"))
    var plot: String?

    var targets: [BenchTarget] { transport.split(separator: ",").compactMap { BenchTarget(String($0).trimmingCharacters(in: .whitespaces)) } }
    var concurrencies: [Int] { inFlight.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        let names = transport.split(separator: ",")
        guard !names.isEmpty, targets.count == names.count else {
            throw ValidationError("--transport: a comma-separated list of grpc, rest-h2, rest-h1, urlsession")
        }
        guard Set(targets).count == targets.count else { throw ValidationError("--transport: a wire is named twice") }
        let levels = inFlight.split(separator: ",")
        guard !levels.isEmpty, concurrencies.count == levels.count, concurrencies.allSatisfy({ (1...1024).contains($0) }) else {
            throw ValidationError("--in-flight: a comma-separated list of whole numbers in 1…1024")
        }
        guard (1...128).contains(annotationsPerCall) else { throw ValidationError("--annotations-per-call must be in 1…128") }
        guard (1...1000).contains(perPage) else { throw ValidationError("--per-page must be in 1…1000") }
        if duration != nil && calls != nil { throw ValidationError("give --duration or --calls, not both") }
        if let duration, !(duration.isFinite && duration > 0 && duration <= 3600) {
            throw ValidationError("--duration must be in (0, 3600] seconds")
        }
        if let calls, !(1...10_000_000).contains(calls) { throw ValidationError("--calls must be in 1…10,000,000") }
        guard warmUp.isFinite, (0...600).contains(warmUp) else { throw ValidationError("--warm-up must be in [0, 600] seconds") }
        if (userID == nil) != (appID == nil) { throw ValidationError("--user-id and --app-id go together") }
        if endpoint != nil && tls { throw ValidationError("--tls is for the embedded emulator; give https:// in --endpoint instead") }
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
                endpoint: endpoint, key: key ?? "", userAppID: userID.map { UserAppIDSet(userID: $0, appID: appID ?? "") },
                tls: TLSConfiguration(caFile: caFile, verifiesPeer: !insecure), proxy: try proxy.setting()
            )
        } else {
            let process = try EmulatorProcess(tls: tls)
            emulator = process
            server = BenchServer(
                endpoint: tls ? process.tlsEndpoint ?? process.endpoint : process.endpoint, key: process.key,
                userAppID: userID.map { UserAppIDSet(userID: $0, appID: appID ?? "") },
                tls: TLSConfiguration(caFile: process.caFile)
            )
        }
        let workload = try await BenchWorkload(call: call, perCall: annotationsPerCall, perPage: perPage, server: server)
        let runDuration: Duration? = calls == nil ? .milliseconds(Int((duration ?? 3) * 1000)) : nil
        var results: [BenchResult] = []
        for level in concurrencies {
            for target in targets {
                writeStandardError("bench: \(call.rawValue) over \(target), \(level) in flight…")
                if call == .delete {
                    // Enough for the warm-up and the run at emulator speed; against a real endpoint
                    // at most 5,000 beyond --calls (the run stops early, and says so, when they are
                    // used up).
                    let runCalls = calls ?? Int(min(300_000, (duration ?? 3) * 30_000))
                    var total = runCalls + Int(warmUp * 30_000)
                    if endpoint != nil { total = min(total, (calls ?? 0) + 5_000) }
                    try await workload.prepare(calls: total)
                }
                let result = try await run(
                    target, inFlight: level, workload: workload, server: server, duration: runDuration,
                    serverPID: emulator?.process.processIdentifier
                )
                results.append(result)
                try await workload.cleanUp()
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
            throw BenchError("\(failed.target) ×\(failed.inFlight): no call succeeded (\(failed.firstError ?? "no call made"))")
        }
    }

    private func run(
        _ target: BenchTarget, inFlight: Int, workload: BenchWorkload, server: BenchServer, duration: Duration?,
        serverPID: Int32?
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
            configuration.transport = transport
            // Failures are counted, not hidden behind retries, unless asked.
            configuration.retryPolicy = retry ? RetryPolicy() : .none
            let counter = TrafficCounter()
            configuration.connection.trafficCounter = counter
            configuration.connection.maxHTTP1Connections = inFlight
            let client = try AnnotationsClient(configuration: configuration)
            defer { client.close() }
            return await BenchRun.measure(
                target: target.description, inFlight: inFlight, warmUp: warmUp, duration: duration, calls: calls,
                traffic: { (counter.sent, counter.received) }, serverPID: serverPID, operation: workload.operation(client)
            )
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
