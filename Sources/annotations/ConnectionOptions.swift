import AnnotationsRPC
import ArgumentParser
import Foundation
import H2Transport
import ProtoWire

/// `--transport`: the wire of the network subcommands.
struct TransportOption: ParsableArguments {
    @Option(
        name: .customLong("transport"),
        help: ArgumentHelp(
            "Wire protocol: grpc, rest (JSON over HTTP/2, also rest-h2) or rest-h1 (JSON over HTTP/1.1 keep-alive).",
            valueName: "grpc|rest|rest-h1"))
    var transport: Transport = .grpc
}

extension Transport: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "grpc": self = .grpc
        case "rest", "rest-h2": self = .rest
        case "rest-h1", "rest-http1": self = .restHTTP1
        default: return nil
        }
    }

    public static var allValueStrings: [String] { ["grpc", "rest", "rest-h2", "rest-h1"] }

    /// How summaries name it.
    var name: String {
        switch self {
        case .grpc: "gRPC"
        case .rest: "REST over HTTP/2"
        case .restHTTP1: "REST over HTTP/1.1"
        }
    }
}

/// Refuses a key that cannot go in a header as it is: a CR or LF would end the header (or
/// silently be dropped on HTTP/1.1), and gRPC metadata values are printable ASCII. The
/// message names where the key came from, never the key.
func checkKey(_ key: String?, from source: String) throws {
    guard let key else { return }
    if let bad = key.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7f }) {
        let name =
            bad == "\r"
            ? "a carriage return (CR)"
            : bad == "\n"
                ? "a line feed (LF)"
                : "the control character U+\(String(format: "%04X", bad.value))"
        throw ValidationError("\(source): the key holds \(name); it was not sent (check how it was copied)")
    }
    guard key.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7f }) else {
        throw ValidationError("\(source): the key must be printable ASCII; it was not sent")
    }
}

/// Where to connect and how to authenticate: the options every network subcommand shares.
struct ConnectionOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The server: https://host[:port], or h2c://host:port for plaintext HTTP/2.", valueName: "url"))
    var endpoint = "https://api.clarifai.com"

    @Option(
        help: ArgumentHelp(
            "Personal access token or app API key, sent as 'authorization: Key …' (default: $CLARIFAI_PAT). "
                + "Other users of the machine can read a key given here in 'ps': prefer CLARIFAI_PAT.",
            valueName: "key"))
    var pat: String?

    @Option(
        name: .customLong("user-id"),
        help: ArgumentHelp(
            "The app's owner; with --app-id, sent as user_app_id in every request.", valueName: "id"))
    var userID: String?

    @Option(
        name: .customLong("app-id"),
        help: ArgumentHelp(
            "The app; with --user-id, sent as user_app_id in every request.", valueName: "id"))
    var appID: String?

    @Option(
        name: .customLong("ca-file"),
        help: ArgumentHelp(
            "PEM file of CA certificates to trust instead of the system store.", valueName: "pem"))
    var caFile: String?

    @Flag(help: "Do not verify the server's TLS certificate (local tests only).")
    var insecure = false

    @Option(help: ArgumentHelp("Deadline of each call in seconds, retries included.", valueName: "seconds"))
    var timeout: Double = 30

    @Option(
        name: [.customShort("H"), .customLong("header")],
        help: ArgumentHelp(
            "Extra request metadata 'name: value' (repeatable; the name is lower-cased).", valueName: "header"))
    var headers: [String] = []

    @OptionGroup var wire: TransportOption
    @OptionGroup var proxy: ProxyOptions
    @OptionGroup var scale: ScaleOptions
    @OptionGroup var compression: CompressionOption

    @Flag(help: "Print every call, attempt, retry, throttling and connection event as a JSON line on stderr.")
    var verbose = false

    /// Metadata names the transport sets itself or that HTTP/2 forbids (RFC 9113 §8.2.2).
    private static let reservedHeaders: Set<String> = [
        "content-type", "te", "host", "connection", "keep-alive", "proxy-connection", "transfer-encoding",
        "upgrade", "user-agent",
    ]

    func validate() throws {
        do {
            _ = try Endpoint(endpoint)
        } catch {
            throw ValidationError("--endpoint: \(error.message.isEmpty ? error.description : error.message)")
        }
        if (userID == nil) != (appID == nil) {
            throw ValidationError("--user-id and --app-id go together: give both or neither")
        }
        if userID == "" || appID == "" { throw ValidationError("--user-id and --app-id must not be empty") }
        guard timeout.isFinite, timeout > 0, timeout <= 86_400 else {
            throw ValidationError("--timeout must be a number of seconds in (0, 86400]")
        }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw ValidationError("--ca-file: cannot read \(caFile)")
        }
        let metadata = try parsedHeaders()
        if key == nil && !metadata.contains(where: { $0.name == "authorization" }) {
            throw ValidationError("no key: give --pat or set CLARIFAI_PAT")
        }
        try checkKey(key, from: pat?.isEmpty == false ? "--pat" : "CLARIFAI_PAT")
    }

    /// The key from `--pat`, else `CLARIFAI_PAT`.
    var key: String? {
        if let pat, !pat.isEmpty { return pat }
        return ClientConfiguration.environmentKey
    }

    /// Every value that must never be printed: the key and the `authorization` header.
    var secrets: [String] {
        var secrets = (key.map { [$0] } ?? []) + proxy.secrets
        for header in (try? parsedHeaders()) ?? [] where header.name == "authorization" {
            secrets.append(header.value)
            if let token = header.value.split(separator: " ").last { secrets.append(String(token)) }
        }
        return secrets
    }

    /// `-H 'name: value'` → metadata, with the name lower-cased as gRPC requires. Error messages
    /// never quote a value, which may hold a token.
    func parsedHeaders() throws -> [HeaderField] {
        try headers.enumerated().map { index, header in
            guard let colon = header.firstIndex(of: ":"), colon != header.startIndex else {
                throw ValidationError("-H #\(index + 1): expected 'name: value'")
            }
            let name = header[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_.")
            guard !name.isEmpty, name.allSatisfy({ allowed.contains($0) }) else {
                throw ValidationError("-H #\(index + 1): the name may hold only a-z, 0-9, '-', '_' and '.'")
            }
            if name.hasPrefix("grpc-") || ConnectionOptions.reservedHeaders.contains(name) {
                throw ValidationError("-H #\(index + 1): '\(name)' is set by the transport and cannot be given")
            }
            guard value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7f }) else {
                throw ValidationError("-H #\(index + 1) (\(name)): the value must be printable ASCII")
            }
            return HeaderField(name, value)
        }
    }

    /// The client configuration these options describe.
    func configuration() throws -> ClientConfiguration {
        var configuration = ClientConfiguration()
        configuration.endpoint = endpoint
        let metadata = try parsedHeaders()
        // An explicit `-H 'authorization: …'` replaces the key.
        configuration.key = metadata.contains { $0.name == "authorization" } ? nil : key
        configuration.metadata = metadata
        if let userID, let appID { configuration.userAppID = UserAppIDSet(userID: userID, appID: appID) }
        configuration.defaultTimeout = .milliseconds(Int64((timeout * 1000).rounded(.up)))
        configuration.tls = TLSConfiguration(caFile: caFile, verifiesPeer: !insecure)
        configuration.transport = wire.transport
        configuration.connection.proxy = try proxy.setting()
        configuration.connection.compression = compression.compression
        scale.apply(to: &configuration)
        if verbose { configuration.observer = EventLog(secrets: secrets) }
        return configuration
    }

    /// Runs `body` with a client for these options; failures become exit statuses (see `ExitStatus`).
    func withClient(
        userAppID: UserAppIDSet? = nil, _ body: (AnnotationsClient) async throws -> Void
    ) async throws {
        try await reportingFailures(secrets: secrets) {
            var configuration = try configuration()
            if configuration.userAppID == nil, let userAppID { configuration.userAppID = userAppID }
            let client = try AnnotationsClient(configuration: configuration)
            do {
                try await body(client)
            } catch {
                await closeAndSettle(client)  // before the error line
                throw error
            }
            await closeAndSettle(client)
        }
    }
}

/// Closes the client; with `--verbose`, waits for its connections' last events, so that the
/// command's last line (a summary, an error) stays last.
func closeAndSettle(_ client: AnnotationsClient) async {
    client.close()
    if let log = client.configuration.observer as? EventLog { await log.settle() }
}
