// ===================================================================================
// ProtoWire — this package's own codec (the root package, product ProtoWire).
// Compiled only when the root package is a dependency: Package.swift then defines
// BENCH_PROTOWIRE (BENCH_WITHOUT_PROTOWIRE=1 leaves both out, and CodecBench measures only
// the peers). Not `canImport(ProtoWire)`: a stale module in .build would satisfy that.
// ===================================================================================
#if BENCH_PROTOWIRE
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ProtoWire

let protoWireAvailable = true

func protoWireCases(payload: [UInt8], checks: inout [String]) throws -> [BenchCase] {
    let decoded: MultiAnnotationResponse
    do {
        decoded = try MultiAnnotationResponse(serializedBytes: payload)
    } catch {
        checks.append("ProtoWire: cannot decode the payload (\(error)); ProtoWire not measured")
        return []
    }
    let reencoded = decoded.serializedBytes()
    if decoded.annotations.count != 128 { checks.append("ProtoWire: \(decoded.annotations.count) annotations, expected 128") }
    if reencoded != payload {
        checks.append("ProtoWire: re-encoding is not byte-identical to the payload (\(reencoded.count) vs \(payload.count) bytes)")
    }
    if !swiftProtobufEquals(reencoded, payload) {
        checks.append("ProtoWire: swift-protobuf reads ProtoWire's encoding as a different message")
    }
    let json = decoded.jsonUTF8()
    var jsonDecodes = true
    do {
        if try MultiAnnotationResponse(jsonUTF8: json) != decoded {
            checks.append("ProtoWire: JSON round trip changed the message")
        }
    } catch {
        jsonDecodes = false
        let dump = "/tmp/CodecBench-ProtoWire.json"
        if let file = fopen(dump, "wb") {
            _ = json.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            fclose(file)
        }
        checks.append("ProtoWire: cannot decode its own JSON (\(error), text in \(dump)); JSON decode not measured")
    }
    if !swiftProtobufJSONMatches(json: json, payload: payload) {
        checks.append("ProtoWire: swift-protobuf reads ProtoWire's JSON as a different message")
    }
    jsonSizes["ProtoWire JSON"] = json.count

    var cases = [
        BenchCase("ProtoWire", "decode", bytes: payload.count) {
            let message = try MultiAnnotationResponse(serializedBytes: payload)
            return message.annotations.count
        },
        BenchCase("ProtoWire", "encode", bytes: payload.count) {
            let bytes = decoded.serializedBytes()
            return bytes.count
        },
        BenchCase("ProtoWire JSON", "encode", bytes: json.count) {
            let bytes = decoded.jsonUTF8()
            return bytes.count
        },
    ]
    if jsonDecodes {
        cases.insert(BenchCase("ProtoWire JSON", "decode", bytes: json.count) {
            let message = try MultiAnnotationResponse(jsonUTF8: json)
            return message.annotations.count
        }, at: 2)
    }
    return cases
}
#else
let protoWireAvailable = false

func protoWireCases(payload: [UInt8], checks: inout [String]) throws -> [BenchCase] { [] }
#endif
