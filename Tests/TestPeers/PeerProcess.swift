import Foundation

/// A test peer from `Tests/Peers/`, started as a child process on an ephemeral loopback port.
///
/// The peer prints `PORT <n>` once it listens; it exits when stopped (SIGTERM), when its stdin
/// closes (this process died), or after its own `--max-seconds`.
public final class PeerProcess: @unchecked Sendable {
    let process = Process()
    public let port: Int
    private let stdin = Pipe()
    private let stdout = Pipe()
    private let stderr = Pipe()

    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Starts the Python peer `Tests/Peers/<script>` with `--max-seconds 300` and `arguments`.
    public convenience init(_ script: String, _ arguments: [String] = [], timeout: Double = 30) throws {
        let path = PeerProcess.repository.appendingPathComponent("Tests/Peers/\(script)").path
        try self.init(
            executable: URL(fileURLWithPath: "/usr/bin/env"), ["python3", path, "--max-seconds", "300"] + arguments,
            name: script, timeout: timeout)
    }

    /// Starts any executable that follows the peers' contract (`PORT <n>` on stdout, stops on
    /// SIGTERM and on stdin EOF), such as the Go peer's binary (`GoPeer.start`). `arguments` are
    /// passed as they are; `name` is what errors call the peer (default: the file name).
    public init(executable: URL, _ arguments: [String] = [], name: String? = nil, timeout: Double = 30) throws {
        let script = name ?? executable.lastPathComponent
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        var port: Int?
        var buffer = ""
        let deadline = Date().addingTimeInterval(timeout)
        let handle = stdout.fileHandleForReading
        while port == nil, Date() < deadline, process.isRunning {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer += String(decoding: chunk, as: UTF8.self)
            for line in buffer.split(separator: "\n") where line.hasPrefix("PORT ") {
                port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespaces))
            }
        }
        guard let port else {
            process.terminate()
            let errors = String(decoding: stderr.fileHandleForReading.availableData, as: UTF8.self)
            throw PeerError(description: "\(script) did not report its port: \(errors)")
        }
        self.port = port
    }

    /// The rest of the peer's stdout after it stopped (e.g. `MAXOPEN 4`).
    @discardableResult
    public func stop() -> String {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        return String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    deinit { _ = stop() }
}

public struct PeerError: Error, CustomStringConvertible {
    public let description: String
}

/// TLS material made by `Tests/Peers/make_certs.sh` once per test run.
public enum TestCertificates {
    public static let directory: String = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("h2transport-certs-\(getpid())")
            .path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [
            PeerProcess.repository.appendingPathComponent("Tests/Peers/make_certs.sh").path, directory,
        ]
        process.standardOutput = FileHandle.nullDevice
        try? process.run()
        process.waitUntilExit()
        return directory
    }()

    public static func path(_ name: String) -> String { "\(directory)/\(name)" }
}
