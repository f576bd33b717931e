internal import COpenSSL

/// An OpenSSL server context: certificate, key, TLS 1.2+, ALPN choosing `h2` over `http/1.1`.
final class ServerTLSContext {
    let pointer: OpaquePointer

    init(_ configuration: ServerTLSConfiguration) throws(TransportError) {
        OpenSSLLibrary.prepare()
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_server_method()) else {
            throw TransportError(.tlsFailed, "SSL_CTX_new: \(openSSLErrors())")
        }
        pointer = context
        _ = copenssl_ctx_set_min_proto_version(context, copenssl_tls1_2_version())
        _ = copenssl_ctx_set_mode(
            context, copenssl_mode_enable_partial_write() | copenssl_mode_accept_moving_write_buffer()
        )
        guard SSL_CTX_use_certificate_chain_file(context, configuration.certificateFile) == 1 else {
            throw TransportError(.tlsFailed, "cannot load \(configuration.certificateFile): \(openSSLErrors())")
        }
        guard SSL_CTX_use_PrivateKey_file(context, configuration.keyFile, SSL_FILETYPE_PEM) == 1,
            SSL_CTX_check_private_key(context) == 1
        else {
            throw TransportError(.tlsFailed, "cannot load \(configuration.keyFile): \(openSSLErrors())")
        }
        SSL_CTX_set_alpn_select_cb(context, selectProtocol, nil)
    }

    deinit { SSL_CTX_free(pointer) }
}

/// Our preference order in ALPN wire format; static so the pointer handed to OpenSSL stays
/// valid, and never written after initialisation.
nonisolated(unsafe) private let serverProtocols: UnsafeMutablePointer<UInt8> = {
    let list: [UInt8] = [2] + Array("h2".utf8) + [8] + Array("http/1.1".utf8)
    let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: list.count)
    pointer.initialize(from: list, count: list.count)
    return pointer
}()
private let serverProtocolsLength: UInt32 = 12

private let selectProtocol:
    @convention(c) (
        OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
        UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?
    ) -> Int32 = { _, out, outLength, offered, offeredLength, _ in
        var selected: UnsafeMutablePointer<UInt8>?
        let result = SSL_select_next_proto(
            &selected, outLength, serverProtocols, serverProtocolsLength, offered, offeredLength)
        guard result == OPENSSL_NPN_NEGOTIATED, let selected else { return copenssl_tlsext_err_alert_fatal() }
        out?.pointee = UnsafePointer(selected)
        return copenssl_tlsext_err_ok()
    }
