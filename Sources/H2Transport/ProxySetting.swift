import Foundation

#if canImport(Glibc)
    import Glibc
#endif

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
        let names = [
            "grpc_proxy", "https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "no_grpc_proxy", "no_proxy",
            "NO_PROXY",
        ]
        var variables: [String: String] = [:]
        for name in names {
            if let value = getenv(name) { variables[name] = String(cString: value) }
        }
        return ProxyEnvironment(variables: variables)
    }

    func proxy(for endpoint: Endpoint) throws(TransportError) -> HTTPProxy? {
        let candidates =
            endpoint.usesTLS
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
