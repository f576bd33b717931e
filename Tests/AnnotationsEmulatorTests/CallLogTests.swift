import Foundation
import ProtoWire
import Synchronization
import Testing

@testable import AnnotationsEmulator

/// `Emulator(callLog:)` and `CallLogFile`: what is recorded of each call, and how it is written.
@Suite(.timeLimit(.minutes(1)))
struct CallLogTests {
    @Test func aRecordIsOneLineOfJSON() {
        let record = CallRecord(
            time: 1_754_400_000.1234567, method: "PostAnnotations", wire: .grpc, connectionID: 3, status: 10000,
            grpcStatus: 0
        )
        #expect(
            record.jsonLine
                == #"{"time":1754400000.123457,"method":"PostAnnotations","wire":"grpc","connection":3,"status":10000,"grpc_status":0}"#
        )
        let rest = CallRecord(
            time: 7, method: "GET /v2/\"odd\"\n", wire: .restHTTP1, connectionID: 12, status: 11005, fault: .throttle
        )
        #expect(
            rest.jsonLine
                == #"{"time":7.000000,"method":"GET /v2/\"odd\"\n","wire":"rest-h1","connection":12,"status":11005,"fault":"throttle"}"#
        )
    }

    @Test func aFileGetsALinePerRecordAppended() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("call-log-\(UUID().uuidString).jsonl")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("earlier\n".utf8).write(to: URL(fileURLWithPath: path))
        let log = try CallLogFile(path: path)
        DispatchQueue.concurrentPerform(iterations: 200) { index in
            log.append(
                CallRecord(time: 1, method: "ListAnnotations", wire: .restHTTP2, connectionID: index, status: 10000))
        }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 201)
        #expect(lines.first == "earlier")
        #expect(Set(lines.dropFirst()).count == 200, "whole lines, none torn or lost")
        #expect(log.failedWrites.count == 0)
        #expect(throws: CallLogFile.OpenError.self) { try CallLogFile(path: "/nonexistent-directory/calls.jsonl") }
    }

    @Test func grpcAndRESTCallsAreRecordedWithTheirWireAndConnection() throws {
        let records = Mutex<[CallRecord]>([])
        let emulator = try Emulator(callLog: { record in records.withLock { $0.append(record) } })
        defer { emulator.stop() }
        let base = "http://127.0.0.1:\(emulator.port)"
        let started = Date().timeIntervalSince1970
        // gRPC ListAnnotations with an empty request message, then an unknown method, each on a
        // connection of its own (one curl each).
        let message = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString).grpc")
            .path
        defer { try? FileManager.default.removeItem(atPath: message) }
        try Data([0, 0, 0, 0, 0]).write(to: URL(fileURLWithPath: message))
        let grpc = [
            "--http2-prior-knowledge", "-H", "content-type: application/grpc", "-H", "te: trailers",
            "-H", "authorization: Key k", "--data-binary", "@\(message)", "-o", "/dev/null",
        ]
        try curl(grpc + ["\(base)/clarifai.api.V2/ListAnnotations"])
        try curl(grpc + ["\(base)/clarifai.api.V2/PostInputs"])
        // REST over HTTP/1.1: two on one keep-alive connection; and one over HTTP/2.
        try curl([
            "-H", "authorization: Key k", "-o", "/dev/null", "\(base)/v2/annotations",
            "--next", "-o", "/dev/null", "\(base)/v2/nothing?per_page=1",
        ])
        try curl([
            "--http2-prior-knowledge", "-H", "authorization: Key k", "-H", "x-emulator-fault: throttle",
            "-o", "/dev/null", "\(base)/v2/annotations",
        ])
        let seen = records.withLock { $0 }
        try #require(seen.count == 5, "\(seen)")
        #expect(
            seen.map(\.method) == [
                "ListAnnotations", "POST /clarifai.api.V2/PostInputs", "ListAnnotations", "GET /v2/nothing",
                "ListAnnotations",
            ])
        #expect(seen.map(\.wire) == [.grpc, .grpc, .restHTTP1, .restHTTP1, .restHTTP2])
        #expect(seen.map(\.status) == [10000, 200, 10000, Int(StatusCode.connDoesNotExist.rawValue), 11005])
        #expect(seen.map(\.grpcStatus) == [0, 12, nil, nil, nil])
        #expect(seen.map(\.fault) == [nil, nil, nil, nil, .throttle])
        let connections = seen.map(\.connectionID)
        #expect(connections.allSatisfy { $0 >= 1 })
        #expect(connections[2] == connections[3], "one keep-alive connection: \(connections)")
        #expect(Set([connections[0], connections[1], connections[2], connections[4]]).count == 4, "\(connections)")
        #expect(seen.allSatisfy { $0.time >= started - 1 && $0.time <= Date().timeIntervalSince1970 + 1 })
    }

    @discardableResult
    private func curl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "-sS", "--max-time", "10"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "curl \(arguments.joined(separator: " "))")
        return String(decoding: output, as: UTF8.self)
    }
}
