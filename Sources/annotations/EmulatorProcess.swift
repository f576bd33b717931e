import Foundation
import H2Transport

/// `annotations serve` started as a child process on loopback ephemeral ports, so that a
/// benchmark's CPU figures are the client's alone.
final class EmulatorProcess {
    let process = Process()
    let endpoint: String
    let tlsEndpoint: String?
    /// The generated certificate to trust for `tlsEndpoint`.
    let caFile: String?
    let key: String

    /// - Parameter compression: passed to `serve --compression`: whether it compresses its answers.
    init(tls: Bool, compression: MessageCompression = .none, timeout: Double = 20) throws {
        key = "bench-\(UInt64.random(in: 0...UInt64.max))"
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.executableURL = executable
        process.arguments =
            ["serve", "--host", "127.0.0.1", "--port", "0", "--api-key", key]
            + (tls ? ["--tls-port", "0"] : []) + (compression.encoding.map { ["--compression", $0] } ?? [])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let wanted = tls ? 2 : 1
        var text = ""
        let deadline = Date().addingTimeInterval(timeout)
        while text.split(separator: "\n").count < wanted, Date() < deadline, process.isRunning {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let lines = text.split(separator: "\n").map(String.init)
        guard let banner = lines.first, banner.hasPrefix("listening grpc+rest ") else {
            process.terminate()
            throw BenchError(
                "the embedded emulator did not start (said '\(text.prefix(200))')", status: ExitStatus.transport)
        }
        let endpoints = banner.dropFirst("listening grpc+rest ".count).split(separator: " ").map(String.init)
        endpoint = endpoints[0]
        tlsEndpoint = endpoints.count > 1 ? endpoints[1] : nil
        caFile = lines.count > 1 ? lines[1].components(separatedBy: ": ").last : nil
        if tls, tlsEndpoint == nil || caFile == nil {
            process.terminate()
            throw BenchError("the embedded emulator named no TLS endpoint or certificate", status: ExitStatus.transport)
        }
    }

    /// Stops the emulator (SIGTERM) and waits for it.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }
}
