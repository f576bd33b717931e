import AnnotationsRPC
import H2Transport
import Testing

/// `Endpoint(_:)`: what it accepts, and what it refuses before any name is looked up.
@Suite struct EndpointParsingTests {
    struct Accepted: Sendable, CustomStringConvertible {
        let url: String
        let host: String
        let port: Int
        let usesTLS: Bool
        var description: String { url }
    }

    static let accepted: [Accepted] = [
        Accepted(url: "https://api.clarifai.com", host: "api.clarifai.com", port: 443, usesTLS: true),
        Accepted(url: "https://api.clarifai.com/", host: "api.clarifai.com", port: 443, usesTLS: true),
        Accepted(url: "HTTPS://Example.COM:8443//", host: "Example.COM", port: 8443, usesTLS: true),
        Accepted(url: "h2c://127.0.0.1:8080", host: "127.0.0.1", port: 8080, usesTLS: false),
        Accepted(url: "http://localhost", host: "localhost", port: 80, usesTLS: false),
        Accepted(url: "h2c://[::1]:50051", host: "::1", port: 50051, usesTLS: false),
        Accepted(url: "https://[2001:db8::1]", host: "2001:db8::1", port: 443, usesTLS: true),
        Accepted(url: "h2c://grpc_backend.internal:1", host: "grpc_backend.internal", port: 1, usesTLS: false),
    ]

    @Test(arguments: accepted)
    func accepts(_ expected: Accepted) throws {
        let endpoint = try Endpoint(expected.url)
        #expect(endpoint == Endpoint(host: expected.host, port: expected.port, usesTLS: expected.usesTLS))
    }

    struct Refused: Sendable, CustomStringConvertible {
        let url: String
        let reason: String
        var description: String { url }
    }

    static let refused: [Refused] = [
        Refused(url: "https://user:s3cret-pw@api.clarifai.com", reason: "user information"),
        Refused(url: "https://user@api.clarifai.com:443", reason: "user information"),
        Refused(url: "https://:s3cret-pw@api.clarifai.com", reason: "user information"),
        Refused(url: "https://us:s3cret-pw/x@api.clarifai.com", reason: "user information"),  // '/' in the password
        Refused(url: "ftp://user:s3cret-pw@api.clarifai.com", reason: "user information"),
        Refused(url: "https://api.clarifai.com?key=1", reason: "query or a fragment"),
        Refused(url: "https://api.clarifai.com/?key=1", reason: "query or a fragment"),
        Refused(url: "https://api.clarifai.com:443#top", reason: "query or a fragment"),
        Refused(url: "https://api.clarifai.com/v2", reason: "paths are not supported"),
        Refused(url: "https://api clarifai.com", reason: "the host may hold only"),
        Refused(url: "https://api.clarifai.com\r\nx: y", reason: "the host may hold only"),
        Refused(url: "https://", reason: "no host"),
        Refused(url: "https://:443", reason: "no host"),
        Refused(url: "h2c://localhost", reason: "a port in 1…65535"),
        Refused(url: "h2c://localhost:+80", reason: "a port in 1…65535"),
        Refused(url: "h2c://localhost:0", reason: "a port in 1…65535"),
        Refused(url: "h2c://localhost:65536", reason: "a port in 1…65535"),
        Refused(url: "h2c://localhost:000080", reason: "a port in 1…65535"),
        Refused(url: "h2c://[::1", reason: "'[' without ']'"),
        Refused(url: "h2c://[::1]8080", reason: "expected ':port'"),
        Refused(url: "h2c://[example.com]:80", reason: "not an IPv6 address"),
        Refused(url: "grpc://api.clarifai.com", reason: "expected https://"),
    ]

    @Test(arguments: refused)
    func refuses(_ expected: Refused) {
        do {
            let endpoint = try Endpoint(expected.url)
            Issue.record("accepted as \(endpoint)")
        } catch {
            #expect(error.kind == .invalidEndpoint)
            #expect(error.message.contains(expected.reason), "\(error.message)")
            #expect(!error.description.contains("s3cret"), "the password is in '\(error.description)'")
            #expect(!error.description.contains("\r") && !error.description.contains("\n"))
        }
    }

    /// The client refuses them too, when it is made: no name is ever looked up.
    @Test func theClientRefusesAnEndpointWithUserInformation() {
        var configuration = ClientConfiguration()
        configuration.endpoint = "https://user:s3cret-pw@localhost:1"
        configuration.key = "k"
        #expect(throws: TransportError.self) { _ = try AnnotationsClient(configuration: configuration) }
        do {
            _ = try AnnotationsClient(configuration: configuration)
        } catch {
            #expect(error.kind == .invalidEndpoint)
            #expect(!error.description.contains("s3cret"))
        }
    }
}
