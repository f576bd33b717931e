// The load generator shared by TransportBench (our client) and GRPCSwiftBench (grpc-swift-2):
// the same schedule, the same clocks and the same CPU accounting for both, so that only the
// client library differs. scripts/bench_grpcio_client.py implements the same schedule in
// Python and prints the same #json shape; scripts/bench_transport.py runs them all.
//
// Schedule (each phase on the one connection the client opened first):
//   warmup     Post and List calls, 1 in flight, for --warmup seconds (default 1)
//   lat_post   Post, 1 in flight, --latency-seconds (default 3), every call's latency kept
//              (at most --max-samples, default 200,000): p50/p90/p99 from the sorted array
//   lat_list   the same with List(per_page 20)
//   thr_<n>    Post with n calls in flight (n in --levels, default 1,16,64,256): n tasks each
//              looping calls; --warmup seconds of load, then --seconds (default 3) measured:
//              completed calls / wall time, and the process's CPU time (getrusage) over the
//              same window divided by the calls
// With --server-pid, the server's CPU time over each phase comes from /proc/PID/stat.
// Output: one line `#json {...}` on stdout; progress on stderr.
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Command-line options shared by the Swift benchmark clients.
public struct BenchOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 0
    public var tls = false
    public var caFile: String?
    /// The name TLS verifies (and sends as SNI); the server certificate is for localhost.
    public var serverName = "localhost"
    public var payloadDir = ""
    public var serverPID: Int32?
    public var warmup = 1.0
    public var latencySeconds = 3.0
    public var seconds = 3.0
    public var levels = [1, 16, 64, 256]
    public var maxSamples = 200_000
    /// Run only these phases (e.g. `thr_64` under perf); empty: all.
    public var only: Set<String> = []

    public init() {}

    public static func parse(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> BenchOptions {
        var o = BenchOptions()
        var i = 0
        func value() -> String {
            i += 1
            guard i < arguments.count else { fail("missing value after \(arguments[i - 1])") }
            return arguments[i]
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--host": o.host = value()
            case "--port": o.port = Int(value()) ?? 0
            case "--tls": o.tls = true
            case "--ca": o.caFile = value()
            case "--server-name": o.serverName = value()
            case "--payload-dir": o.payloadDir = value()
            case "--server-pid": o.serverPID = Int32(value())
            case "--warmup": o.warmup = Double(value()) ?? o.warmup
            case "--latency-seconds": o.latencySeconds = Double(value()) ?? o.latencySeconds
            case "--seconds": o.seconds = Double(value()) ?? o.seconds
            case "--levels": o.levels = value().split(separator: ",").compactMap { Int($0) }
            case "--max-samples": o.maxSamples = Int(value()) ?? o.maxSamples
            case "--only": o.only = Set(value().split(separator: ",").map(String.init))
            case "-h", "--help":
                print("usage: \(CommandLine.arguments[0]) --port N [--tls --ca FILE] [--server-name localhost] --payload-dir DIR [--server-pid PID] [--warmup S] [--latency-seconds S] [--seconds S] [--levels 1,16,64,256] [--max-samples N] [--only PHASES]")
                exit(0)
            default: fail("unknown argument \(arguments[i])")
            }
            i += 1
        }
        if o.port == 0 { fail("--port is required") }
        if o.payloadDir.isEmpty { fail("--payload-dir is required") }
        return o
    }

    public func runs(_ phase: String) -> Bool { only.isEmpty || only.contains(phase) }

    public func payload(_ name: String) -> [UInt8] {
        let path = payloadDir + "/" + name
        guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
        return [UInt8](data)
    }
}

public func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("bench: \(message)\n".utf8))
    exit(2)
}

public func log(_ message: String) {
    FileHandle.standardError.write(Data("bench: \(message)\n".utf8))
}

// MARK: Clocks

@inline(__always)
public func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// This process's user + system CPU seconds (all threads).
public func processCPUSeconds() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

/// Another process's user + system CPU seconds, from /proc/PID/stat (clock-tick resolution).
public func otherProcessCPUSeconds(_ pid: Int32?) -> Double? {
    guard let pid, let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat"),
          let text = String(data: data, encoding: .utf8),
          let close = text.lastIndex(of: ")") else { return nil }
    // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 13, let utime = Double(fields[11]), let stime = Double(fields[12]) else { return nil }
    return (utime + stime) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

// MARK: Results

/// One phase's numbers, printed in the #json line.
public struct PhaseResult: Sendable {
    public var inFlight: Int
    public var calls = 0
    public var errors = 0
    public var wallSeconds = 0.0
    public var cpuSeconds = 0.0
    public var serverCPUSeconds: Double?
    /// Per-call latencies in µs (latency phases only).
    public var percentiles: [String: Double] = [:]
    public var firstError: String?

    var json: [String: Any] {
        var d: [String: Any] = [
            "in_flight": inFlight, "calls": calls, "errors": errors, "wall_s": wallSeconds,
            "cpu_s": cpuSeconds,
            "calls_per_s": wallSeconds > 0 ? Double(calls) / wallSeconds : 0,
            "cpu_us_per_call": calls > 0 ? cpuSeconds * 1e6 / Double(calls) : 0,
        ]
        if let serverCPUSeconds {
            d["server_cpu_s"] = serverCPUSeconds
            d["server_cpu_us_per_call"] = calls > 0 ? serverCPUSeconds * 1e6 / Double(calls) : 0
        }
        if !percentiles.isEmpty { d["latency_us"] = percentiles }
        if let firstError { d["first_error"] = firstError }
        return d
    }
}

final class Counters: Sendable {
    let calls = Atomic<Int>(0)
    let errors = Atomic<Int>(0)
    let firstError = Mutex<String?>(nil)

    func failed(_ error: any Error) {
        errors.add(1, ordering: .relaxed)
        firstError.withLock { if $0 == nil { $0 = "\(error)" } }
    }
}

/// Percentile p (0...100) of sorted values, nearest-rank.
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(max(rank, 0), sorted.count - 1)]
}

// MARK: Runner

/// A call under test: sends one request, decodes the response, returns the number of
/// annotations it decoded (checked against the canned response).
public typealias BenchCall = @Sendable () async throws -> Int

public struct LoadRunner: Sendable {
    public let options: BenchOptions
    public let client: String
    private var phases: [(String, PhaseResult)] = []
    public var checks: [String] = []
    public var info: [String: String] = [:]

    public init(client: String, options: BenchOptions) {
        self.client = client
        self.options = options
    }

    /// Runs the whole schedule and prints the #json line.
    public mutating func run(post: @escaping BenchCall, list: @escaping BenchCall) async {
        // Correctness first: one call of each, with the expected annotation counts.
        for (name, call, expected) in [("PostAnnotations", post, 1), ("ListAnnotations", list, 20)] {
            do {
                let count = try await call()
                if count != expected { checks.append("\(name): decoded \(count) annotations, expected \(expected)") }
            } catch {
                checks.append("\(name) failed: \(error)")
            }
        }
        if !checks.isEmpty {
            log("\(client): \(checks.joined(separator: "; "))")
            emit()
            return
        }
        if options.warmup > 0 {
            _ = await sequential(post, seconds: options.warmup / 2, keep: false)
            _ = await sequential(list, seconds: options.warmup / 2, keep: false)
        }
        if options.runs("lat_post") {
            log("\(client): lat_post")
            phases.append(("lat_post", await sequential(post, seconds: options.latencySeconds, keep: true)))
        }
        if options.runs("lat_list") {
            log("\(client): lat_list")
            phases.append(("lat_list", await sequential(list, seconds: options.latencySeconds, keep: true)))
        }
        for level in options.levels where options.runs("thr_\(level)") {
            log("\(client): thr_\(level)\(Task.isCancelled ? " (cancelled)" : "")")
            phases.append(("thr_\(level)", await concurrent(post, inFlight: level)))
        }
        emit()
    }

    /// One call at a time for `seconds`; with `keep`, every latency (up to maxSamples).
    func sequential(_ call: BenchCall, seconds: Double, keep: Bool) async -> PhaseResult {
        var result = PhaseResult(inFlight: 1)
        var samples: [Double] = []
        if keep { samples.reserveCapacity(min(options.maxSamples, 1 << 16)) }
        let server0 = otherProcessCPUSeconds(options.serverPID)
        let cpu0 = processCPUSeconds()
        let start = monotonicNanos()
        let end = start + UInt64(seconds * 1e9)
        var now = start
        while now < end && result.calls < options.maxSamples {
            do {
                _ = try await call()
                let done = monotonicNanos()
                if keep { samples.append(Double(done - now) / 1000) }
                result.calls += 1
                now = done
            } catch {
                result.errors += 1
                if result.firstError == nil { result.firstError = "\(error)" }
                try? await Task.sleep(nanoseconds: 1_000_000)  // no hot loop on a dead connection
                now = monotonicNanos()
            }
        }
        result.wallSeconds = Double(now - start) / 1e9
        result.cpuSeconds = processCPUSeconds() - cpu0
        if let server0, let server1 = otherProcessCPUSeconds(options.serverPID) {
            result.serverCPUSeconds = server1 - server0
        }
        if keep {
            samples.sort()
            result.percentiles = [
                "p50": percentile(samples, 50), "p90": percentile(samples, 90), "p99": percentile(samples, 99),
                "min": samples.first ?? 0, "max": samples.last ?? 0,
                "mean": samples.isEmpty ? 0 : samples.reduce(0, +) / Double(samples.count),
            ]
        }
        return result
    }

    /// `inFlight` tasks, each calling in a loop: `warmup` seconds unmeasured, then `seconds`
    /// measured (completions in the window, CPU over the window).
    func concurrent(_ call: @escaping BenchCall, inFlight: Int) async -> PhaseResult {
        let counters = Counters()
        let warmupNanos = UInt64(options.warmup * 1e9)
        let measureNanos = UInt64(options.seconds * 1e9)
        let start = monotonicNanos()
        let stopAt = start + warmupNanos + measureNanos
        let serverPID = options.serverPID
        var result = PhaseResult(inFlight: inFlight)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<inFlight {
                group.addTask {
                    while monotonicNanos() < stopAt {
                        do {
                            _ = try await call()
                            counters.calls.add(1, ordering: .relaxed)
                        } catch {
                            counters.failed(error)
                            try? await Task.sleep(nanoseconds: 1_000_000)  // no hot loop on a dead connection
                        }
                    }
                }
            }
            try? await Task.sleep(nanoseconds: warmupNanos)
            let calls0 = counters.calls.load(ordering: .relaxed)
            let errors0 = counters.errors.load(ordering: .relaxed)
            let cpu0 = processCPUSeconds()
            let server0 = otherProcessCPUSeconds(serverPID)
            let t0 = monotonicNanos()
            let remaining = stopAt > t0 ? stopAt - t0 : 0
            try? await Task.sleep(nanoseconds: remaining)
            let t1 = monotonicNanos()
            result.calls = counters.calls.load(ordering: .relaxed) - calls0
            result.errors = counters.errors.load(ordering: .relaxed) - errors0
            result.cpuSeconds = processCPUSeconds() - cpu0
            if let server0, let server1 = otherProcessCPUSeconds(serverPID) {
                result.serverCPUSeconds = server1 - server0
            }
            result.wallSeconds = Double(t1 - t0) / 1e9
            await group.waitForAll()
        }
        result.firstError = counters.firstError.withLock { $0 }
        return result
    }

    func emit() {
        var phaseJSON: [String: Any] = [:]
        for (name, result) in phases { phaseJSON[name] = result.json }
        let object: [String: Any] = [
            "client": client,
            "transport": options.tls ? "tls" : "h2c",
            "phases": phaseJSON,
            "checks": checks,
            "info": info,
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
              let text = String(data: data, encoding: .utf8) else { fail("cannot encode the results") }
        print("#json " + text)
        fflush(nil)
    }
}
