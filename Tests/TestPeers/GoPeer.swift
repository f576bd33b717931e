import Foundation

/// The Go `clarifai.api.V2` peer (`Tests/Peers/go_v2_server`, on Debian's grpc-go 1.33), a third
/// server stack next to grpcio and the emulator.
///
/// `start` builds it first with its `build.sh` (once per test process; a few milliseconds when
/// `.build-go/go_v2_server` is up to date with its sources and `protos/`, about 25 s on a fresh
/// machine, which `make test` does before the Swift tests), then starts it as a `PeerProcess`.
/// `stop()` returns its exit summary, `CONNECTIONS <k> CALLS <n> STREAMS <m> CANCELLED <c>
/// PING_STRIKEOUTS <p>` (see `summary(of:)`).
///
/// ```swift
/// let peer = try GoPeer.start(["--max-connection-age-ms", "300", "--max-connection-age-grace-ms", "1000"])
/// // ... calls to 127.0.0.1:\(peer.port) ...
/// let counters = GoPeer.summary(of: peer.stop())  // ["CONNECTIONS": 10, "CALLS": 272, ...]
/// ```
public enum GoPeer {
    /// The build script: `build.sh [OUT] [--force]` prints the binary's path as its last line.
    public static let buildScript = PeerProcess.repository.appendingPathComponent("Tests/Peers/go_v2_server/build.sh")

    /// How long the build may take (a first build compiles grpc-go and protobuf-go).
    public static let buildTimeout: Double = 300

    private static let built: Result<URL, PeerError> = Result { try build() }.mapError {
        $0 as? PeerError ?? PeerError(description: "go_v2_server build: \($0)")
    }

    /// The peer's binary, built (once per process) when missing or out of date.
    public static func binary() throws -> URL { try built.get() }

    /// Starts the peer with `--max-seconds 300` and `arguments` (its flags: `--tls CERT KEY`,
    /// `--api-key`, `--max-connection-age-ms`, `--max-connection-age-grace-ms`,
    /// `--keepalive-min-time-ms`, `--permit-without-stream`, `--max-concurrent-streams`,
    /// `--stream-interval-ms`, ...; `go_v2_server -h` lists them all).
    public static func start(_ arguments: [String] = [], timeout: Double = 30) throws -> PeerProcess {
        try PeerProcess(
            executable: binary(), ["--max-seconds", "300"] + arguments, name: "go_v2_server", timeout: timeout)
    }

    /// The counters of the summary line that `PeerProcess.stop()` returned; empty when there is
    /// none (the peer was killed).
    public static func summary(of stdout: String) -> [String: Int] {
        guard let line = stdout.split(separator: "\n").last(where: { $0.hasPrefix("CONNECTIONS ") }) else {
            return [:]
        }
        let words = line.split(separator: " ")
        var counters: [String: Int] = [:]
        for index in stride(from: 0, to: words.count - 1, by: 2) {
            if let value = Int(words[index + 1]) { counters[String(words[index])] = value }
        }
        return counters
    }

    private static func build() throws -> URL {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [buildScript.path]
        process.standardInput = FileHandle.nullDevice
        // Files, not pipes: a long compiler error could fill a pipe that is read only at the end.
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("go-peer-build-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outPath = directory.appendingPathComponent("stdout")
        let errPath = directory.appendingPathComponent("stderr")
        guard FileManager.default.createFile(atPath: outPath.path, contents: nil),
            FileManager.default.createFile(atPath: errPath.path, contents: nil)
        else { throw PeerError(description: "cannot create the build's output files in \(directory.path)") }
        let out = try FileHandle(forWritingTo: outPath)
        let err = try FileHandle(forWritingTo: errPath)
        defer {
            try? out.close()
            try? err.close()
        }
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = Date().addingTimeInterval(buildTimeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw PeerError(description: "go_v2_server build.sh did not finish within \(Int(buildTimeout)) s")
        }
        process.waitUntilExit()
        let stdout = (try? String(contentsOf: outPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: errPath, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0,
            let path = stdout.split(separator: "\n").last.map(String.init), !path.isEmpty
        else {
            throw PeerError(description: "go_v2_server build.sh failed (\(process.terminationStatus)): \(stderr)")
        }
        return URL(fileURLWithPath: path)
    }
}
