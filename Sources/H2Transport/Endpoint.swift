/// Where to connect: `https://host[:port]` (TLS, port 443 by default) or `h2c://host:port`
/// (plaintext HTTP/2 with prior knowledge; `http://` means the same).
///
/// ```swift
/// let endpoint = try Endpoint("https://api.clarifai.com")
/// ```
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var usesTLS: Bool

    public init(host: String, port: Int, usesTLS: Bool) {
        self.host = host
        self.port = port
        self.usesTLS = usesTLS
    }

    public init(_ url: String) throws(TransportError) {
        let schemes: [(String, Bool, Int?)] = [("https://", true, 443), ("h2c://", false, nil), ("http://", false, 80)]
        guard let (prefix, tls, defaultPort) = schemes.first(where: { url.lowercased().hasPrefix($0.0) }) else {
            throw TransportError(.invalidEndpoint, "\(url): expected https://host[:port] or h2c://host:port")
        }
        var rest = Substring(url.dropFirst(prefix.count))
        if let slash = rest.firstIndex(of: "/") {
            guard rest[slash...].allSatisfy({ $0 == "/" }) else {
                throw TransportError(.invalidEndpoint, "\(url): paths are not supported")
            }
            rest = rest[..<slash]
        }
        var host = rest
        var port = defaultPort
        if rest.hasPrefix("[") {  // [::1]:8080
            guard let close = rest.firstIndex(of: "]") else { throw TransportError(.invalidEndpoint, url) }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { port = Int(after.dropFirst()) ?? -1 }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            port = Int(rest[rest.index(after: colon)...]) ?? -1
        }
        guard !host.isEmpty else { throw TransportError(.invalidEndpoint, "\(url): no host") }
        guard let port, (1...65535).contains(port) else {
            throw TransportError(.invalidEndpoint, "\(url): a port in 1…65535 is required")
        }
        self.init(host: String(host), port: port, usesTLS: tls)
    }

    /// The `:authority` pseudo-header: the host, and the port unless it is the scheme's default.
    public var authority: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return (usesTLS && port == 443) ? hostPart : "\(hostPart):\(port)"
    }

    /// The `:scheme` pseudo-header.
    public var scheme: String { usesTLS ? "https" : "http" }

    public var description: String { "\(usesTLS ? "https" : "h2c")://\(authority)" }
}

/// How to secure a TLS connection. Verification is on by default.
///
/// ```swift
/// var tls = TLSConfiguration()
/// tls.caFile = "/etc/corp/ca.pem"   // a private CA instead of the system trust store
/// ```
public struct TLSConfiguration: Sendable, Hashable {
    /// PEM file of CA certificates to trust instead of the system store.
    public var caFile: String?
    /// Checks the certificate chain and the host name. Turn off only for local tests.
    public var verifiesPeer = true
    /// The name sent in SNI and checked against the certificate; the endpoint's host by default.
    public var serverName: String?

    public init(caFile: String? = nil, verifiesPeer: Bool = true, serverName: String? = nil) {
        self.caFile = caFile
        self.verifiesPeer = verifiesPeer
        self.serverName = serverName
    }
}
