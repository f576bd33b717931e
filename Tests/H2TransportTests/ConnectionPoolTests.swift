import Foundation
import Synchronization
import Testing

@testable import H2Transport

extension NetworkTests {
    /// `HTTP2Channel` as a pool (`maxConnections` > 1) against `HTTPServer` with a low
    /// SETTINGS_MAX_CONCURRENT_STREAMS: connections open as the limit requires, GOAWAY on one of
    /// them fails no call, idle extra connections close.
    @Suite(.timeLimit(.minutes(2)))
    struct ConnectionPoolTests {
        /// Connections the server saw, by `ServerRequest.connectionID`.
        final class ServerCount: Sendable {
            private let seen = Mutex<Set<Int>>([])
            func saw(_ connection: Int) { _ = seen.withLock { $0.insert(connection) } }
            var connections: Int { seen.withLock { $0.count } }
        }

        /// Client-side connection events, by kind.
        final class EventCount: Sendable {
            private let events = Mutex<[ConnectionEvent]>([])
            func record(_ event: ConnectionEvent) { events.withLock { $0.append(event) } }
            var opened: Int {
                events.withLock { $0.filter { if case .opened = $0.kind { true } else { false } }.count }
            }
            var closed: Int {
                events.withLock { $0.filter { if case .closed = $0.kind { true } else { false } }.count }
            }
            var goAways: Int {
                events.withLock { $0.filter { if case .goAwayReceived = $0.kind { true } else { false } }.count }
            }
        }

        /// A server with `streams` concurrent streams per connection whose answers take 20 ms
        /// (`delay`, which holds no thread); `/goaway` answers, then sends GOAWAY.
        static func server(streams: UInt32, count: ServerCount) throws -> HTTPServer {
            var limits = ServerLimits()
            limits.maxConcurrentStreams = streams
            return try HTTPServer(limits: limits) { request in
                count.saw(request.connectionID)
                var response = ServerResponse(status: 200, body: request.body)
                response.delay = 0.02
                response.goAwayAfter = request.path == "/goaway"
                return response
            }
        }

        static func channel(_ server: HTTPServer, maxConnections: Int, events: EventCount, idle: Double = 60)
            -> HTTP2Channel
        {
            var configuration = ConnectionConfiguration()
            configuration.maxConnections = maxConnections
            configuration.idleConnectionTimeout = idle
            configuration.eventHandler = { events.record($0) }
            return HTTP2Channel(
                endpoint: Endpoint(host: "127.0.0.1", port: server.port, usesTLS: false), configuration: configuration)
        }

        /// `callers` tasks, each sending `calls` requests one after the other; returns the failures.
        static func load(
            _ channel: HTTP2Channel, callers: Int, calls: Int,
            path: @escaping @Sendable (Int, Int) -> String = { _, _ in "/" }
        ) async -> [String] {
            await withTaskGroup(of: [String].self) { group in
                for caller in 0..<callers {
                    group.addTask {
                        var failures: [String] = []
                        for call in 0..<calls {
                            let body = Array("\(caller)-\(call)".utf8)
                            do {
                                let response = try await channel.send(
                                    HTTP2Request(method: "POST", path: path(caller, call), body: body),
                                    deadline: .now + .seconds(30)
                                )
                                if response.status != 200 || response.body != body {
                                    failures.append("status \(response.status)")
                                }
                            } catch {
                                failures.append("\(error)")
                            }
                        }
                        return failures
                    }
                }
                return await group.reduce(into: []) { $0 += $1 }
            }
        }

        @Test func opensTheConnectionsTheStreamLimitRequires() async throws {
            let count = ServerCount()
            let server = try Self.server(streams: 8, count: count)
            defer { server.stop() }
            let events = EventCount()
            let channel = Self.channel(server, maxConnections: 64, events: events)
            defer { channel.close() }
            let failures = await Self.load(channel, callers: 256, calls: 12)
            #expect(failures.isEmpty, "\(failures.prefix(3))")
            // 256 in flight at 8 a connection need 32; one more may open while the last one
            // fills, never many more.
            #expect(count.connections >= 32)
            #expect(count.connections <= 34)
            #expect(events.opened == count.connections)
        }

        @Test func neverOpensMoreThanMaxConnections() async throws {
            let count = ServerCount()
            let server = try Self.server(streams: 8, count: count)
            defer { server.stop() }
            let events = EventCount()
            let channel = Self.channel(server, maxConnections: 4, events: events)
            defer { channel.close() }
            let failures = await Self.load(channel, callers: 256, calls: 3)
            #expect(failures.isEmpty, "\(failures.prefix(3))")
            #expect(count.connections == 4)
            #expect(events.opened == 4)
            #expect(channel.connections.count == 4)
        }

        @Test func oneConnectionStaysOneConnection() async throws {
            let count = ServerCount()
            let server = try Self.server(streams: 8, count: count)
            defer { server.stop() }
            let events = EventCount()
            let channel = Self.channel(server, maxConnections: 1, events: events)
            defer { channel.close() }
            let failures = await Self.load(channel, callers: 64, calls: 2)
            #expect(failures.isEmpty, "\(failures.prefix(3))")
            #expect(count.connections == 1)
            #expect(events.opened == 1)
        }

        @Test func aGoAwayOnOneConnectionOfABusyPoolFailsNoCall() async throws {
            let count = ServerCount()
            let server = try Self.server(streams: 8, count: count)
            defer { server.stop() }
            let events = EventCount()
            let channel = Self.channel(server, maxConnections: 4, events: events)
            defer { channel.close() }
            // Every 10th call of a few callers asks for GOAWAY: about 40 GOAWAYs, each on a
            // connection carrying other calls.
            let failures = await Self.load(channel, callers: 128, calls: 10) { caller, call in
                caller % 32 == 0 ? "/goaway" : "/"
            }
            #expect(failures.isEmpty, "\(failures.prefix(3))")
            #expect(events.goAways >= 4)
            #expect(count.connections > 4)  // each GOAWAY'd connection was replaced
            #expect(channel.connections.count <= 4)
        }

        @Test func idleExtraConnectionsClose() async throws {
            let count = ServerCount()
            let server = try Self.server(streams: 4, count: count)
            defer { server.stop() }
            let events = EventCount()
            let channel = Self.channel(server, maxConnections: 8, events: events, idle: 0.2)
            defer { channel.close() }
            let failures = await Self.load(channel, callers: 32, calls: 4)
            #expect(failures.isEmpty, "\(failures.prefix(3))")
            #expect(events.opened > 1)
            let deadline = ContinuousClock.now + .seconds(10)
            while channel.connections.count > 1, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(channel.connections.count == 1)
            // Retired connections close on their I/O threads, a moment later.
            while events.closed < events.opened - 1, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(events.closed == events.opened - 1)
            // The one left still works.
            #expect(await Self.load(channel, callers: 1, calls: 1).isEmpty)
        }
    }
}
