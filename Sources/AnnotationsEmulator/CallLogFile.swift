import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file that receives one ``CallRecord/jsonLine`` per answered call (`annotations serve
/// --call-log FILE`). Lines are appended (the file is created when missing, never truncated),
/// each with one `write(2)` as its call is answered, with no buffer in between: a test can read
/// the file while the emulator runs and see every call answered so far. Lines from concurrent
/// connections never interleave.
///
/// ```swift
/// let log = try CallLogFile(path: "/tmp/calls.jsonl")
/// let emulator = try Emulator(callLog: log.append)
/// ```
public final class CallLogFile: Sendable {
    /// The file could not be opened for appending.
    public struct OpenError: Error, CustomStringConvertible {
        /// The path given.
        public let path: String
        /// The system's reason (`strerror`), e.g. "Permission denied".
        public let reason: String

        /// `cannot open '<path>' for appending: <reason>`.
        public var description: String { "cannot open '\(path)' for appending: \(reason)" }
    }

    /// The path the file was opened by.
    public let path: String
    private let descriptor: Int32
    private let state = Mutex(WriteFailures())

    private struct WriteFailures {
        var count = 0
        var lastReason: String?
    }

    /// Opens `path` for appending, creating it (mode 0644 before the umask) when missing.
    public init(path: String) throws(OpenError) {
        self.path = path
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OpenError(path: path, reason: String(cString: strerror(errno))) }
        descriptor = fd
    }

    deinit {
        close(descriptor)
    }

    /// Writes `record` as one line. A line the file does not take (a full disk) is counted in
    /// ``failedWrites``, never raised: the call it records has been answered already.
    public func append(_ record: CallRecord) {
        let line = Array((record.jsonLine + "\n").utf8)
        state.withLock { failures in
            // Under the lock: a short write is finished before another line starts.
            var written = 0
            while written < line.count {
                let result = line.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
                if result > 0 {
                    written += result
                } else if result < 0 && errno == EINTR {
                    continue
                } else {
                    failures.count += 1
                    failures.lastReason = result < 0 ? String(cString: strerror(errno)) : "nothing written"
                    return
                }
            }
        }
    }

    /// How many lines could not be written, and the system's reason for the last one.
    public var failedWrites: (count: Int, lastReason: String?) {
        state.withLock { ($0.count, $0.lastReason) }
    }
}
