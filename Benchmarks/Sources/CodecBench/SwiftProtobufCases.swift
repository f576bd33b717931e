// swift-protobuf 1.39 with its generated code for protos/ (target SwiftProtobufPeer).
import SwiftProtobuf
import SwiftProtobufPeer

/// JSON in the shape of Clarifai's REST API (.proto field names, enums as numbers), the
/// shape ProtoWire writes, so that both JSON rows process nearly the same text.
let restJSONOptions: JSONEncodingOptions = {
    var options = JSONEncodingOptions()
    options.preserveProtoFieldNames = true
    options.alwaysPrintEnumsAsInts = true
    return options
}()

func swiftProtobufCases(payload: [UInt8], checks: inout [String]) throws -> [BenchCase] {
    let decoded = try Clarifai_Api_MultiAnnotationResponse(serializedBytes: payload)
    let reencoded: [UInt8] = try decoded.serializedBytes()
    if decoded.annotations.count != 128 { checks.append("swift-protobuf: \(decoded.annotations.count) annotations, expected 128") }
    // Byte equality is not expected: swift-protobuf writes Struct map entries in Dictionary order.
    if reencoded.count != payload.count {
        checks.append("swift-protobuf: re-encoded \(reencoded.count) bytes, payload has \(payload.count)")
    }
    let json: [UInt8] = try decoded.jsonUTF8Bytes(options: restJSONOptions)
    if try Clarifai_Api_MultiAnnotationResponse(jsonUTF8Bytes: json) != decoded {
        checks.append("swift-protobuf: JSON round trip changed the message")
    }
    jsonSizes["swift-protobuf JSON"] = json.count

    return [
        BenchCase("swift-protobuf", "decode", bytes: payload.count) {
            let message = try Clarifai_Api_MultiAnnotationResponse(serializedBytes: payload)
            return message.annotations.count
        },
        BenchCase("swift-protobuf", "encode", bytes: payload.count) {
            let bytes: [UInt8] = try decoded.serializedBytes()
            return bytes.count
        },
        BenchCase("swift-protobuf JSON", "decode", bytes: json.count) {
            let message = try Clarifai_Api_MultiAnnotationResponse(jsonUTF8Bytes: json)
            return message.annotations.count
        },
        BenchCase("swift-protobuf JSON", "encode", bytes: json.count) {
            let bytes: [UInt8] = try decoded.jsonUTF8Bytes(options: restJSONOptions)
            return bytes.count
        },
    ]
}

/// The official message, decoded by swift-protobuf, for cross-checks against ProtoWire.
func swiftProtobufEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard let x = try? Clarifai_Api_MultiAnnotationResponse(serializedBytes: a),
          let y = try? Clarifai_Api_MultiAnnotationResponse(serializedBytes: b) else { return false }
    return x == y
}

/// swift-protobuf's reading of a JSON text equals its reading of the wire payload.
func swiftProtobufJSONMatches(json: [UInt8], payload: [UInt8]) -> Bool {
    guard let x = try? Clarifai_Api_MultiAnnotationResponse(jsonUTF8Bytes: json),
          let y = try? Clarifai_Api_MultiAnnotationResponse(serializedBytes: payload) else { return false }
    return x == y
}
