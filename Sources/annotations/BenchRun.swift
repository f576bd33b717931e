import Foundation
import Histogram
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What one run (one wire, one concurrency) measured, warm-up excluded.
struct BenchResult: Sendable {
    var target: String
    var inFlight: Int
    var calls: Int
    var errors: Int
    var firstError: String?
    var seconds: Double
    /// Microseconds per successful call.
    var latency: Histogram<UInt64>
    /// Bytes our connections sent and received during the run (before TLS); nil for URLSession.
    var bytesSent: Int?
    var bytesReceived: Int?
    /// User + system CPU of this process during the run.
    var cpuSeconds: Double
    /// The run ended before its time because the workload ran out (delete pool).
    var exhausted: Bool
    /// Resident memory of this process (and of the embedded emulator, when there is one) when
    /// the measured calls began and when they ended.
    var residentBytes: (start: Int, end: Int) = (0, 0)
    var serverResidentBytes: (start: Int, end: Int)?
    /// HTTP/2 wires: the pool's `maxConnections`; nil for the wires with one connection per
    /// caller (rest-h1, urlsession).
    var maxConnections: Int?
    /// HTTP/2 wires with a pool: `targetStreamsPerConnection` (nil: the server's limit).
    var streamsPerConnection: Int?
    /// HTTP/2 wires: connections the client opened (`.opened` events, warm-up included).
    var connectionsOpened: Int?
    var observer = BenchObserver.none
    /// With the counting observer: the events it received during the measured calls.
    var observedEvents: Int?

    /// Connections the run could use at most: the pool's maximum, or one per caller.
    var connectionLimit: Int { maxConnections ?? inFlight }

    var callsPerSecond: Double { seconds > 0 ? Double(calls) / seconds : 0 }
    var cpuMicrosecondsPerCall: Double { calls > 0 ? cpuSeconds * 1e6 / Double(calls) : 0 }
    func perCall(_ bytes: Int?) -> Double? { bytes.map { calls > 0 ? Double($0) / Double(calls) : 0 } }

    /// What tells the runs of one wire apart: concurrency, pool and observer.
    var variant: String { "\(inFlight)/\(maxConnections ?? 0)/\(observer.rawValue)" }

    /// `grpc ×64`, with the pool (`, 4 connections`) and the observer when not the defaults.
    var label: String {
        var text = "\(target) ×\(inFlight)"
        if let maxConnections, maxConnections > 1 { text += ", \(maxConnections) connections" }
        if observer != .none { text += ", observer \(observer.rawValue)" }
        return text
    }
}

/// Runs `inFlight` workers that call `operation` back to back: first for the warm-up (not
/// recorded), then until the duration passes or the call budget is spent.
enum BenchRun {
    /// Worker `w` numbers its calls from `w × sequenceStride`, so a call's worker is known.
    static let sequenceStride = 1_000_003

    /// 1 µs … 60 s at 3 significant digits: a fixed 200 KB whatever the number of calls.
    static func emptyHistogram() -> Histogram<UInt64> {
        Histogram<UInt64>(
            lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    }

    private final class Budget: Sendable {
        let remaining: Atomic<Int>
        init(_ calls: Int) { remaining = Atomic(calls) }
        func take() -> Bool { remaining.subtract(1, ordering: .relaxed).newValue >= 0 }
    }

    private struct WorkerTally: Sendable {
        var histogram = BenchRun.emptyHistogram()
        var calls = 0
        var errors = 0
        var firstError: String?
        var exhausted = false
    }

    static func measure(
        target: String, inFlight: Int, warmUp: Duration, duration: Duration?, calls: Int?,
        traffic: (() -> (sent: Int, received: Int))?, events: (() -> Int)? = nil, serverPID: Int32? = nil,
        operation: @escaping @Sendable (Int) async throws -> Bool
    ) async -> BenchResult {
        _ = await phase(inFlight: inFlight, until: .now + warmUp, budget: nil, operation: operation)
        let residentBefore = residentBytes()
        let serverBefore = serverPID.map(residentBytes(pid:))
        let sentBefore = traffic?()
        let eventsBefore = events?()
        let cpuBefore = cpuSeconds()
        let started = ContinuousClock.now
        let end = duration.map { started + $0 } ?? started + .seconds(86_400)
        let budget = calls.map(Budget.init)
        let tallies = await phase(inFlight: inFlight, until: end, budget: budget, operation: operation)
        let elapsed = ContinuousClock.now - started
        let cpu = cpuSeconds() - cpuBefore
        let sentAfter = traffic?()
        let eventsAfter = events?()
        let residentAfter = residentBytes()
        let serverAfter = serverPID.map(residentBytes(pid:))
        var result = BenchResult(
            target: target, inFlight: inFlight, calls: 0, errors: 0, seconds: elapsed.seconds,
            latency: emptyHistogram(), bytesSent: nil, bytesReceived: nil, cpuSeconds: cpu,
            exhausted: tallies.contains { $0.exhausted }
        )
        for tally in tallies {
            result.latency.add(tally.histogram)
            result.calls += tally.calls
            result.errors += tally.errors
            if result.firstError == nil { result.firstError = tally.firstError }
        }
        result.residentBytes = (residentBefore, residentAfter)
        if let serverBefore, let serverAfter { result.serverResidentBytes = (serverBefore, serverAfter) }
        if let sentBefore, let sentAfter {
            result.bytesSent = sentAfter.sent - sentBefore.sent
            result.bytesReceived = sentAfter.received - sentBefore.received
        }
        if let eventsBefore, let eventsAfter { result.observedEvents = eventsAfter - eventsBefore }
        return result
    }

    private static func phase(
        inFlight: Int, until end: ContinuousClock.Instant, budget: Budget?,
        operation: @escaping @Sendable (Int) async throws -> Bool
    ) async -> [WorkerTally] {
        await withTaskGroup(of: WorkerTally.self) { group in
            for worker in 0..<inFlight {
                group.addTask {
                    var tally = WorkerTally()
                    var sequence = worker * BenchRun.sequenceStride
                    while ContinuousClock.now < end {
                        if let budget, !budget.take() { break }
                        sequence += 1
                        let start = ContinuousClock.now
                        do {
                            guard try await operation(sequence) else {
                                tally.exhausted = true
                                break
                            }
                            let micros = (ContinuousClock.now - start).microseconds
                            _ = tally.histogram.record(UInt64(max(1, min(micros, 60_000_000))))
                            tally.calls += 1
                        } catch {
                            tally.errors += 1
                            if tally.firstError == nil { tally.firstError = "\(error)" }
                        }
                    }
                    return tally
                }
            }
            var tallies: [WorkerTally] = []
            for await tally in group { tallies.append(tally) }
            return tallies
        }
    }

    /// User + system CPU time of this process so far, in seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// Resident set size of a process (this one by default) in bytes, from /proc.
    static func residentBytes(pid: Int32? = nil) -> Int {
        let path = "/proc/\(pid.map(String.init) ?? "self")/statm"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    var microseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000)
    }
}
