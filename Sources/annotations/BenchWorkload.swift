import AnnotationsRPC
import Foundation
import H2Transport
import ProtoWire
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The calls `annotations bench` can measure.
enum BenchCall: String, CaseIterable, Sendable, Codable {
    case post, list, patch, get, delete
    /// The soak workload: post, list, patch and delete in turn (each caller deletes what it
    /// posted, so the store stays the same size).
    case mixed
}

/// A wire to measure: our client over one of its transports, or URLSession (REST, the Swift
/// user's usual choice) as the peer.
enum BenchTarget: Hashable, Sendable, CustomStringConvertible {
    case client(Transport)
    case urlSession

    init?(_ text: String) {
        switch text.lowercased() {
        case "grpc": self = .client(.grpc)
        case "rest", "rest-h2": self = .client(.rest)
        case "rest-h1": self = .client(.restHTTP1)
        case "urlsession": self = .urlSession
        default: return nil
        }
    }

    var description: String {
        switch self {
        case .client(let transport): transport.rawValue
        case .urlSession: "urlsession"
        }
    }

    /// Multiplexed over a pool of HTTP/2 connections (gRPC, rest-h2), rather than one
    /// connection per caller (rest-h1, urlsession).
    var isPooled: Bool {
        switch self {
        case .client(.grpc), .client(.rest): true
        default: false
        }
    }
}

/// The HTTP/2 pool of one run: `ConnectionConfiguration.maxConnections` and
/// `targetStreamsPerConnection` (nil: the server's SETTINGS_MAX_CONCURRENT_STREAMS).
struct BenchPoolSetting: Sendable {
    var maxConnections: Int
    var streamsPerConnection: Int?
}

/// The `ClientObserver` a run installs: none (the default, which must cost nothing), or one
/// that only counts events, to measure what observing costs.
enum BenchObserver: String, CaseIterable, Sendable {
    case none
    case counting
}

/// The cheapest observer possible: one relaxed atomic increment per event, nothing else.
final class CountingObserver: ClientObserver {
    private let count = Atomic<Int>(0)
    var events: Int { count.load(ordering: .relaxed) }
    func observe(_ event: ClientEvent) { count.add(1, ordering: .relaxed) }
}

/// Counts the connections a client opens, through `ConnectionConfiguration.eventHandler`,
/// which runs once per connection event (not per call), so every run can afford it.
final class ConnectionTally: Sendable {
    private let count = Atomic<Int>(0)
    var opened: Int { count.load(ordering: .relaxed) }
    var handler: ConnectionEventHandler {
        { [self] event in
            if case .opened = event.kind { count.add(1, ordering: .relaxed) }
        }
    }
}

/// A benchmark that could not run or measured nothing; `status` is its exit status (69 by
/// default: the server answered no call).
struct BenchError: Error, CustomStringConvertible {
    let description: String
    let status: Int32
    init(_ description: String, status: Int32 = ExitStatus.api) {
        self.description = description
        self.status = status
    }
}

/// Where and as whom the benchmark calls.
struct BenchServer: Sendable {
    var endpoint: String
    var key: String
    var userAppID: UserAppIDSet?
    var tls: TLSConfiguration
    /// Direct for the embedded emulator (loopback), else as `--proxy`/`--no-proxy` or the environment say.
    var proxy = ProxySetting.none
}

/// The annotations a benchmark works on: created before the measured calls, removed after.
///
/// Posts go to 100 inputs `bench-post-N` and are deleted after each run; lists read a page of
/// the annotations of `bench-list`; gets and patches pick from a pool on `bench-pool-N`;
/// deletes consume a pool made for them before each run.
final class BenchWorkload: Sendable {
    let call: BenchCall
    let perCall: Int
    let perPage: Int
    private let setup: AnnotationsClient
    private let pool: [(inputID: String, id: String)]
    /// Delete pool: consumed front to back by every worker.
    private let deletable = Mutex<[(inputID: String, id: String)]>([])
    /// Mixed workload: what each caller posted and has not deleted yet.
    private let postedByCaller = Mutex<[Int: [(inputID: String, id: String)]]>([:])
    static let postInputs = (0..<100).map { "bench-post-\($0)" }

    init(call: BenchCall, perCall: Int, perPage: Int, server: BenchServer) async throws {
        self.call = call
        self.perCall = perCall
        self.perPage = perPage
        var configuration = ClientConfiguration()
        configuration.endpoint = server.endpoint
        configuration.key = server.key
        configuration.userAppID = server.userAppID
        configuration.tls = server.tls
        configuration.connection.proxy = server.proxy
        setup = try AnnotationsClient(configuration: configuration)
        switch call {
        case .list:
            // Enough for a full page; what a previous run left is reused.
            let existing = try await setup.list(
                AnnotationQuery(inputIDs: ["bench-list"], perPage: UInt32(min(perPage, 128))))
            let missing = max(0, perPage - existing.count)
            _ = try await BenchWorkload.create(missing, inputs: ["bench-list"], with: setup)
            pool = []
        case .get, .patch, .mixed:
            pool = try await BenchWorkload.create(
                max(256, perCall * 4), inputs: (0..<16).map { "bench-pool-\($0)" }, with: setup)
        case .post, .delete:
            pool = []
        }
    }

    /// Before a run: the annotations its deletes will remove.
    func prepare(calls: Int) async throws {
        guard call == .delete else { return }
        let created = try await BenchWorkload.create(calls * perCall, inputs: BenchWorkload.postInputs, with: setup)
        deletable.withLock { $0 = created }
    }

    /// After a run: nothing the run created stays behind. A server that answers
    /// DeleteAnnotations with UNIMPLEMENTED (an echo server with canned answers, such as the
    /// transport benchmark's C++ server) keeps nothing to remove: said once, not an error.
    func cleanUp() async throws {
        guard call == .post || call == .delete || call == .mixed else { return }
        deletable.withLock { $0 = [] }
        postedByCaller.withLock { $0 = [:] }
        guard !deleteUnimplemented.load(ordering: .relaxed) else { return }
        do {
            try await setup.delete(inputIDs: BenchWorkload.postInputs)
        } catch let error as GRPCError where error.code == .unimplemented {
            deleteUnimplemented.store(true, ordering: .relaxed)
            writeStandardError(
                "bench: the server does not implement DeleteAnnotations: what the runs post is not removed")
        }
    }

    private let deleteUnimplemented = Atomic(false)

    func finish() async {
        if !pool.isEmpty {
            try? await setup.delete(ids: pool.map(\.id), inputIDs: pool.map(\.inputID))
        }
        setup.close()
    }

    /// One bounding box and two concepts, like the codec benchmark's reference annotations.
    static func annotation(inputID: String, sequence: Int) -> Annotation {
        Annotation(
            inputID: inputID,
            regions: [
                .boundingBox(
                    top: 0.1, left: 0.2, bottom: 0.6, right: 0.7,
                    concepts: ["bench": 1, "sequence-\(sequence % 8)": 0.5])
            ])
    }

    private static func create(_ count: Int, inputs: [String], with client: AnnotationsClient) async throws -> [(
        inputID: String, id: String
    )] {
        var created: [(inputID: String, id: String)] = []
        var batches: [[Annotation]] = []
        var batch: [Annotation] = []
        for index in 0..<count {
            batch.append(annotation(inputID: inputs[index % inputs.count], sequence: index))
            if batch.count == 128 {
                batches.append(batch)
                batch = []
            }
        }
        if !batch.isEmpty { batches.append(batch) }
        for batch in batches {
            created += try await client.post(batch).map { ($0.inputID, $0.id) }
        }
        return created
    }

    /// The new annotations the `sequence`-th post of a caller sends.
    private func newAnnotations(_ sequence: Int) -> [Annotation] {
        (0..<perCall).map { index in
            BenchWorkload.annotation(inputID: BenchWorkload.postInputs[(sequence + index) % 100], sequence: sequence)
        }
    }

    /// The pool annotations the `sequence`-th patch of a caller overwrites, with new data.
    private func overwrites(_ sequence: Int) -> [Annotation] {
        pick(sequence).map { target in
            var annotation = BenchWorkload.annotation(inputID: target.inputID, sequence: sequence)
            annotation.id = target.id
            return annotation
        }
    }

    /// The annotations the `sequence`-th call of a worker works on.
    private func pick(_ sequence: Int) -> [(inputID: String, id: String)] {
        (0..<perCall).map { pool[(sequence * perCall + $0) % pool.count] }
    }

    /// Takes the next annotations to delete; nil once the pool is used up.
    private func takeDeletable() -> [(inputID: String, id: String)]? {
        deletable.withLock { pool in
            guard pool.count >= perCall else { return nil }
            defer { pool.removeFirst(perCall) }
            return Array(pool.prefix(perCall))
        }
    }

    // MARK: Operations

    /// One call through our client; false when there is nothing left to do (delete pool empty).
    func operation(_ client: AnnotationsClient) -> @Sendable (Int) async throws -> Bool {
        switch call {
        case .post:
            return { sequence in
                _ = try await client.post(self.newAnnotations(sequence))
                return true
            }
        case .list:
            return { _ in
                let page = try await client.list(AnnotationQuery(page: 1, perPage: UInt32(self.perPage)))
                guard page.count == self.perPage else {
                    throw BenchError("list returned \(page.count) annotations, not \(self.perPage)")
                }
                return true
            }
        case .get:
            return { sequence in
                let target = self.pick(sequence)[0]
                _ = try await client.get(inputID: target.inputID, annotationID: target.id)
                return true
            }
        case .patch:
            return { sequence in
                _ = try await client.patch(self.overwrites(sequence), action: .overwrite)
                return true
            }
        case .delete:
            return { _ in
                guard let targets = self.takeDeletable() else { return false }
                try await client.delete(ids: targets.map(\.id), inputIDs: targets.map(\.inputID))
                return true
            }
        case .mixed:
            return { sequence in
                let caller = sequence / BenchRun.sequenceStride
                switch sequence % 4 {
                case 0:
                    let posted = try await client.post(self.newAnnotations(sequence))
                    self.postedByCaller.withLock { $0[caller, default: []] += posted.map { ($0.inputID, $0.id) } }
                case 1:
                    _ = try await client.list(AnnotationQuery(page: 1, perPage: UInt32(self.perPage)))
                case 2:
                    _ = try await client.patch(self.overwrites(sequence), action: .overwrite)
                default:
                    let targets = self.postedByCaller.withLock { posted -> [(inputID: String, id: String)] in
                        let mine = posted[caller] ?? []
                        posted[caller] = []
                        return mine
                    }
                    if targets.isEmpty {
                        _ = try await client.list(AnnotationQuery(page: 1, perPage: 1))
                    } else {
                        try await client.delete(ids: targets.map(\.id), inputIDs: targets.map(\.inputID))
                    }
                }
                return true
            }
        }
    }

    /// The same call through URLSession, with the body built as a REST user would send it and
    /// the answer parsed by JSONSerialization (faster than Codable, so a peer at its best).
    func operation(_ session: URLSession, server: BenchServer) throws -> @Sendable (Int) async throws -> Bool {
        if call == .mixed {
            throw BenchError("the mixed workload runs through our client only", status: ExitStatus.usage)
        }
        let base = try BenchWorkload.restBase(server)
        let key = server.key
        @Sendable func send(_ method: String, _ path: String, _ body: [UInt8]?) async throws {
            var request = URLRequest(url: URL(string: base + path)!)
            request.httpMethod = method
            request.setValue("Key \(key)", forHTTPHeaderField: "Authorization")
            if let body {
                request.httpBody = Data(body)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            let (data, _) = try await session.data(for: request)
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            let status = object?["status"] as? [String: Any]
            let code = (status?["code"] as? NSNumber)?.intValue ?? (status?["code"] as? String).flatMap { Int($0) }
            guard code == 10000 else { throw BenchError("status \(code.map(String.init) ?? "missing")") }
        }
        switch call {
        case .post:
            return { sequence in
                var request = PostAnnotationsRequest()
                request.annotations = self.newAnnotations(sequence).map { annotation in
                    var annotation = annotation
                    annotation.id = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
                    return annotation
                }
                try await send("POST", "/annotations", request.jsonUTF8())
                return true
            }
        case .list:
            return { _ in
                try await send("GET", "/annotations?page=1&per_page=\(self.perPage)", nil)
                return true
            }
        case .get:
            return { sequence in
                let target = self.pick(sequence)[0]
                try await send("GET", "/inputs/\(target.inputID)/annotations/\(target.id)", nil)
                return true
            }
        case .patch:
            return { sequence in
                var request = PatchAnnotationsRequest()
                request.action = "overwrite"
                request.annotations = self.overwrites(sequence)
                try await send("PATCH", "/annotations", request.jsonUTF8())
                return true
            }
        case .delete:
            return { _ in
                guard let targets = self.takeDeletable() else { return false }
                var request = DeleteAnnotationsRequest()
                request.ids = targets.map(\.id)
                request.inputIDs = targets.map(\.inputID)
                try await send("DELETE", "/annotations", request.jsonUTF8())
                return true
            }
        case .mixed:
            return { _ in false }
        }
    }

    /// `http[s]://host:port/v2[/users/U/apps/A]` for URLSession, which speaks no h2c.
    private static func restBase(_ server: BenchServer) throws -> String {
        let endpoint = try Endpoint(server.endpoint)
        var base = "\(endpoint.usesTLS ? "https" : "http")://\(endpoint.authority)/v2"
        if let ids = server.userAppID { base += "/users/\(ids.userID)/apps/\(ids.appID)" }
        return base
    }
}
