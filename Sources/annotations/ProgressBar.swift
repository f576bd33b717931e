import Foundation

/// A one-line progress bar redrawn in place on stderr, only when stderr is a terminal.
final class ProgressBar {
    private let total: Int
    private let enabled: Bool
    private var lastDraw: ContinuousClock.Instant?
    private var drawn = false

    /// - Parameter total: lines to process (0 when unknown).
    init(total: Int, enabled: Bool = isatty(2) == 1) {
        self.total = total
        self.enabled = enabled
    }

    /// Whether a bar is shown at all.
    var isShown: Bool { enabled }

    /// Redraws at most ten times a second, and always when `force` is set.
    func update(imported: Int, failed: Int, skipped: Int, force: Bool = false) {
        guard enabled else { return }
        let now = ContinuousClock.now
        if !force, let lastDraw, lastDraw.duration(to: now) < .milliseconds(100) { return }
        lastDraw = now
        let done = imported + failed + skipped
        let width = 30
        var line = "\r\u{1B}[K"
        if total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
            line += "\(Int(fraction * 100))% \(done)/\(total)"
        } else {
            line += "\(done) lines"
        }
        line += "  imported \(imported), failed \(failed), skipped \(skipped)"
        writeAll(fd: 2, Array(line.utf8))
        drawn = true
    }

    /// Clears the bar so that the next line starts at the left margin.
    func finish() {
        guard enabled, drawn else { return }
        writeAll(fd: 2, Array("\r\u{1B}[K".utf8))
        drawn = false
    }
}
