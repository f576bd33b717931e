@_spi(Fuzzing) import AnnotationsEmulator
@_spi(Fuzzing) import AnnotationsRPC
import Foundation
@_spi(Fuzzing) import H2Transport
import ProtoWire
import Synchronization

/// What `make fuzz` feeds with untrusted bytes. Each target checks properties as it goes (a
/// decoded message re-encodes to bytes that decode to the same message; JSON output parses
/// back), so a violated property crashes like a memory error would, and libFuzzer keeps the
/// input. `Tests/FuzzTargetsTests` replays the corpus and every saved crash input.
///
/// ```swift
/// FuzzTarget.decode.run(bytes)
/// ```
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The binary decoder of every message type (the first byte picks the type).
    case decode
    /// The JSON decoder of every message type (the first byte picks the type).
    case json
    /// The client's response paths: gRPC (status, trailers, framing, message), REST (HTTP
    /// status, JSON body, error mapping), and the HTTP/1.1 response reader.
    case response
    /// The emulator's request handling, gRPC and REST, against one store.
    case emulator
    /// Raw HTTP/2 frames from a server, through the client's nghttp2 session, its callbacks
    /// and the gRPC reading of the answer (over a loopback connection per input).
    case session

    /// Runs the target on one input, from a thread outside Swift concurrency's pool (the
    /// fuzzer's): the session target blocks it until its loopback exchange is over.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .decode: FuzzTarget.decode(bytes)
        case .json: FuzzTarget.json(bytes)
        case .response: FuzzTarget.response(bytes)
        case .emulator: FuzzTarget.emulator(bytes)
        case .session: FuzzTarget.session(bytes)
        }
    }

    /// Runs the target on one input from async code (tests), without blocking a pool thread.
    public func runAsync(_ bytes: [UInt8]) async {
        if self == .session {
            _ = await FuzzTarget.sessionOutcome(bytes)
        } else {
            run(bytes)
        }
    }

    // MARK: Codec

    /// The short name of the type a codec input selects (`Annotation`, `Struct`, …).
    public static func selectedTypeName(_ bytes: [UInt8]) -> String? {
        guard let selector = bytes.first else { return nil }
        let name = MessageTypes.all[Int(selector) % MessageTypes.all.count].protoMessageName
        return name.split(separator: ".").last.map(String.init)
    }

    /// Whether a codec input decodes as the type it selects.
    public static func decodes(_ target: FuzzTarget, _ bytes: [UInt8]) -> Bool {
        guard let selector = bytes.first else { return false }
        let type = MessageTypes.all[Int(selector) % MessageTypes.all.count]
        let body = Array(bytes.dropFirst())
        func attempt<M: ProtoMessage>(_ type: M.Type) -> Bool {
            target == .json ? (try? M(jsonUTF8: body)) != nil : (try? M(serializedBytes: body)) != nil
        }
        return attempt(type)
    }

    private static func decode(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let type = MessageTypes.all[Int(selector) % MessageTypes.all.count]
        checkBinary(type, Array(bytes.dropFirst()))
    }

    private static func checkBinary<M: ProtoMessage>(_ type: M.Type, _ bytes: [UInt8]) {
        guard let message = try? M(serializedBytes: bytes) else { return }
        let encoded = message.serializedBytes()
        let again: M
        do {
            again = try M(serializedBytes: encoded)
        } catch {
            fatalError("\(M.protoMessageName): its own encoding does not decode: \(error)")
        }
        precondition(again.serializedBytes() == encoded, "\(M.protoMessageName): decode(encode(m)) encodes differently")
        _ = message.jsonUTF8()
    }

    private static func json(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let type = MessageTypes.all[Int(selector) % MessageTypes.all.count]
        checkJSON(type, Array(bytes.dropFirst()))
    }

    private static func checkJSON<M: ProtoMessage>(_ type: M.Type, _ bytes: [UInt8]) {
        guard let message = try? M(jsonUTF8: bytes) else { return }
        let json = message.jsonUTF8()
        let again: M
        do {
            again = try M(jsonUTF8: json)
        } catch {
            fatalError("\(M.protoMessageName): its own JSON does not parse: \(error) in \(String(decoding: json.prefix(300), as: UTF8.self))")
        }
        precondition(again.jsonUTF8() == json, "\(M.protoMessageName): JSON changes on a second round trip")
        let binary = message.serializedBytes()
        precondition((try? M(serializedBytes: binary)) != nil, "\(M.protoMessageName): binary form of a JSON-decoded message does not decode")
    }

    // MARK: Client responses

    /// `[flags][status hi][status lo] headers \0\0 body \0\0 trailers`; header lines `name:value\n`.
    private static func response(_ bytes: [UInt8]) {
        _ = TransportFuzzing.parseHTTP1Response(bytes, pieceSize: Int(bytes.first ?? 0) % 7 + 1)
        guard bytes.count >= 3 else { return }
        let flags = bytes[0]
        let status = (Int(bytes[1]) << 8 | Int(bytes[2])) % 600
        let parts = split(Array(bytes[3...]), separator: [0, 0], limit: 3)
        let response = TransportFuzzing.response(
            status: status, headers: fields(parts[0]), body: parts.count > 1 ? parts[1] : [],
            trailers: parts.count > 2 ? fields(parts[2]) : [], headersOnly: flags & 1 != 0
        )
        if case .success(let message) = TransportFuzzing.interpretGRPC(response) {
            switch flags >> 1 % 3 {
            case 0: checkBinary(MultiAnnotationResponse.self, message)
            case 1: checkBinary(SingleAnnotationResponse.self, message)
            default: checkBinary(BaseResponse.self, message)
            }
        }
        _ = RESTFuzzing.decode(response, as: MultiAnnotationResponse.self)
        _ = RESTFuzzing.decode(response, as: BaseResponse.self)
    }

    private static func fields(_ bytes: [UInt8]) -> [HeaderField] {
        split(bytes, separator: [10], limit: 64).compactMap { line in
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return nil }
            return HeaderField(
                String(decoding: line[..<colon], as: UTF8.self).lowercased(),
                String(decoding: line[(colon + 1)...], as: UTF8.self)
            )
        }
    }

    private static func split(_ bytes: [UInt8], separator: [UInt8], limit: Int) -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var rest = bytes[...]
        while parts.count < limit - 1, let range = rest.firstRange(of: separator) {
            parts.append(Array(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(Array(rest))
        return parts
    }

    // MARK: Client session

    private static let scriptedServer = ScriptedServer()

    private static func session(_ bytes: [UInt8]) {
        let done = DispatchSemaphore(value: 0)
        Task {
            _ = await sessionOutcome(bytes)
            done.signal()
        }
        done.wait()
    }

    /// What the client made of a server that answered with `bytes` (after its SETTINGS): the
    /// decoded response's annotation count, the gRPC status, or the transport failure.
    public static func sessionOutcome(_ bytes: [UInt8]) async -> String {
        let server = scriptedServer
        server.setScript(bytes)
        var configuration = ConnectionConfiguration()
        configuration.connectTimeout = 2
        configuration.maxResponseBodySize = 1 << 20
        configuration.maxResponseHeaderListSize = 16 << 10
        let endpoint = Endpoint(host: "127.0.0.1", port: server.port, usesTLS: false)
        let connection: HTTP2Connection
        do {
            connection = try await HTTP2Connection.connect(to: endpoint, configuration: configuration)
        } catch {
            return "connect failed: \(error)"
        }
        defer { connection.close() }
        let request = HTTP2Request(
            method: "POST", path: "/clarifai.api.V2/ListAnnotations",
            headers: [HeaderField("content-type", "application/grpc"), HeaderField("te", "trailers")],
            body: [0, 0, 0, 0, 2, 0x40, 0x05]
        )
        do {
            let response = try await connection.send(request, deadline: .now + .seconds(2))
            switch TransportFuzzing.interpretGRPC(response) {
            case .success(let message):
                checkBinary(MultiAnnotationResponse.self, message)
                let decoded = try? MultiAnnotationResponse(serializedBytes: message)
                return decoded.map { "annotations \($0.annotations.count)" } ?? "undecodable message"
            case .failure(let error):
                return "grpc \(error.code.rawValue)"
            }
        } catch {
            return "transport: \(error)"
        }
    }

    // MARK: Emulator

    // libFuzzer calls one input at a time; a fresh store every 10,000 inputs bounds memory.
    nonisolated(unsafe) private static var store = AnnotationStore()
    nonisolated(unsafe) private static var emulatorRuns = 0
    private static let methods = ["POST", "GET", "PATCH", "DELETE", "PUT", "HEAD"]

    /// `[flags] path \n header lines \n\n body`: flags pick the method, gRPC or JSON, and
    /// whether a key is sent.
    private static func emulator(_ bytes: [UInt8]) {
        guard let flags = bytes.first else { return }
        let parts = split(Array(bytes.dropFirst()), separator: [10], limit: 2)
        let path = String(decoding: parts[0], as: UTF8.self)
        let rest = parts.count > 1 ? split(parts[1], separator: [10, 10], limit: 2) : [[]]
        var headers = fields(rest[0])
        let isGRPC = flags & 0x08 != 0
        headers.append(HeaderField("content-type", isGRPC ? "application/grpc" : "application/json"))
        if flags & 0x10 == 0 { headers.append(HeaderField("authorization", "Key fuzz")) }
        var body = rest.count > 1 ? rest[1] : []
        if isGRPC, flags & 0x20 == 0 {
            // Mostly well-framed, so the fuzzer reaches the store.
            let size = UInt32(body.count)
            body = [0, UInt8(size >> 24), UInt8(size >> 16 & 0xff), UInt8(size >> 8 & 0xff), UInt8(size & 0xff)] + body
        }
        let request = ServerRequest(method: methods[Int(flags & 0x07) % methods.count], path: path, headers: headers, body: body)
        let response = Emulator.respond(to: request, store: store)
        precondition((100..<600).contains(response.status), "emulator answered HTTP \(response.status)")
        emulatorRuns += 1
        if emulatorRuns % 10_000 == 0 { store = AnnotationStore() }
    }
}
