import AnnotationsEmulator
import ArgumentParser
import Foundation
import H2Transport
import ProtoWire
import Synchronization

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the local Clarifai annotations emulator (gRPC + REST).",
        discussion: """
            Plaintext port: gRPC over h2c, REST over h2c and HTTP/1.1 (told apart by the first bytes). \
            TLS port: the same with ALPN h2 and http/1.1; without --cert/--key a self-signed certificate \
            for localhost and 127.0.0.1 is made at start-up (with the openssl CLI) and its path printed, \
            to pass to clients as their CA file. The first stdout line says where it listens. Stops on \
            SIGINT or SIGTERM.

            Fault injection: a request header x-emulator-fault: try-again|throttle|unavailable|goaway|drop|sleep-ms=N \
            (N from 0 to \(InjectedFault.maxSleepMilliseconds)); any other non-empty value is refused (gRPC \
            INVALID_ARGUMENT, HTTP 400).

            Connections: each has --header-timeout seconds for its TLS handshake and first request head (and \
            each later HTTP/1.1 head once begun), and is closed after --idle-timeout seconds without traffic \
            (HTTP/2 with GOAWAY). At --max-connections-per-peer from one address (IPv6: one /64), or \
            --max-connections in all, a new connection takes the place of the one idle the longest, or is \
            closed when none is idle. HTTP/1.1 requests are framed strictly (RFC 9112): one Content-Length of \
            digits, or Transfer-Encoding: chunked; anything ambiguous is answered 400 and the connection closed; \
            Expect: 100-continue is answered at once. Each HTTP/2 connection takes --max-concurrent-streams \
            streams at once (its SETTINGS_MAX_CONCURRENT_STREAMS); a stream beyond it is refused with \
            RST_STREAM REFUSED_STREAM while the client has not acknowledged those SETTINGS, and ends the \
            connection (GOAWAY PROTOCOL_ERROR) once it has.

            Call log: with --call-log FILE, every call answered (gRPC and REST, both ports) appends one JSON \
            object line to FILE as it is answered: {"time": unix seconds with microseconds, "method": the RPC \
            (PostAnnotations) or, when the request names none, the HTTP method and path, "wire": "grpc", \
            "rest-h2" or "rest-h1", "connection": the connection's number (from 1, per process), "status": the \
            Clarifai status code (for a gRPC call ended with a gRPC status of its own: the HTTP status)}, plus \
            "grpc_status" for gRPC calls and "fault" when one was injected.

            Example:
              annotations serve --port 8080 --tls-port 8443 --api-key secret --fixtures seed.jsonl
              curl -H 'Authorization: Key secret' http://127.0.0.1:8080/v2/annotations
            """
    )

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @OptionGroup(title: "Compression (of answers to clients that accept gzip)") var compression: CompressionOption
    @Option(help: "Plaintext port, 0…65535 (0: any free port).") var port = 0
    @Option(help: "TLS port, 0…65535 (off unless given; 0: any free port).") var tlsPort: Int?
    @Option(help: "PEM certificate chain for the TLS port.") var cert: String?
    @Option(help: "PEM private key for the TLS port.") var key: String?
    @Option(
        help: """
            Accept only this key (default: $ANNOTATIONS_SERVE_API_KEY, else any non-empty key). Other users \
            can read a key given here in 'ps': prefer the variable.
            """) var apiKey: String?
    @Option(help: "Annotations to store at start-up, one REST-shaped JSON object per line, kept verbatim.")
    var fixtures: String?
    @Option(help: "User of the fixtures' app and of requests that name none.") var userID = AnnotationStore
        .standardDefaultApp.userID
    @Option(help: "App of the fixtures and of requests that name none.") var appID = AnnotationStore.standardDefaultApp
        .appID
    @Option(
        name: .customLong("fault-rate"),
        help: ArgumentHelp(
            "Share of calls (0…1) answered with a random fault of --faults, for client tests.", valueName: "rate"))
    var faultRate = 0.0
    @Option(
        help: ArgumentHelp(
            "Faults --fault-rate picks from: try-again, throttle, unavailable, goaway, drop, sleep-ms=N.",
            valueName: "list"))
    var faults = "try-again,throttle,unavailable,goaway,drop"
    @Option(name: .customLong("fault-seed"), help: "Seed of the fault decisions (the same seed, the same sequence).")
    var faultSeed: UInt64 = 1
    @Option(
        help: ArgumentHelp(
            "Seconds for a connection's TLS handshake and first request head, and for each later HTTP/1.1 head once begun (0.001…86400).",
            valueName: "seconds"))
    var headerTimeout = ServerLimits().headerTimeout
    @Option(
        help: ArgumentHelp(
            "Seconds without traffic after which a connection is closed, HTTP/2 with GOAWAY (0.001…86400).",
            valueName: "seconds"))
    var idleTimeout = ServerLimits().idleTimeout
    @Option(
        help: ArgumentHelp(
            "Connections open at once, per port (1…\(Self.maxConnectionsLimit)).", valueName: "n"))
    var maxConnections = ServerLimits().maxConnections
    @Option(
        help: ArgumentHelp(
            "Connections open at once from one address, IPv6: one /64 (1…--max-connections).", valueName: "n"))
    var maxConnectionsPerPeer = ServerLimits().maxConnectionsPerPeer
    @Option(
        help: ArgumentHelp(
            "Streams a client may have open at once on one HTTP/2 connection, its SETTINGS_MAX_CONCURRENT_STREAMS (1…\(Self.maxConcurrentStreamsLimit)).",
            valueName: "n"))
    var maxConcurrentStreams = Int(ServerLimits().maxConcurrentStreams)
    @Option(
        help: ArgumentHelp(
            "Append a JSON line per call answered (time, method, wire, connection, status) to this file, as each is answered.",
            valueName: "file"))
    var callLog: String?

    static let maxConnectionsLimit = 1 << 20
    /// Stream ids are 31 bits (RFC 9113 §5.1.1).
    static let maxConcurrentStreamsLimit = Int(Int32.max)
    static let maxTimeout = 86_400.0

    /// The limits the flags ask for (checked by `validate()`).
    var limits: ServerLimits {
        var limits = ServerLimits()
        limits.headerTimeout = headerTimeout
        limits.idleTimeout = idleTimeout
        limits.maxConnections = maxConnections
        limits.maxConnectionsPerPeer = maxConnectionsPerPeer
        limits.maxConcurrentStreams = UInt32(clamping: maxConcurrentStreams)
        return limits
    }

    func validate() throws {
        // Checked here: the socket layer would take 70000 as 70000 mod 65536.
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0…65535, got \(port)") }
        if let tlsPort, !(0...65535).contains(tlsPort) {
            throw ValidationError("--tls-port must be in 0…65535, got \(tlsPort)")
        }
        for (flag, seconds) in [("--header-timeout", headerTimeout), ("--idle-timeout", idleTimeout)]
        where !(seconds.isFinite && seconds >= 0.001 && seconds <= Self.maxTimeout) {
            throw ValidationError(
                "\(flag) must be a number of seconds from 0.001 to \(Int(Self.maxTimeout)), got \(seconds)")
        }
        guard (1...Self.maxConnectionsLimit).contains(maxConnections) else {
            throw ValidationError("--max-connections must be in 1…\(Self.maxConnectionsLimit), got \(maxConnections)")
        }
        guard (1...maxConnections).contains(maxConnectionsPerPeer) else {
            throw ValidationError(
                "--max-connections-per-peer must be in 1…\(maxConnections) (--max-connections), got \(maxConnectionsPerPeer)"
            )
        }
        guard (1...Self.maxConcurrentStreamsLimit).contains(maxConcurrentStreams) else {
            throw ValidationError(
                "--max-concurrent-streams must be in 1…\(Self.maxConcurrentStreamsLimit), got \(maxConcurrentStreams)")
        }
        if let callLog {
            // stdout carries the listening line a parent waits for: the log cannot share it.
            guard callLog != "-" else {
                throw ValidationError("--call-log needs a file path: '-' (stdout) is not allowed")
            }
            guard !callLog.isEmpty else { throw ValidationError("--call-log needs a file path, got an empty one") }
        }
        if (cert == nil) != (key == nil) { throw ValidationError("--cert and --key go together") }
        if cert != nil && tlsPort == nil { throw ValidationError("--cert/--key need --tls-port") }
        guard faultRate.isFinite, (0...1).contains(faultRate) else {
            throw ValidationError("--fault-rate must be in [0, 1]")
        }
        for name in faults.split(separator: ",") where InjectedFault(headerValue: String(name)) == nil {
            throw ValidationError(
                "--faults: unknown fault '\(name.prefix(40))'; expected \(InjectedFault.expectedValues)")
        }
    }

    func run() async throws {
        let app = UserAppIDSet(userID: userID, appID: appID)
        let environmentKey = ProcessInfo.processInfo.environment["ANNOTATIONS_SERVE_API_KEY"].flatMap {
            $0.isEmpty ? nil : $0
        }
        let store = AnnotationStore(apiKey: apiKey ?? environmentKey, defaultApp: app)
        if let fixtures { try load(fixtures, into: store, app: app) }
        let callLogFile: CallLogFile?
        do {
            callLogFile = try callLog.map { (path) throws(CallLogFile.OpenError) in try CallLogFile(path: path) }
        } catch {
            throw ValidationError("--call-log: \(error)")
        }
        var tls: ServerTLSConfiguration?
        var generatedCA: String?
        if tlsPort != nil {
            if let cert, let key {
                tls = ServerTLSConfiguration(certificateFile: cert, keyFile: key)
            } else {
                let (configuration, caPath) = try SelfSignedCertificate.make(host: host)
                tls = configuration
                generatedCA = caPath
            }
        }
        let randomFaults =
            faultRate > 0
            ? RandomFaults(
                rate: faultRate,
                faults: faults.split(separator: ",").compactMap { InjectedFault(headerValue: String($0)) },
                seed: faultSeed)
            : nil
        let emulator = try Emulator(
            host: host, port: port, tlsPort: tlsPort, tls: tls, store: store, randomFaults: randomFaults,
            limits: limits,
            compression: compression.compression, callLog: callLogFile?.append
        )
        // Signals are caught before the banner: a parent may send SIGTERM as soon as it reads it.
        let termination = Termination()
        var banner = "listening grpc+rest \(emulator.endpoint)"
        if let tlsEndpoint = emulator.tlsEndpoint { banner += " \(tlsEndpoint)" }
        // Written straight to the descriptor: a parent waiting for this line must not wait on a buffer.
        var lines = banner + "\n"
        if let generatedCA { lines += "self-signed certificate (use as CA file): \(generatedCA)\n" }
        FileHandle.standardOutput.write(Data(lines.utf8))
        await termination.wait()
        emulator.stop()
        if let randomFaults {
            let counts = randomFaults.injected.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
            FileHandle.standardError.write(Data("faults injected: \(counts.isEmpty ? "none" : counts)\n".utf8))
        }
        if let callLogFile, case (let count, let reason?) = callLogFile.failedWrites, count > 0 {
            FileHandle.standardError.write(
                Data("call log \(callLogFile.path): lines not written: \(count) (the last because: \(reason))\n".utf8))
        }
        if let generatedCA {
            try? FileManager.default.removeItem(atPath: (generatedCA as NSString).deletingLastPathComponent)
        }
    }

    private func load(_ path: String, into store: AnnotationStore, app: UserAppIDSet) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var annotations: [Annotation] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                annotations.append(try Annotation(jsonString: String(line)))
            } catch {
                throw ValidationError("\(path):\(index + 1): \(error)")
            }
        }
        store.load(annotations, app: app)
    }

}

/// SIGINT and SIGTERM, caught from creation on (see `CaughtSignals`) and delivered to whoever waits.
private final class Termination: Sendable {
    private final class State: Sendable {
        let mutex = Mutex<(signalled: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))
    }
    private let state = State()

    init() {
        let state = self.state
        CaughtSignals.catch([SIGINT, SIGTERM]) { _ in
            let waiter = state.mutex.withLock { state -> CheckedContinuation<Void, Never>? in
                state.signalled = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.mutex.withLock { state -> Bool in
                if state.signalled { return true }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}

/// A throwaway CA-less certificate for `serve --tls-port` without `--cert`.
enum SelfSignedCertificate {
    static func make(host: String) throws -> (ServerTLSConfiguration, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "annotations-emulator-\(getpid())"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let cert = "\(directory)/cert.pem"
        let key = "\(directory)/key.pem"
        var names = "DNS:localhost,IP:127.0.0.1"
        if host != "127.0.0.1" && host != "localhost" && !host.isEmpty && host != "0.0.0.0" {
            names += host.allSatisfy({ $0.isNumber || $0 == "." }) ? ",IP:\(host)" : ",DNS:\(host)"
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", cert, "-days", "30", "-subj", "/CN=localhost", "-addext", "subjectAltName=\(names)",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError("could not make a self-signed certificate with openssl; pass --cert and --key")
        }
        return (ServerTLSConfiguration(certificateFile: cert, keyFile: key), cert)
    }
}
