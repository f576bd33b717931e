import Foundation

#if canImport(Glibc)
    import Glibc
#endif

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
        if !ranges.isEmpty, let address = ProxyBypass.addressBytes(host),
            ranges.contains(where: { $0.contains(address) })
        {
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
