internal import COpenSSL

#if canImport(Glibc)
    import Glibc
#endif

/// An OpenSSL client context: trust store, TLS 1.2+, ALPN (`h2`, or `http/1.1` for the
/// HTTP/1.1 client). Owns its `SSL_CTX`.
final class TLSContext {
    let pointer: OpaquePointer

    init(configuration: TLSConfiguration, alpn protocols: [String] = ["h2"]) throws(TransportError) {
        OpenSSLLibrary.prepare()
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw TransportError(.tlsFailed, "SSL_CTX_new: \(openSSLErrors())")
        }
        pointer = context
        _ = copenssl_ctx_set_min_proto_version(context, copenssl_tls1_2_version())
        _ = copenssl_ctx_set_mode(
            context, copenssl_mode_enable_partial_write() | copenssl_mode_accept_moving_write_buffer()
        )
        // Whatever the socket holds in one read, rather than a record header and then its body
        // in two: half the reads per response. (Readers check `mayHaveBufferedInput`.)
        copenssl_ctx_set_read_ahead(context, 1)
        let alpn = protocols.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
        guard SSL_CTX_set_alpn_protos(context, alpn, UInt32(alpn.count)) == 0 else {
            throw TransportError(.tlsFailed, "SSL_CTX_set_alpn_protos: \(openSSLErrors())")
        }
        if configuration.verifiesPeer {
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
            if let caFile = configuration.caFile {
                guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
                    throw TransportError(.tlsFailed, "cannot load CA file \(caFile): \(openSSLErrors())")
                }
            } else {
                guard SSL_CTX_set_default_verify_paths(context) == 1 else {
                    throw TransportError(.tlsFailed, "cannot load the system trust store: \(openSSLErrors())")
                }
            }
        } else {
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        }
    }

    deinit { SSL_CTX_free(pointer) }
}

/// A TLS client session over a connected socket. Owns its `SSL`; used only on the I/O thread.
final class TLSChannel: ByteChannel {
    private let socket: TCPSocket
    /// Keeps the `SSL_CTX` alive as long as the session.
    private let context: AnyObject
    private let ssl: OpaquePointer
    private let isServer: Bool
    var fd: Int32 { socket.fd }

    convenience init(socket: TCPSocket, context: TLSContext, serverName: String, verifiesPeer: Bool)
        throws(TransportError)
    {
        try self.init(socket: socket, context: context, contextPointer: context.pointer, isServer: false)
        let isIPAddress = serverName.contains(":") || serverName.allSatisfy { $0.isNumber || $0 == "." }
        if !isIPAddress {
            _ = copenssl_set_tlsext_host_name(ssl, serverName)  // SNI (never for IP literals, RFC 6066)
        }
        if verifiesPeer {
            let param = SSL_get0_param(ssl)
            let ok = isIPAddress ? X509_VERIFY_PARAM_set1_ip_asc(param, serverName) : SSL_set1_host(ssl, serverName)
            guard ok == 1 else { throw TransportError(.tlsFailed, "cannot set the name to verify: \(openSSLErrors())") }
        }
    }

    /// The server side of a connection just accepted.
    convenience init(acceptedSocket socket: TCPSocket, context: ServerTLSContext) throws(TransportError) {
        try self.init(socket: socket, context: context, contextPointer: context.pointer, isServer: true)
    }

    private init(socket: TCPSocket, context: AnyObject, contextPointer: OpaquePointer, isServer: Bool)
        throws(TransportError)
    {
        self.socket = socket
        self.context = context
        self.isServer = isServer
        ERR_clear_error()
        guard let ssl = SSL_new(contextPointer) else {
            throw TransportError(.tlsFailed, "SSL_new: \(openSSLErrors())")
        }
        self.ssl = ssl
        // Not SSL_set_fd: OpenSSL's socket BIO writes with write(2), which raises SIGPIPE.
        guard let bio = SocketBIO.make(fd: socket.fd) else {
            throw TransportError(.tlsFailed, "BIO_new: \(openSSLErrors())")
        }
        SSL_set_bio(ssl, bio, bio)  // one reference, taken by the SSL for both directions
    }

    deinit { SSL_free(ssl) }

    /// The protocol ALPN settled on, if any.
    var negotiatedProtocol: String? {
        var protocolName: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &protocolName, &length)
        return protocolName.map { String(decoding: UnsafeBufferPointer(start: $0, count: Int(length)), as: UTF8.self) }
    }

    var hasBufferedInput: Bool { SSL_pending(ssl) > 0 }
    var mayHaveBufferedInput: Bool { SSL_has_pending(ssl) == 1 }

    /// Runs the handshake to completion or until `timeout` seconds have passed. A client
    /// requires the server to select `requiredProtocol` in ALPN (nil: any, or none).
    func handshake(timeout: Double, requiredProtocol: String? = "h2") throws(TransportError) {
        let deadline = monotonicSeconds() + timeout
        while true {
            ERR_clear_error()
            let result = isServer ? SSL_accept(ssl) : SSL_connect(ssl)
            if result == 1 { break }
            let error = SSL_get_error(ssl, result)
            let events: Int32
            switch error {
            case SSL_ERROR_WANT_READ: events = Int32(POLLIN)
            case SSL_ERROR_WANT_WRITE: events = Int32(POLLOUT)
            default: throw TransportError(.tlsFailed, handshakeFailure(error))
            }
            let remaining = deadline - monotonicSeconds()
            guard remaining > 0 else { throw TransportError(.tlsFailed, "handshake timed out", isRetryable: true) }
            var pollFD = pollfd(fd: socket.fd, events: Int16(events), revents: 0)
            _ = poll(&pollFD, 1, pollMilliseconds(remaining))
        }
        guard !isServer, let requiredProtocol else { return }
        let selected = negotiatedProtocol
        guard selected == requiredProtocol else {
            throw TransportError(
                .alpnMismatch, "the server selected \(selected.map { "'\($0)'" } ?? "no protocol") in ALPN")
        }
    }

    private func handshakeFailure(_ error: Int32) -> String {
        let verify = SSL_get_verify_result(ssl)
        if verify != X509_V_OK {
            return "certificate verify failed: \(String(cString: X509_verify_cert_error_string(verify)))"
        }
        let queued = openSSLErrors()
        if error == SSL_ERROR_SYSCALL || error == SSL_ERROR_ZERO_RETURN {
            return queued.isEmpty ? "the server closed the connection during the handshake" : queued
        }
        return queued.isEmpty ? "SSL_connect failed (error \(error))" : queued
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> IOStatus {
        ERR_clear_error()
        var count = 0
        let result = SSL_read_ex(ssl, buffer.baseAddress, buffer.count, &count)
        if result == 1 { return .done(count) }
        return try status(SSL_get_error(ssl, result), "SSL_read")
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(TransportError) -> IOStatus {
        ERR_clear_error()
        var count = 0
        let result = SSL_write_ex(ssl, bytes.baseAddress, bytes.count, &count)
        if result == 1 { return .done(count) }
        return try status(SSL_get_error(ssl, result), "SSL_write")
    }

    private func status(_ error: Int32, _ function: String) throws(TransportError) -> IOStatus {
        switch error {
        case SSL_ERROR_WANT_READ: return .wouldBlock(wantsWrite: false)
        case SSL_ERROR_WANT_WRITE: return .wouldBlock(wantsWrite: true)
        case SSL_ERROR_ZERO_RETURN: return .closed
        case SSL_ERROR_SYSCALL:
            let queued = openSSLErrors()
            if queued.isEmpty { return .closed }  // EOF without close_notify, or a reset
            throw TransportError(.connectionClosed, "\(function): \(queued)")
        default:
            throw TransportError(.tlsFailed, "\(function): \(openSSLErrors())")
        }
    }
}

/// Drains OpenSSL's error queue into one line of its own reason texts.
func openSSLErrors() -> String {
    var messages: [String] = []
    while true {
        let code = ERR_get_error()
        if code == 0 { break }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // "error:0A000086:SSL routines::certificate verify failed" → keep the reason.
        messages.append(text.split(separator: ":", maxSplits: 4).last.map(String.init) ?? text)
    }
    return messages.joined(separator: "; ")
}

/// Seconds on a monotonic clock, for deadlines inside the I/O thread.
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
