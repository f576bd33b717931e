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
    public var host: String
    public var port: Int
    /// Basic credentials (`Proxy-Authorization`), when the URL has them. Never printed.
    public var username: String?
    public var password: String?

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
            throw TransportError(.invalidProxy, "\(HTTPProxy.redacted(url)): a proxy URL has no path, query or fragment")
        }
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userinfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let parts = userinfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let user = HTTPProxy.percentDecoded(parts[0]),
                  let secret = parts.count > 1 ? HTTPProxy.percentDecoded(parts[1]) : ""
            else { throw TransportError(.invalidProxy, "\(HTTPProxy.redacted(url)): bad percent-encoding in the credentials") }
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

    static func hostAndPort(_ text: Substring, defaultPort: Int, in url: String) throws(TransportError) -> (String, Int) {
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
            guard let high = iterator.next().flatMap(hexDigitValue), let low = iterator.next().flatMap(hexDigitValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

/// Whether and how connections go through an HTTP proxy.
///
/// ```swift
/// configuration.proxy = .environment          // the default: grpc_proxy, https_proxy, no_proxy, …
/// configuration.proxy = .none                 // always connect directly
/// configuration.proxy = .proxy(try HTTPProxy("http://proxy.corp:3128"))
/// ```
public enum ProxySetting: Sendable, Hashable {
    /// As gRPC C-core reads the environment: the first of `grpc_proxy`, `https_proxy`,
    /// `HTTPS_PROXY`, `http_proxy`, `HTTP_PROXY` that is set names the proxy (set but empty: no
    /// proxy); for h2c endpoints `https_proxy`/`HTTPS_PROXY` are skipped (they are for TLS, as
    /// curl reads them). Hosts that `no_grpc_proxy`, else `no_proxy`/`NO_PROXY`, lists connect
    /// directly.
    case environment
    /// Connect directly.
    case none
    /// Through this proxy, whatever the environment says.
    case proxy(HTTPProxy)

    /// The proxy for a connection to `endpoint`, if any. A malformed proxy variable is an
    /// error, not a silent direct connection (which controlled egress would refuse anyway).
    public func proxy(for endpoint: Endpoint) throws(TransportError) -> HTTPProxy? {
        switch self {
        case .none: return nil
        case .proxy(let proxy): return proxy
        case .environment: return try ProxyEnvironment.current.proxy(for: endpoint)
        }
    }
}

/// The proxy variables of a process environment.
struct ProxyEnvironment {
    var variables: [String: String]

    static var current: ProxyEnvironment {
        let names = ["grpc_proxy", "https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "no_grpc_proxy", "no_proxy", "NO_PROXY"]
        var variables: [String: String] = [:]
        for name in names {
            if let value = getenv(name) { variables[name] = String(cString: value) }
        }
        return ProxyEnvironment(variables: variables)
    }

    func proxy(for endpoint: Endpoint) throws(TransportError) -> HTTPProxy? {
        let candidates = endpoint.usesTLS
            ? ["grpc_proxy", "https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"]
            : ["grpc_proxy", "http_proxy", "HTTP_PROXY"]
        // The first one set decides, as in C-core: `grpc_proxy=` turns a proxy of the others off.
        guard let name = candidates.first(where: { variables[$0] != nil }), let value = variables[name],
              !value.trimmingCharacters(in: .whitespaces).isEmpty
        else { return nil }
        let bypass = ["no_grpc_proxy", "no_proxy", "NO_PROXY"].lazy.compactMap { variables[$0] }.first ?? ""
        if ProxyBypass(bypass).matches(host: endpoint.host, port: endpoint.port) { return nil }
        do {
            return try HTTPProxy(value)
        } catch {
            throw TransportError(.invalidProxy, "$\(name): \(error.message)")
        }
    }
}

/// A `no_proxy` list: comma-separated entries, each `*` (every host), a host name matched with
/// its subdomains (`example.com` and `.example.com` both match `api.example.com`), an IP
/// literal, or a CIDR range (`10.0.0.0/8`, `fd00::/8`) that IP-literal hosts are matched
/// against; a name or IP literal with `:port` matches that port only.
struct ProxyBypass {
    private struct Entry {
        var host: String
        var port: Int?
    }
    private struct Range {
        var network: [UInt8]
        var prefixLength: Int

        /// `10.0.0.0/8` → the network's bytes and 8; nil for anything else.
        init?(_ text: Substring) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let length = Int(parts[1]), let bytes = ProxyBypass.addressBytes(String(parts[0])),
                  (0...bytes.count * 8).contains(length)
            else { return nil }
            network = bytes
            prefixLength = length
        }

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == network.count else { return false }
            for bit in 0..<prefixLength where (address[bit / 8] ^ network[bit / 8]) & (0x80 >> UInt8(bit % 8)) != 0 {
                return false
            }
            return true
        }
    }
    private let ranges: [Range]
    private let entries: [Entry]
    private let matchesEverything: Bool

    init(_ list: String) {
        var entries: [Entry] = []
        var ranges: [Range] = []
        var everything = false
        for raw in list.split(separator: ",") {
            let item = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if item.isEmpty { continue }
            if item == "*" {
                everything = true
                continue
            }
            if item.contains("/") {
                if let range = Range(Substring(item)) { ranges.append(range) }
                continue
            }
            var host = Substring(item)
            var port: Int?
            if host.hasPrefix("[") {  // [::1]:8080
                if let close = host.firstIndex(of: "]") {
                    let after = host[host.index(after: close)...]
                    if after.hasPrefix(":") { port = Int(after.dropFirst()) }
                    host = host[host.index(after: host.startIndex)..<close]
                }
            } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
                port = Int(host[host.index(after: colon)...])
                host = host[..<colon]
            }
            while host.hasPrefix(".") || host.hasPrefix("*.") { host = host.drop { $0 == "." || $0 == "*" } }
            if !host.isEmpty { entries.append(Entry(host: String(host), port: port)) }
        }
        self.entries = entries
        matchesEverything = everything
        self.ranges = ranges
    }

    func matches(host: String, port: Int) -> Bool {
        if matchesEverything { return true }
        if !ranges.isEmpty, let address = ProxyBypass.addressBytes(host), ranges.contains(where: { $0.contains(address) }) {
            return true
        }
        let host = host.lowercased()
        return entries.contains { entry in
            if let entryPort = entry.port, entryPort != port { return false }
            return host == entry.host || host.hasSuffix("." + entry.host)
        }
    }

    /// The 4 or 16 bytes of an IP literal, nil for a name.
    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: v6) { Array($0) } }
        return nil
    }
}
