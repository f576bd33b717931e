import AnnotationsRPC
import Foundation
import ProtoWire
import TestPeers
import Testing

/// Suites that start peers: one at a time on a 2-core machine.
@Suite(.serialized) enum NetworkTests {}

/// A `clarifai_v2_server.py` (the official clarifai-grpc stubs) that records every request.
final class V2Server: Sendable {
    let peer: PeerProcess
    let recordPath: String

    init(script: [String] = [], apiKey: String? = nil) throws {
        let directory = FileManager.default.temporaryDirectory
        recordPath = directory.appendingPathComponent("v2-record-\(UUID()).jsonl").path
        var arguments = ["--record", recordPath]
        if !script.isEmpty {
            let scriptPath = directory.appendingPathComponent("v2-script-\(UUID()).jsonl").path
            try script.joined(separator: "\n").write(toFile: scriptPath, atomically: true, encoding: .utf8)
            arguments += ["--script", scriptPath]
        }
        if let apiKey { arguments += ["--api-key", apiKey] }
        peer = try PeerProcess("clarifai_v2_server.py", arguments)
    }

    func client(key: String? = "test-key", configure: (inout ClientConfiguration) -> Void = { _ in }) throws
        -> AnnotationsClient
    {
        var configuration = ClientConfiguration()
        configuration.endpoint = "h2c://127.0.0.1:\(peer.port)"
        configuration.key = key
        configuration.userAppID = UserAppIDSet(userID: "{YOUR_USER_ID}", appID: "{YOUR_APP_ID}")
        configuration.retryPolicy.initialBackoff = .milliseconds(10)
        configuration.defaultTimeout = .seconds(10)
        configure(&configuration)
        return try AnnotationsClient(configuration: configuration)
    }

    struct Record {
        let method: String
        /// The request as the official classes decoded and re-serialised it.
        let request: [UInt8]
        /// The exact bytes our client sent.
        let raw: [UInt8]
        let metadata: [String: Any]
    }

    func records() -> [Record] {
        let text = (try? String(contentsOfFile: recordPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let entry = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                return nil
            }
            func bytes(_ key: String) -> [UInt8] {
                (entry[key] as? String).flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) } ?? []
            }
            return Record(
                method: entry["method"] as? String ?? "", request: bytes("request_b64"), raw: bytes("raw_b64"),
                metadata: entry["metadata"] as? [String: Any] ?? [:]
            )
        }
    }
}
