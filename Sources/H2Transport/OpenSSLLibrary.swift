internal import COpenSSL

/// OpenSSL's process-wide set-up, done once before the first OpenSSL call of the package.
///
/// By default OpenSSL registers an `atexit` handler (`OPENSSL_cleanup`) that frees its global
/// state when the process exits. A process that exits with a connection still open, such as a
/// command-line tool that returns from `main` right after closing its client, then races that
/// cleanup against the connection's I/O thread, still in `SSL_free` or `ERR_clear_error`: a
/// use after free that corrupts the heap in the last instant of the process (the likely cause
/// of a "corrupted size vs. prev_size" abort seen once in a few thousand CLI runs). Without the
/// handler, the operating system reclaims the memory as with any exiting process.
enum OpenSSLLibrary {
    /// Call before any other OpenSSL function; later calls do nothing.
    static func prepare() {
        _ = initialized
    }

    private static let initialized: Bool = {
        let options =
            UInt64(OPENSSL_INIT_NO_ATEXIT) | UInt64(OPENSSL_INIT_LOAD_SSL_STRINGS)
            | UInt64(OPENSSL_INIT_LOAD_CRYPTO_STRINGS)
        return OPENSSL_init_ssl(options, nil) == 1
    }()
}
