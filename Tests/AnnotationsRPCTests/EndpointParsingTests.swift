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
        // Schemes in any case; http:// is h2c:// with port 80 by default.
        Accepted(url: "H2C://LOCALHOST:50051", host: "LOCALHOST", port: 50051, usesTLS: false),
        Accepted(url: "Http://localhost:65535/", host: "localhost", port: 65535, usesTLS: false),
        Accepted(url: "hTTpS://api.clarifai.com:1", host: "api.clarifai.com", port: 1, usesTLS: true),
        // IPv6 literals: with a port, with trailing slashes, with an embedded IPv4 address.
        Accepted(url: "https://[::1]:443", host: "::1", port: 443, usesTLS: true),
        Accepted(url: "h2c://[fe80::1]:80///", host: "fe80::1", port: 80, usesTLS: false),
        Accepted(url: "https://[::ffff:192.0.2.1]:8443", host: "::ffff:192.0.2.1", port: 8443, usesTLS: true),
        Accepted(url: "https://[2001:DB8::A]", host: "2001:DB8::A", port: 443, usesTLS: true),
        // Up to five digits make a port, leading zeros included.
        Accepted(url: "h2c://localhost:08080", host: "localhost", port: 8080, usesTLS: false),
        Accepted(url: "https://xn--bcher-kva.example", host: "xn--bcher-kva.example", port: 443, usesTLS: true),
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
        // No scheme, or not one of the three.
        Refused(url: "", reason: "expected https://"),
        Refused(url: "api.clarifai.com", reason: "expected https://"),
        Refused(url: "api.clarifai.com:443", reason: "expected https://"),
        Refused(url: "//api.clarifai.com", reason: "expected https://"),
        Refused(url: "https:/api.clarifai.com", reason: "expected https://"),
        Refused(url: "https:api.clarifai.com", reason: "expected https://"),
        Refused(url: " https://api.clarifai.com", reason: "expected https://"),
        Refused(url: "ws://api.clarifai.com", reason: "expected https://"),
        Refused(url: "unix:///tmp/grpc.sock", reason: "expected https://"),
        Refused(url: "h2://localhost:80", reason: "expected https://"),
        // IPv6 literals.
        Refused(url: "https://[]", reason: "not an IPv6 address"),
        Refused(url: "https://[]:443", reason: "not an IPv6 address"),
        Refused(url: "https://[fe80::1%25eth0]", reason: "not an IPv6 address"),  // zone ids are not supported
        Refused(url: "https://[::g]", reason: "not an IPv6 address"),
        Refused(url: "https://[::1]x", reason: "expected ':port'"),
        Refused(url: "https://[[::1]]", reason: "expected ':port'"),
        Refused(url: "https://[::1]:", reason: "a port in 1…65535"),
        Refused(url: "https://[::1]:0", reason: "a port in 1…65535"),
        Refused(url: "https://[::1]:65536", reason: "a port in 1…65535"),
        Refused(url: "https://[::1]:-1", reason: "a port in 1…65535"),
        Refused(url: "h2c://[::1]", reason: "a port in 1…65535"),  // h2c has no default port
        Refused(url: "https://::1", reason: "the host may hold only"),  // an IPv6 address needs brackets
        Refused(url: "https://::1:443", reason: "the host may hold only"),
        // Ports.
        Refused(url: "https://localhost:", reason: "a port in 1…65535"),
        Refused(url: "https://localhost:99999", reason: "a port in 1…65535"),
        Refused(url: "https://localhost:123456", reason: "a port in 1…65535"),
        Refused(url: "https://localhost:-443", reason: "a port in 1…65535"),
        Refused(url: "https://localhost:8080a", reason: "a port in 1…65535"),
        Refused(url: "https://localhost: 80", reason: "a port in 1…65535"),
        Refused(url: "https://localhost:0x50", reason: "a port in 1…65535"),
        Refused(url: "https://localhost:\u{661}\u{662}", reason: "a port in 1…65535"),  // Arabic-Indic digits
        Refused(url: "https://localhost:\u{FF11}\u{FF12}", reason: "a port in 1…65535"),  // full-width digits
        Refused(url: "https://localhost:" + String(repeating: "9", count: 40), reason: "a port in 1…65535"),
        Refused(url: "https://localhost:443:443", reason: "the host may hold only"),
        // Hosts.
        Refused(url: "https://api.clarifai.com ", reason: "the host may hold only"),
        Refused(url: "https://bücher.example", reason: "the host may hold only"),
        Refused(url: "https://%61pi.clarifai.com", reason: "the host may hold only"),
        Refused(url: "https://api.clarifai.com\\evil", reason: "the host may hold only"),
        Refused(url: "https://api\u{0}.clarifai.com", reason: "the host may hold only"),
        Refused(url: "https://@api.clarifai.com", reason: "user information"),
        Refused(url: "https://api.clarifai.com@", reason: "user information"),
        // What follows the authority.
        Refused(url: "https://api.clarifai.com/v2/", reason: "paths are not supported"),
        Refused(url: "https://api.clarifai.com//v2", reason: "paths are not supported"),
        Refused(url: "https://api.clarifai.com#", reason: "query or a fragment"),
        Refused(url: "https://api.clarifai.com/v2?x", reason: "query or a fragment"),
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

    /// A refusal shows a control character as `\\u{…}`, so the message stays on one line and
    /// prints nothing a terminal would act on.
    @Test(arguments: [
        ("https://a\u{1}b", "https://a\\u{1}b"), ("https://a\u{1B}[2Jb", "https://a\\u{1b}[2Jb"),
        ("ftp://x\u{7F}", "ftp://x\\u{7f}"),
    ])
    func controlCharactersAreShownEscaped(url: String, shown: String) {
        #expect(throws: TransportError.self) { try Endpoint(url) }
        do {
            _ = try Endpoint(url)
        } catch {
            #expect(error.message.hasPrefix(shown + ": "), "\(error.message)")
            #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f })
        }
    }

    /// An accepted endpoint's description is an endpoint URL that parses back to it.
    @Test(arguments: accepted)
    func descriptionParsesBack(_ expected: Accepted) throws {
        let endpoint = try Endpoint(expected.url)
        #expect(try Endpoint(endpoint.description) == endpoint)
    }

    /// `:authority` omits only TLS's 443; IPv6 literals are bracketed; `:scheme` is http or https.
    @Test(
        arguments: [
            (Endpoint(host: "api.clarifai.com", port: 443, usesTLS: true), "api.clarifai.com", "https"),
            (Endpoint(host: "api.clarifai.com", port: 8443, usesTLS: true), "api.clarifai.com:8443", "https"),
            (Endpoint(host: "localhost", port: 80, usesTLS: false), "localhost:80", "http"),
            (Endpoint(host: "localhost", port: 443, usesTLS: false), "localhost:443", "http"),
            (Endpoint(host: "::1", port: 443, usesTLS: true), "[::1]", "https"),
            (Endpoint(host: "::1", port: 50051, usesTLS: false), "[::1]:50051", "http"),
        ] as [(Endpoint, String, String)])
    func authorityAndScheme(endpoint: Endpoint, authority: String, scheme: String) {
        #expect(endpoint.authority == authority)
        #expect(endpoint.scheme == scheme)
        #expect(endpoint.description == (endpoint.usesTLS ? "https://" : "h2c://") + authority)
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
