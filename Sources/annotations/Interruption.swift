import Dispatch
import Foundation
import Synchronization

/// SIGINT (Ctrl-C) and SIGTERM while a command that keeps state runs (`import`).
///
/// The first signal is handed to `wait()`, so that the command can stop starting work, record
/// what is done and print its summary before it exits with 128 + the signal's number (130 for
/// SIGINT, the shells' convention). A second signal ends the process at once, as the default
/// action would. `finish()` gives the signals their default action back.
///
/// The tool, not a library, sets these dispositions: AnnotationsRPC and H2Transport never call
/// `signal`.
final class Interruption: Sendable {
    private final class State: Sendable {
        let mutex = Mutex<(signal: Int32?, waiter: CheckedContinuation<Int32?, Never>?, finished: Bool)>(
            (nil, nil, false))
    }

    /// The signals handled.
    static let signals: [Int32] = [SIGINT, SIGTERM]

    private let state = State()

    init() {
        let state = self.state
        CaughtSignals.catch(Interruption.signals) { number in
            let (second, finished, waiter) = state.mutex.withLock { state in
                let second = state.signal != nil
                if !second { state.signal = number }
                defer { state.waiter = nil }
                return (second, state.finished, state.waiter)
            }
            if second || finished {
                CaughtSignals.release(Interruption.signals)
                raise(number)
            }
            waiter?.resume(returning: number)
        }
    }

    /// The first signal received, if any.
    var received: Int32? { state.mutex.withLock { $0.signal } }

    /// Returns the number of the first signal once one arrives, or nil once `finish()` is called.
    func wait() async -> Int32? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int32?, Never>) in
            let now = state.mutex.withLock { state -> Int32?? in
                if state.signal != nil || state.finished { return .some(state.signal) }
                state.waiter = continuation
                return .none
            }
            if let now { continuation.resume(returning: now) }
        }
    }

    /// Ends `wait()` and gives the signals their default action back.
    func finish() {
        let waiter = state.mutex.withLock { state in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        CaughtSignals.release(Interruption.signals)
        waiter?.resume(returning: nil)
    }
}
