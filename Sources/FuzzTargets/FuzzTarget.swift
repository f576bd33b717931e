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
    /// Raw bytes of a client's HTTP/1.1 connection, through the emulator's request reader:
    /// the same events whether the bytes arrive whole, split at one point or in small pieces;
    /// bodies within the limit and framed as declared; nothing after a refusal; every request
    /// read back the same once written out again.
    case request
    /// The dynamic codec (``DynamicMessage``) on `fuzz.Everything` of ``FuzzSchema``: a decoded
    /// message re-encodes to bytes that decode to the same message, and its JSON reads back to
    /// the same JSON. The same bytes also go through the descriptor-set reader and, when they
    /// are a set, ``SchemaDiff`` against the mirror both ways; and through the mirror's
    /// `MultiAnnotationResponse` and its unknown-field report, which the typed decoder must accept.
    case dynamic

    /// Runs the target on one input, from a thread outside Swift concurrency's pool (the
    /// fuzzer's): the session target blocks it until its loopback exchange is over.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .decode: FuzzTarget.decode(bytes)
        case .json: FuzzTarget.json(bytes)
        case .response: FuzzTarget.response(bytes)
        case .emulator: FuzzTarget.emulator(bytes)
        case .session: FuzzTarget.session(bytes)
        case .request: FuzzTarget.request(bytes)
        case .dynamic: FuzzTarget.dynamic(bytes)
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
            fatalError(
                "\(M.protoMessageName): its own JSON does not parse: \(error) in \(String(decoding: json.prefix(300), as: UTF8.self))"
            )
        }
        precondition(again.jsonUTF8() == json, "\(M.protoMessageName): JSON changes on a second round trip")
        let binary = message.serializedBytes()
        precondition(
            (try? M(serializedBytes: binary)) != nil,
            "\(M.protoMessageName): binary form of a JSON-decoded message does not decode")
    }

    // MARK: Dynamic messages

    private static func dynamic(_ bytes: [UInt8]) {
        if let set = try? DescriptorSet(serializedBytes: bytes) {
            // Any set against the mirror, both ways: every message, enum and method looked up.
            let diff = SchemaDiff(
                from: MirroredSchema.descriptorSet, to: set, notMirrored: MirroredSchema.messagesDeclaredInPart)
            _ = SchemaDiff(from: set, to: MirroredSchema.descriptorSet)
            precondition(diff.changes.allSatisfy { !$0.subject.isEmpty }, "dynamic: a schema change names nothing")
        }
        mirroredUnknownFields(bytes)
        let type = FuzzSchema.everything
        guard let message = try? DynamicMessage(serializedBytes: bytes, type: type) else { return }
        let encoded = message.serializedBytes()
        let again: DynamicMessage
        do {
            again = try DynamicMessage(serializedBytes: encoded, type: type)
        } catch {
            fatalError("dynamic: its own encoding does not decode: \(error)")
        }
        precondition(again == message, "dynamic: decode(encode(m)) != m")
        precondition(again.serializedBytes() == encoded, "dynamic: decode(encode(m)) encodes differently")
        for options in [DynamicJSONOptions(), .plain, DynamicJSONOptions(preservesProtoFieldNames: true)] {
            // What JSON cannot hold (NaN in a Value, a timestamp out of range) is refused, not written.
            guard let json = try? message.jsonUTF8(options: options) else { continue }
            let parsed: DynamicMessage
            do {
                parsed = try DynamicMessage(jsonUTF8: json, type: type, options: options)
            } catch {
                fatalError(
                    "dynamic: its own JSON does not parse: \(error) in \(String(decoding: json.prefix(300), as: UTF8.self))"
                )
            }
            precondition((try? parsed.jsonUTF8(options: options)) == json, "dynamic: JSON changes on a round trip")
            precondition(
                (try? DynamicMessage(serializedBytes: parsed.serializedBytes(), type: type)) != nil,
                "dynamic: binary form of a JSON-decoded message does not decode")
        }
    }

    /// The same bytes as a response of the mirror: what `annotations wire unknown` reports. Each
    /// field is reported once, in at most its own bytes, so the report never outgrows the input.
    private static func mirroredUnknownFields(_ bytes: [UInt8]) {
        guard let type = MirroredSchema.messageType("clarifai.api.MultiAnnotationResponse"),
            let message = try? DynamicMessage(serializedBytes: bytes, type: type)
        else { return }
        let report = message.unknownFieldReport(isModelled: MirroredSchema.isModelled)
        precondition(report.reduce(0) { $0 + $1.size } <= bytes.count, "dynamic: unknown fields outgrow the input")
        precondition(report.allSatisfy { !$0.path.isEmpty && $0.size > 0 }, "dynamic: an unknown field without a path")
        // What the dynamic decoder accepts, the typed one does (it reads unmodelled fields less deeply).
        precondition(
            (try? MultiAnnotationResponse(serializedBytes: bytes)) != nil,
            "dynamic: the mirror decodes a response that the typed messages refuse")
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
            body = GRPCWire.frame(body)
        }
        let request = ServerRequest(
            method: methods[Int(flags & 0x07) % methods.count], path: path, headers: headers, body: body)
        let response = Emulator.respond(to: request, store: store)
        precondition((100..<600).contains(response.status), "emulator answered HTTP \(response.status)")
        emulatorRuns += 1
        if emulatorRuns % 10_000 == 0 { store = AnnotationStore() }
    }

    // MARK: Server requests

    /// Small limits, so the fuzzer reaches their edges, and larger ones.
    private static let requestLimits = [(head: 256, body: 512), (head: 4 << 10, body: 16 << 10)]
    /// The statuses the reader refuses with (RFC 9112, RFC 9110 §15.5).
    private static let refusalStatuses: Set = [400, 413, 417, 431, 501, 505]
    /// Offered after a refusal: the reader must not take it.
    private static let afterRefusal = Array("GET /after-refusal HTTP/1.1\r\nhost: x\r\n\r\n".utf8)

    /// What the request reader makes of `bytes` arriving whole, with the target's larger limits:
    /// `request`, `100-continue` or `refused <status>` per event.
    public static func requestOutcome(_ bytes: [UInt8]) -> [String] {
        let limits = requestLimits[requestLimits.count - 1]
        return TransportFuzzing.parseHTTP1Requests(bytes, cuts: [], maxHeadSize: limits.head, maxBodySize: limits.body)
            .map {
                switch $0 {
                case .continueExpected: "100-continue"
                case .request: "request"
                case .refused(let status, _): "refused \(status)"
                }
            }
    }

    /// Raw connection bytes; the split point and the piece size come from a hash of them.
    private static func request(_ bytes: [UInt8]) {
        let hash = fnv1a(bytes)
        let split = Int(hash % UInt64(bytes.count + 1))
        let step = Int((hash >> 32) % 7) + 1
        let pieces = [[split], Array(stride(from: step, to: bytes.count, by: step))]
        for (head, body) in requestLimits {
            func parse(_ cuts: [Int]) -> [TransportFuzzing.RequestEvent] {
                TransportFuzzing.parseHTTP1Requests(
                    bytes, cuts: cuts, maxHeadSize: head, maxBodySize: body, afterRefusal: afterRefusal)
            }
            let whole = parse([])
            checkRequestEvents(whole, maxBodySize: body)
            // Whole, every byte is there when a head is read: 100-continue only at the very end.
            precondition(
                whole.dropLast().allSatisfy { $0 != .continueExpected },
                "100-continue asked with the body already there"
            )
            // Whether 100-continue is asked depends on what had arrived; nothing else may.
            let expected = whole.filter { $0 != .continueExpected }
            for cuts in pieces {
                let events = parse(cuts)
                checkRequestEvents(events, maxBodySize: body)
                let read = events.filter { $0 != .continueExpected }
                guard read != expected else { continue }
                let common = min(read.count, expected.count)
                let first = (0..<common).first { read[$0] != expected[$0] } ?? common
                fatalError(
                    """
                    limits \(head)/\(body), pieces \(cuts.prefix(3))…: event \(first) is \
                    \(describe(read.dropFirst(first).first)) in pieces, \(describe(expected.dropFirst(first).first)) whole
                    """)
            }
            for event in whole {
                guard case .request = event else { continue }
                let again = TransportFuzzing.parseHTTP1Requests(
                    serialize(event), cuts: [], maxHeadSize: head * 3 + 64, maxBodySize: body
                ).filter { $0 != .continueExpected }
                precondition(again == [event], "\(describe(event)) written out reads back as \(again.map(describe))")
            }
        }
    }

    /// What holds for any sequence of events, however the bytes arrived.
    private static func checkRequestEvents(_ events: [TransportFuzzing.RequestEvent], maxBodySize: Int) {
        for (index, event) in events.enumerated() {
            switch event {
            case .refused(let status, _):
                precondition(refusalStatuses.contains(status), "refused with HTTP \(status)")
                precondition(index == events.count - 1, "\(describe(events[index + 1])) after a refusal")
            case .continueExpected:
                precondition(index == 0 || events[index - 1] != .continueExpected, "100-continue twice for one head")
            case .request(let method, let path, let version, let headers, let body):
                precondition(["1.0", "1.1"].contains(version), "HTTP version \(version)")
                precondition(!method.isEmpty && !path.isEmpty, "empty method or target")
                precondition(path.utf8.allSatisfy { (0x21...0x7e).contains($0) }, "target \(path.debugDescription)")
                precondition(
                    body.count <= maxBodySize, "a body of \(body.count) bytes over the limit of \(maxBodySize)")
                precondition(
                    !headers.contains { $0.name == "transfer-encoding" }, "transfer-encoding left in the headers")
                let connection = headers.filter { $0.name == "connection" }
                precondition(
                    connection.isEmpty || connection == [HeaderField("connection", "close")], "connection \(connection)"
                )
                for field in headers {
                    precondition(field.name == field.name.lowercased(), "header name \(field.name.debugDescription)")
                    precondition(
                        !field.value.utf8.contains { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7f },
                        "header value \(field.value.debugDescription)"
                    )
                }
                let lengths = headers.filter { $0.name == "content-length" }
                precondition(lengths.count <= 1, "\(lengths.count) content-length fields taken")
                if let length = lengths.first {
                    precondition(
                        Int(length.value) == body.count,
                        "content-length \(length.value) with a body of \(body.count) bytes")
                } else {
                    // Without Content-Length only a chunked body, which HTTP/1.0 cannot have.
                    precondition(version == "1.1" || body.isEmpty, "an HTTP/1.0 body without content-length")
                }
            }
        }
    }

    /// A request written out again: its fields as read, a chunked body when it had no
    /// Content-Length, `connection: keep-alive` for an HTTP/1.0 request kept open.
    private static func serialize(_ event: TransportFuzzing.RequestEvent) -> [UInt8] {
        guard case .request(let method, let path, let version, let headers, let body) = event else { return [] }
        var head = "\(method) \(path) HTTP/\(version)\r\n"
        for field in headers { head += "\(field.name): \(field.value)\r\n" }
        if version == "1.0", !headers.contains(where: { $0.name == "connection" }) {
            head += "connection: keep-alive\r\n"
        }
        let chunked = !body.isEmpty && !headers.contains { $0.name == "content-length" }
        if chunked { head += "transfer-encoding: chunked\r\n" }
        head += "\r\n"
        guard chunked else { return Array(head.utf8) + body }
        return Array(head.utf8) + Array("\(String(body.count, radix: 16))\r\n".utf8) + body
            + Array("\r\n0\r\n\r\n".utf8)
    }

    private static func describe(_ event: TransportFuzzing.RequestEvent?) -> String {
        switch event {
        case nil: "nothing"
        case .continueExpected: "100-continue"
        case .refused(let status, let reason): "refused \(status) (\(reason))"
        case .request(let method, let path, let version, let headers, let body):
            "\(method) \(path.prefix(40)) HTTP/\(version), \(headers.count) fields, \(body.count)-byte body"
        }
    }

    /// FNV-1a: where the request target splits its input, stable across runs.
    private static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}
