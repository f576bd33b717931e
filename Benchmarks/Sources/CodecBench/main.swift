// CodecBench: ProtoWire against swift-protobuf 1.39 on the reference payload
// (a clarifai.api.MultiAnnotationResponse made by scripts/make_reference_payload.py).
//
// usage: CodecBench PAYLOAD.bin
//
// BENCH_CASES="ProtoWire decode,ProtoWire JSON encode" measures only the cases named (implementation
// and operation, as in the log), e.g. to run one case under perf or callgrind.
//
// Binary: `MultiAnnotationResponse(serializedBytes: [UInt8])` and `serializedBytes() -> [UInt8]`.
// JSON: each implementation's REST-shaped JSON of the same message (ProtoWire `jsonUTF8()` /
// `init(jsonUTF8:)`; swift-protobuf `jsonUTF8Bytes(options:)` with .proto names and enums as
// numbers / `init(jsonUTF8Bytes:)`); each decodes the text it wrote. JSON MB/s are over that
// text's size.
//
// Prints progress on stderr; on stdout a Markdown table, the ratios, any failed check, and
// one `#json {...}` line for scripts/bench_codec.sh.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MallocCounter

nonisolated(unsafe) var jsonSizes: [String: Int] = [:]

func eprint(_ text: String) {
    let line = Array((text + "\n").utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

func readFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if n == 0 { break }
        bytes += chunk[0..<n]
    }
    return ferror(file) == 0 ? bytes : nil
}

func jsonEscaped(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

func run() throws -> Int32 {
    let arguments = CommandLine.arguments
    guard arguments.count == 2 else {
        eprint("usage: CodecBench PAYLOAD.bin   (make one with scripts/make_reference_payload.py)")
        return 2
    }
    guard let payload = readFile(arguments[1]) else {
        eprint("cannot read \(arguments[1])")
        return 1
    }
    if mc_active() == 0 {
        eprint("warning: the malloc interposer is not active; allocation counts will read 0")
    }

    var checks: [String] = []
    var cases: [BenchCase] = []
    cases += try protoWireCases(payload: payload, checks: &checks)
    if !protoWireAvailable {
        eprint("note: built without ProtoWire (BENCH_WITHOUT_PROTOWIRE); measuring swift-protobuf only")
    }
    cases += try swiftProtobufCases(payload: payload, checks: &checks)
    for check in checks { eprint("CHECK FAILED: \(check)") }
    if let raw = getenv("BENCH_CASES") {
        let wanted = String(cString: raw).split(separator: ",").map(String.init)
        cases = cases.filter { wanted.contains($0.name) }
    }

    eprint("payload \(payload.count) bytes; \(cases.count) cases")
    try measureAll(cases) { eprint($0) }

    // Table: one row per implementation, decode and encode side by side.
    let order = ["ProtoWire", "swift-protobuf", "ProtoWire JSON", "swift-protobuf JSON"]
    var rows = order.filter { name in cases.contains { $0.implementation == name } }
    for c in cases where !rows.contains(c.implementation) { rows.append(c.implementation) }
    func find(_ implementation: String, _ operation: String) -> BenchCase? {
        cases.first { $0.implementation == implementation && $0.operation == operation }
    }
    print("Payload: \(grouped(Double(payload.count))) bytes (MultiAnnotationResponse, 128 annotations)"
          + jsonSizes.sorted { $0.key < $1.key }.map { "; \($0.key): \(grouped(Double($0.value))) bytes" }.joined())
    print("")
    print("| implementation | decode ns/op | decode MB/s | encode ns/op | encode MB/s | allocs/op (decode) | allocs/op (encode) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows {
        let d = find(row, "decode"), e = find(row, "encode")
        print("| \(row) | \(d.map { grouped($0.nsPerOp) } ?? "–") | \(d.map { fixed($0.mbPerSecond, 1) } ?? "–") "
              + "| \(e.map { grouped($0.nsPerOp) } ?? "–") | \(e.map { fixed($0.mbPerSecond, 1) } ?? "–") "
              + "| \(d.map { fixed($0.allocsPerOp, 1) } ?? "–") | \(e.map { fixed($0.allocsPerOp, 1) } ?? "–") |")
    }
    print("")
    for (ours, theirs) in [("ProtoWire", "swift-protobuf"), ("ProtoWire JSON", "swift-protobuf JSON")] {
        guard let od = find(ours, "decode"), let oe = find(ours, "encode"),
              let td = find(theirs, "decode"), let te = find(theirs, "encode") else { continue }
        print("\(ours) vs \(theirs) (time ratio = throughput ratio): decode ×\(fixed(td.nsPerOp / od.nsPerOp, 2)), "
              + "encode ×\(fixed(te.nsPerOp / oe.nsPerOp, 2))")
    }
    if !protoWireAvailable { print("ProtoWire: not built (BENCH_WITHOUT_PROTOWIRE set)") }
    for check in checks { print("CHECK FAILED: \(check)") }

    // Machine-readable line.
    var results: [String] = []
    for row in rows {
        var ops: [String] = []
        for c in cases where c.implementation == row {
            ops.append("\(jsonEscaped(c.operation)):{\"ns_per_op\":\(fixed(c.nsPerOp, 1)),\"mb_per_s\":\(fixed(c.mbPerSecond, 2)),"
                       + "\"allocs_per_op\":\(fixed(c.allocsPerOp, 2)),\"alloc_bytes_per_op\":\(fixed(c.allocBytesPerOp, 0)),"
                       + "\"bytes\":\(c.bytes),\"iterations\":\(c.iterations)}")
        }
        results.append("\(jsonEscaped(row)):{\(ops.joined(separator: ","))}")
    }
    print("#json {\"impl\":\"swift\",\"payload_bytes\":\(payload.count),\"protowire\":\(protoWireAvailable),"
          + "\"checks\":[\(checks.map(jsonEscaped).joined(separator: ","))],\"results\":{\(results.joined(separator: ","))}}")
    return checks.isEmpty ? 0 : 3
}

do {
    exit(try run())
} catch {
    eprint("CodecBench: \(error)")
    exit(1)
}
