// Timing and allocation counting shared by every case of CodecBench.
//
// The same method as Benchmarks/cpp/codec_bench.cc: each case is calibrated to about
// BENCH_SECONDS (default 1.0) per run, then BENCH_RUNS (default 5) rounds run every case
// once each (interleaved, so a noisy neighbour hits all cases alike) and the median run is
// reported. Allocations per op are counted afterwards, untimed, through MallocCounter.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MallocCounter

/// Keeps the optimizer from discarding the work of an op.
@inline(never)
func blackHole(_ value: Int) {
    withExtendedLifetime(value) {}
    sinkBox.value &+= value
}

final class SinkBox: @unchecked Sendable { var value = 0 }
let sinkBox = SinkBox()

func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

func envDouble(_ name: String, _ fallback: Double) -> Double {
    guard let raw = getenv(name), let value = Double(String(cString: raw)) else { return fallback }
    return value
}

/// One benchmarked operation: `op` does the work once and returns something to sink.
final class BenchCase {
    let implementation: String   // row of the table, e.g. "ProtoWire"
    let operation: String        // "decode" or "encode"
    let bytes: Int               // bytes processed per op (for MB/s)
    let op: () throws -> Int
    var iterations = 1
    var perOp: [Double] = []
    var allocsPerOp = 0.0
    var allocBytesPerOp = 0.0

    init(_ implementation: String, _ operation: String, bytes: Int, _ op: @escaping () throws -> Int) {
        self.implementation = implementation
        self.operation = operation
        self.bytes = bytes
        self.op = op
    }

    var name: String { "\(implementation) \(operation)" }
    var nsPerOp: Double {
        let sorted = perOp.sorted()
        return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
    }
    var mbPerSecond: Double { Double(bytes) / nsPerOp * 1e3 }

    func run(_ n: Int) throws -> Double {
        let op = self.op
        let start = monotonicNanos()
        for _ in 0..<n { blackHole(try op()) }
        return Double(monotonicNanos() - start)
    }
}

func measureAll(_ cases: [BenchCase], log: (String) -> Void) throws {
    let targetNs = envDouble("BENCH_SECONDS", 1.0) * 1e9
    let runs = max(1, Int(envDouble("BENCH_RUNS", 5)))
    for c in cases {
        // Warm up and calibrate: double n until a run takes >= 5% of the target.
        var n = 1
        var t = try c.run(n)
        while t < targetNs * 0.05 {
            n *= 2
            t = try c.run(n)
        }
        c.iterations = max(1, Int((Double(n) * targetNs / t).rounded(.up)))
    }
    for round in 1...runs {
        for c in cases { c.perOp.append(try c.run(c.iterations) / Double(c.iterations)) }
        log("round \(round)/\(runs) done")
    }
    for c in cases {
        let countOps = 16
        mc_start()
        for _ in 0..<countOps { blackHole(try c.op()) }
        let counts = mc_stop()
        c.allocsPerOp = Double(counts.allocations) / Double(countOps)
        c.allocBytesPerOp = Double(counts.bytes) / Double(countOps)
        log(pad(c.name, 28) + pad(fixed(c.nsPerOp, 0), 12, left: true) + " ns/op"
            + pad(fixed(c.mbPerSecond, 1), 10, left: true) + " MB/s"
            + pad(fixed(c.allocsPerOp, 1), 10, left: true) + " allocs/op"
            + pad(fixed(c.allocBytesPerOp, 0), 11, left: true) + " B alloc/op"
            + "  (\(c.iterations) iters x \(runs) runs)")
    }
}

/// `value` with exactly `decimals` digits after the point (no Foundation needed).
func fixed(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite else { return "n/a" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    var out = (value < 0 && scaled != 0 ? "-" : "") + String(whole)
    if decimals > 0 {
        let frac = Int(scaled - Double(whole) * scale)
        let digits = String(frac)
        out += "." + String(repeating: "0", count: decimals - digits.count) + digits
    }
    return out
}

/// `text` padded with spaces to `width` (on the left when `left`).
func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return left ? fill + text : text + fill
}

/// 12345678 -> "12,345,678"
func grouped(_ value: Double) -> String {
    guard value.isFinite else { return "n/a" }
    let digits = Array(String(Int(value.rounded())))
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 && digits[i - 1] != "-" { out += "," }
        out.append(ch)
    }
    return out
}
