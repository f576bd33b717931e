/// Where to connect: `https://host[:port]` (TLS, port 443 by default) or `h2c://host:port`
/// (plaintext HTTP/2 with prior knowledge; `http://` means the same).
///
/// ```swift
/// let endpoint = try Endpoint("https://api.clarifai.com")
/// ```
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    /// The host name or IP address, without the brackets of an IPv6 literal (`::1`).
    public var host: String
    /// The TCP port, 1…65535.
    public var port: Int
    /// True for `https` (TLS, ALPN `h2`); false for plaintext HTTP (h2c with prior knowledge,
    /// or HTTP/1.1).
    public var usesTLS: Bool

    /// An endpoint from its parts, taken as given: nothing is checked (`init(_:)` checks a URL).
    public init(host: String, port: Int, usesTLS: Bool) {
        self.host = host
        self.port = port
        self.usesTLS = usesTLS
    }

    /// Parses `https://host[:port]`, `h2c://host:port` or `http://host[:port]`, with at most
    /// trailing slashes after the authority.
    ///
    /// Refused with `.invalidEndpoint`, before any name is looked up: another scheme, a path, a
    /// query or a fragment, user information (`user:password@`; the key goes in the
    /// `authorization` metadata, and the refusal never repeats the URL, which may hold a
    /// password), a host with characters no host name or IP literal has, and a port that is not
    /// 1…65535 in decimal digits.
    public init(_ url: String) throws(TransportError) {
        if let at = url.lastIndex(of: "@") {
            // Checked first: no message may quote the part before the "@", which may be a password.
            let host = url[url.index(after: at)...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            throw TransportError(
                .invalidEndpoint,
                "…@\(Endpoint.printable(host)): user information (user:password@) is not supported; "
                    + "the key goes in the authorization metadata")
        }
        let shown = Endpoint.printable(url)
        let schemes: [(String, Bool, Int?)] = [("https://", true, 443), ("h2c://", false, nil), ("http://", false, 80)]
        guard let (prefix, tls, defaultPort) = schemes.first(where: { url.lowercased().hasPrefix($0.0) }) else {
            throw TransportError(.invalidEndpoint, "\(shown): expected https://host[:port] or h2c://host:port")
        }
        let afterScheme = Substring(url.dropFirst(prefix.count))
        // RFC 3986 §3.2: the authority ends at the first "/", "?" or "#".
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        let tail = afterScheme[authorityEnd...]
        if tail.contains("?") || tail.contains("#") {
            throw TransportError(.invalidEndpoint, "\(shown): a query or a fragment is not supported")
        }
        guard tail.allSatisfy({ $0 == "/" }) else {
            throw TransportError(.invalidEndpoint, "\(shown): paths are not supported")
        }
        var host = authority
        var portText: Substring?
        if authority.hasPrefix("[") {  // [::1]:8080
            guard let close = authority.firstIndex(of: "]") else {
                throw TransportError(.invalidEndpoint, "\(shown): '[' without ']' in the host")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw TransportError(.invalidEndpoint, "\(shown): expected ':port' after ']'")
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw TransportError(.invalidEndpoint, "\(shown): not an IPv6 address between '[' and ']'")
            }
        } else {
            if let colon = authority.lastIndex(of: ":") {
                host = authority[..<colon]
                portText = authority[authority.index(after: colon)...]
            }
            // Letters, digits, '-', '.' and '_' (RFC 1123 names, IPv4 literals, and the '_' of some
            // internal names): anything else would only fail later, in the name lookup.
            guard host.unicodeScalars.allSatisfy({ Endpoint.hostCharacters.contains($0) }) else {
                throw TransportError(
                    .invalidEndpoint, "\(shown): the host may hold only letters, digits, '-', '.' and '_'")
            }
        }
        guard !host.isEmpty else { throw TransportError(.invalidEndpoint, "\(shown): no host") }
        var port = defaultPort
        if let portText {
            // Int("+80") is 80: only plain decimal digits make a port.
            guard (1...5).contains(portText.count), portText.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw TransportError(.invalidEndpoint, "\(shown): a port in 1…65535 is required")
            }
            port = Int(portText)
        }
        guard let port, (1...65535).contains(port) else {
            throw TransportError(.invalidEndpoint, "\(shown): a port in 1…65535 is required")
        }
        self.init(host: String(host), port: port, usesTLS: tls)
    }

    private static let hostCharacters = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._".unicodeScalars)

    /// `text` for an error message, on one line: control characters are shown as `\u{…}`.
    private static func printable(_ text: some StringProtocol) -> String {
        text.unicodeScalars.map {
            $0.value < 0x20 || $0.value == 0x7f ? "\\u{\(String($0.value, radix: 16))}" : String($0)
        }
        .joined()
    }

    /// The `:authority` pseudo-header: the host, and the port unless it is the scheme's default.
    public var authority: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return (usesTLS && port == 443) ? hostPart : "\(hostPart):\(port)"
    }

    /// The `:scheme` pseudo-header.
    public var scheme: String { usesTLS ? "https" : "http" }

    /// The endpoint as a URL: `https://host[:port]` or `h2c://host:port`.
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

    /// A configuration with every setting given (by default: the system trust store, verification
    /// on, SNI from the endpoint's host). The CA file is read when a TLS connection is set up, not
    /// here: a missing or bad one fails that connect with `.tlsFailed`.
    public init(caFile: String? = nil, verifiesPeer: Bool = true, serverName: String? = nil) {
        self.caFile = caFile
        self.verifiesPeer = verifiesPeer
        self.serverName = serverName
    }
}
