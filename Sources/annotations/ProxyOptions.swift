import ArgumentParser
import H2Transport

/// `--proxy` and `--no-proxy`: how the network subcommands reach the server.
struct ProxyOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "HTTP CONNECT proxy, http://[user:password@]host:port (default: the first set of $grpc_proxy, "
                + "$https_proxy, $http_proxy, the https one skipped for h2c endpoints; hosts in $no_grpc_proxy, "
                + "else $no_proxy, connect directly).",
            valueName: "url"))
    var proxy: String?

    @Flag(name: .customLong("no-proxy"), help: "Connect directly, whatever the proxy environment variables say.")
    var noProxy = false

    func validate() throws {
        if proxy != nil && noProxy { throw ValidationError("--proxy and --no-proxy exclude each other") }
        _ = try setting()
    }

    /// The proxy setting these options describe.
    func setting() throws -> ProxySetting {
        if noProxy { return .none }
        guard let proxy else { return .environment }
        do {
            return .proxy(try HTTPProxy(proxy))
        } catch {
            throw ValidationError("--proxy: \(error.message)")  // the message never holds the password
        }
    }

    /// The proxy password, which must never be printed.
    var secrets: [String] {
        guard let proxy, let parsed = try? HTTPProxy(proxy), let password = parsed.password, !password.isEmpty else {
            return []
        }
        return [password]
    }
}
