import Testing

@testable import H2Transport

/// Proxy URLs, the proxy environment as gRPC C-core reads it, `no_proxy` lists, and the
/// CONNECT exchange's bytes.
@Suite struct HTTPProxyTests {
    @Test(
        arguments: [
            ("http://proxy.corp:3128", "proxy.corp", 3128, nil, nil),
            ("proxy.corp:3128", "proxy.corp", 3128, nil, nil),
            ("http://proxy.corp", "proxy.corp", 80, nil, nil),
            ("http://proxy.corp:3128/", "proxy.corp", 3128, nil, nil),
            ("HTTP://[::1]:8080", "::1", 8080, nil, nil),
            ("http://alice:s3cret@proxy:1", "proxy", 1, "alice", "s3cret"),
            ("http://al%40ice:p%3Aw@proxy:1", "proxy", 1, "al@ice", "p:w"),
            ("http://bob@proxy:1", "proxy", 1, "bob", ""),
        ] as [(String, String, Int, String?, String?)])
    func parses(url: String, host: String, port: Int, username: String?, password: String?) throws {
        let proxy = try HTTPProxy(url)
        #expect(proxy == HTTPProxy(host: host, port: port, username: username, password: password))
    }

    @Test(arguments: [
        "https://proxy:443", "socks5://proxy:1080", "http://proxy:0", "http://proxy:70000", "http://:8080",
        "http://proxy:port", "http://proxy:1/path", "http://proxy:1?q", "http://u:%zz@proxy:1", "http://[::1",
        "fe80::1", "http://fe80::1:3128",
    ])
    func refuses(url: String) {
        #expect(throws: TransportError.self) { try HTTPProxy(url) }
    }

    @Test func neverPrintsThePassword() throws {
        let proxy = try HTTPProxy("http://alice:s3cret@proxy:3128")
        #expect(proxy.description == "http://proxy:3128")
        var dumped = ""
        dump(ConnectionConfiguration.proxied(proxy), to: &dumped)
        #expect(!dumped.contains("s3cret") && dumped.contains("alice"))
        #expect(proxy.authorization == "Basic YWxpY2U6czNjcmV0")
        #expect(HTTPProxy.redacted("http://alice:s3cret@proxy:1") == "http://alice:***@proxy:1")
        #expect(HTTPProxy.redacted("alice:s3cret@proxy://x") == "alice:***@proxy://x")
        do {
            _ = try HTTPProxy("ftp://alice:s3cret@proxy:1")
            Issue.record("accepted ftp://")
        } catch {
            #expect(!error.description.contains("s3cret"))
        }
    }

    @Test func environmentAsGRPCCoreReadsIt() throws {
        let tls = Endpoint(host: "api.clarifai.com", port: 443, usesTLS: true)
        let h2c = Endpoint(host: "127.0.0.1", port: 8080, usesTLS: false)
        func proxy(_ variables: [String: String], _ endpoint: Endpoint) throws -> String? {
            try ProxyEnvironment(variables: variables).proxy(for: endpoint)?.description
        }
        #expect(try proxy([:], tls) == nil)
        #expect(try proxy(["https_proxy": "p1:1"], tls) == "http://p1:1")
        #expect(try proxy(["HTTPS_PROXY": "p1:1"], tls) == "http://p1:1")
        #expect(try proxy(["grpc_proxy": "g:1", "https_proxy": "p1:1"], tls) == "http://g:1")
        #expect(try proxy(["https_proxy": "p1:1"], h2c) == nil)  // h2c reads http_proxy
        #expect(try proxy(["http_proxy": "p2:2"], h2c) == "http://p2:2")
        #expect(try proxy(["http_proxy": "p2:2"], tls) == "http://p2:2")  // C-core's last resort
        #expect(try proxy(["https_proxy": "p1:1", "http_proxy": "p2:2"], tls) == "http://p1:1")
        #expect(try proxy(["grpc_proxy": "", "https_proxy": "p1:1"], tls) == nil)  // set but empty: off
        #expect(try proxy(["https_proxy": "p1:1", "no_proxy": "clarifai.com"], tls) == nil)
        #expect(
            try proxy(["https_proxy": "p1:1", "no_grpc_proxy": "example.com", "no_proxy": "clarifai.com"], tls)
                == "http://p1:1")
        #expect(throws: TransportError.self) { try proxy(["https_proxy": "ftp://x:1"], tls) }
    }

    @Test(
        arguments: [
            ("*", "anything.example", 1, true),
            ("clarifai.com", "api.clarifai.com", 443, true),
            ("clarifai.com", "clarifai.com", 443, true),
            (".clarifai.com", "api.clarifai.com", 443, true),
            ("*.clarifai.com", "api.clarifai.com", 443, true),
            ("clarifai.com", "notclarifai.com", 443, false),
            ("a.com, b.com ,c.com", "x.b.com", 1, true),
            ("localhost:8443", "localhost", 8443, true),
            ("localhost:8443", "localhost", 443, false),
            ("127.0.0.1", "127.0.0.1", 80, true),
            ("[::1]:80", "::1", 80, true),
            ("::1", "::1", 80, true),
            ("API.Clarifai.COM", "api.clarifai.com", 443, true),
            ("", "localhost", 80, false),
            ("10.0.0.0/8", "10.1.2.3", 443, true),
            ("10.0.0.0/8", "11.1.2.3", 443, false),
            ("192.168.1.0/24", "192.168.1.77", 1, true),
            ("192.168.1.0/25", "192.168.1.200", 1, false),
            ("fd00::/8", "fd12::1", 1, true),
            ("fd00::/8", "fe80::1", 1, false),
            ("10.0.0.0/8", "ten.example", 1, false),
            ("0.0.0.0/0", "8.8.8.8", 1, true),
        ] as [(String, String, Int, Bool)])
    func bypass(list: String, host: String, port: Int, matches: Bool) {
        #expect(ProxyBypass(list).matches(host: host, port: port) == matches)
    }

    @Test func connectRequest() throws {
        let proxy = try HTTPProxy("http://alice:s3cret@proxy:3128")
        let request = ProxyTunnel.request(
            to: Endpoint(host: "api.clarifai.com", port: 443, usesTLS: true), through: proxy, userAgent: "ua/1"
        )
        #expect(
            request == "CONNECT api.clarifai.com:443 HTTP/1.1\r\nHost: api.clarifai.com:443\r\nUser-Agent: ua/1\r\n"
                + "Proxy-Authorization: Basic YWxpY2U6czNjcmV0\r\n\r\n")
        let v6 = ProxyTunnel.request(
            to: Endpoint(host: "::1", port: 8080, usesTLS: false), through: HTTPProxy(host: "p", port: 1),
            userAgent: "u")
        #expect(v6.hasPrefix("CONNECT [::1]:8080 HTTP/1.1\r\n"))
    }

    @Test func connectAnswers() throws {
        let proxy = HTTPProxy(host: "p", port: 1)
        #expect(
            try ProxyTunnel.statusLine(of: Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8), proxy) == (
                200, "Connection established"
            ))
        #expect(
            try ProxyTunnel.statusLine(of: Array("HTTP/1.0 407 Proxy Authentication Required\r\n".utf8), proxy).0 == 407
        )
        #expect(throws: TransportError.self) {
            try ProxyTunnel.statusLine(of: Array("SSH-2.0-OpenSSH\r\n".utf8), proxy)
        }
        #expect(ProxyTunnel.headEnd(ArraySlice(Array("HTTP/1.1 200 OK\r\n\r\nTLS".utf8))) == 19)
        #expect(ProxyTunnel.headEnd(ArraySlice(Array("HTTP/1.1 200 OK\r\n".utf8))) == nil)
    }
}

extension ConnectionConfiguration {
    /// A configuration through `proxy`, as `dump` walks it.
    fileprivate static func proxied(_ proxy: HTTPProxy) -> ConnectionConfiguration {
        var configuration = ConnectionConfiguration()
        configuration.proxy = .proxy(proxy)
        return configuration
    }
}
