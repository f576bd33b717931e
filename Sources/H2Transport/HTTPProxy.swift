import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An HTTP proxy that opens tunnels with `CONNECT` (RFC 9110 §9.3.6): `http://[user:password@]host[:port]`.
///
/// Networks with controlled egress (corporate, Kubernetes) let connections out only through
/// such a proxy. gRPC, REST over HTTP/2 and REST over HTTP/1.1 all go through the tunnel; TLS
/// runs inside it to the origin, with SNI and certificate checks for the origin's name.
///
/// ```swift
/// var connection = ConnectionConfiguration()
/// connection.proxy = .proxy(try HTTPProxy("http://alice:s3cret@proxy.corp:3128"))
/// ```
public struct HTTPProxy: Sendable, Hashable, CustomStringConvertible {
    /// The proxy's host name or IP address (without the brackets of an IPv6 literal).
    public var host: String
    /// The proxy's TCP port (80 when the URL gives none).
    public var port: Int
    /// Basic credentials (`Proxy-Authorization`), when the URL has them. Never printed.
    public var username: String?
    /// The Basic password that goes with `username`. Never printed, dumped or logged.
    public var password: String?

    /// A proxy from its parts, taken as given (`init(_:)` parses and checks a URL).
    public init(host: String, port: Int, username: String? = nil, password: String? = nil) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
    }

    /// Parses `http://[user:password@]host[:port]` (port 80 by default) or, as the proxy
    /// environment variables are often written, `host:port` without a scheme. The user and
    /// password are percent-decoded.
    public init(_ url: String) throws(TransportError) {
        var rest = Substring(url.trimmingCharacters(in: .whitespaces))
        if let range = rest.range(of: "://") {
            let scheme = rest[..<range.lowerBound].lowercased()
            guard scheme == "http" else {
                throw TransportError(.invalidProxy, "\(HTTPProxy.redacted(url)): only http:// proxies are supported")
            }
            rest = rest[range.upperBound...]
        }
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.contains("/"), !rest.contains("?"), !rest.contains("#") else {
            throw TransportError(
                .invalidProxy, "\(HTTPProxy.redacted(url)): a proxy URL has no path, query or fragment")
        }
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userinfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let parts = userinfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let user = HTTPProxy.percentDecoded(parts[0]),
                let secret = parts.count > 1 ? HTTPProxy.percentDecoded(parts[1]) : ""
            else {
                throw TransportError(
                    .invalidProxy, "\(HTTPProxy.redacted(url)): bad percent-encoding in the credentials")
            }
            username = user
            password = secret
        }
        let (host, port) = try HTTPProxy.hostAndPort(rest, defaultPort: 80, in: url)
        self.init(host: host, port: port, username: username, password: password)
    }

    /// `http://host:port`, credentials left out.
    public var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "http://\(hostPart):\(port)"
    }

    /// The `Proxy-Authorization` value, when there are credentials.
    var authorization: String? {
        guard let username else { return nil }
        return "Basic " + Data("\(username):\(password ?? "")".utf8).base64EncodedString()
    }

    // MARK: Parsing

    static func hostAndPort(_ text: Substring, defaultPort: Int, in url: String) throws(TransportError) -> (String, Int)
    {
        var host = text
        var port = defaultPort
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw TransportError(.invalidProxy, "\(redacted(url)): unclosed '['")
            }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if after.hasPrefix(":") { port = Int(after.dropFirst()) ?? -1 } else if !after.isEmpty { port = -1 }
        } else if text.filter({ $0 == ":" }).count > 1 {
            throw TransportError(.invalidProxy, "\(redacted(url)): an IPv6 address goes in brackets, [::1]:3128")
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            port = Int(text[text.index(after: colon)...]) ?? -1
        }
        guard !host.isEmpty else { throw TransportError(.invalidProxy, "\(redacted(url)): no host") }
        guard (1...65535).contains(port) else {
            throw TransportError(.invalidProxy, "\(redacted(url)): a port in 1…65535 is required")
        }
        return (String(host), port)
    }

    /// The URL with any password replaced, for error messages.
    static func redacted(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@") else { return url }
        // The userinfo starts after a scheme's "://" only when that comes before the "@".
        let start = url.range(of: "://").map { $0.upperBound <= at ? $0.upperBound : url.startIndex } ?? url.startIndex
        let userinfo = url[start..<at]
        let user = userinfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return String(url[..<start]) + user + ":***" + String(url[at...])
    }

    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexDigitValue), let low = iterator.next().flatMap(hexDigitValue)
            else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

/// `dump(configuration)` and debuggers show the proxy without its password.
extension HTTPProxy: CustomReflectable {
    /// `host`, `port` and `username` only: the password never shows in `dump` or a debugger.
    public var customMirror: Mirror {
        Mirror(self, children: ["host": host, "port": port, "username": username as Any], displayStyle: .struct)
    }
}
