import Foundation

/// The write end of the pipe the signal handler writes to; set once, before any handler is
/// installed, and only read afterwards (from the handler, which may run on any thread).
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// Hands SIGINT and SIGTERM to a callback from the moment `catch` returns.
///
/// `sigaction` installs the handler synchronously; the handler only writes the signal's number
/// to a pipe (async-signal-safe), and a thread of its own reads the pipe and calls back. A
/// dispatch signal source, used before, registers on its queue some time after `resume()`
/// while the disposition is already SIG_IGN: a SIGTERM sent in between, as a parent sends it
/// right after reading `serve`'s banner, was lost (seen in CI: the emulator ignored it).
enum CaughtSignals {
    /// Starts catching `signals`; `handler` runs on the reading thread, once per signal. Only the
    /// first call in a process takes effect (a command catches signals once).
    static func `catch`(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        // Once: a second pipe and thread would take the handler from the first.
        guard signalPipeWriteEnd < 0 else { return }
        var ends: [Int32] = [-1, -1]
        // Close-on-exec: children (the emulator `demo` starts) must not inherit the pipe.
        guard pipe(&ends) == 0 else {
            // No pipe (no descriptors left): keep the default actions, which end the process.
            return
        }
        // (Set at once: Glibc's pipe2 is not visible to Swift, and no child starts before this.)
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
        signalPipeWriteEnd = ends[1]
        let readEnd = ends[0]
        Thread.detachNewThread {
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count == 1 {
                    handler(Int32(byte))
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { number in
            // The interrupted code may be about to read errno: the write must not change it.
            let saved = errno
            var byte = UInt8(truncatingIfNeeded: number)
            _ = write(signalPipeWriteEnd, &byte, 1)
            errno = saved
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        for number in signals { sigaction(number, &action, nil) }
    }

    /// Gives `signals` their default action back.
    static func release(_ signals: [Int32]) {
        for number in signals { signal(number, SIG_DFL) }
    }
}
