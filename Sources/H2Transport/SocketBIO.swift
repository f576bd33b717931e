internal import COpenSSL

#if canImport(Glibc)
    import Glibc
#endif

/// An OpenSSL BIO over a socket whose writes cannot raise SIGPIPE.
///
/// OpenSSL's own socket BIO (what `SSL_set_fd` installs) writes with `write(2)`: a write to a
/// connection the peer has reset raises SIGPIPE, whose default action ends the whole process,
/// the user's service with it. A library must not change the host's signal disposition, so
/// the fix is at the root: this BIO writes with `send(…, MSG_NOSIGNAL)`, which fails with EPIPE
/// instead, and reads with `recv`. It never closes the descriptor (`TCPSocket` owns it).
///
/// End of stream is reported as OpenSSL 1.1 did (a read of 0 without the EOF control), so
/// that a peer leaving without close_notify is `SSL_ERROR_SYSCALL` with an empty error queue:
/// a closed connection, not a TLS failure.
enum SocketBIO {
    /// A new BIO on `fd`, or nil when OpenSSL cannot allocate one.
    static func make(fd: Int32) -> OpaquePointer? {
        guard let method, let bio = BIO_new(method) else { return nil }
        BIO_set_data(bio, UnsafeMutableRawPointer(bitPattern: Int(fd)))
        BIO_set_init(bio, 1)
        return bio
    }

    /// One method table for the process, built on first use (a global is initialised once,
    /// thread-safely).
    nonisolated(unsafe) private static let method: OpaquePointer? = {
        guard
            let method = BIO_meth_new(
                BIO_get_new_index() | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR, "h2transport socket")
        else { return nil }
        guard BIO_meth_set_write_ex(method, socketWrite) == 1, BIO_meth_set_read_ex(method, socketRead) == 1,
            BIO_meth_set_ctrl(method, socketControl) == 1
        else {
            BIO_meth_free(method)
            return nil
        }
        return method
    }()
}

private func descriptor(_ bio: OpaquePointer?) -> Int32 {
    Int32(truncatingIfNeeded: Int(bitPattern: BIO_get_data(bio)))
}

/// `BIO_clear_retry_flags`, a macro.
private func clearRetryFlags(_ bio: OpaquePointer?) {
    BIO_clear_flags(bio, BIO_FLAGS_READ | BIO_FLAGS_WRITE | BIO_FLAGS_IO_SPECIAL | BIO_FLAGS_SHOULD_RETRY)
}

private func isTransient(_ code: Int32) -> Bool {
    code == EAGAIN || code == EWOULDBLOCK || code == EINTR
}

private let socketWrite:
    @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<Int>?) -> Int32 = {
        bio, data, length, written in
        clearRetryFlags(bio)
        let count = send(descriptor(bio), data, length, Int32(MSG_NOSIGNAL))
        if count >= 0 {
            written?.pointee = count
            return 1
        }
        if isTransient(errno) { BIO_set_flags(bio, BIO_FLAGS_WRITE | BIO_FLAGS_SHOULD_RETRY) }
        written?.pointee = 0
        return 0
    }

private let socketRead:
    @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int, UnsafeMutablePointer<Int>?) -> Int32 = {
        bio, buffer, length, read in
        clearRetryFlags(bio)
        let count = recv(descriptor(bio), buffer, length, 0)
        if count > 0 {
            read?.pointee = count
            return 1
        }
        if count < 0, isTransient(errno) { BIO_set_flags(bio, BIO_FLAGS_READ | BIO_FLAGS_SHOULD_RETRY) }
        read?.pointee = 0
        return 0
    }

private let socketControl: @convention(c) (OpaquePointer?, Int32, Int, UnsafeMutableRawPointer?) -> Int = {
    _, command, _, _ in
    // What the socket BIO answers too: nothing is buffered, so a flush has nothing to do.
    command == BIO_CTRL_FLUSH || command == BIO_CTRL_DUP ? 1 : 0
}
