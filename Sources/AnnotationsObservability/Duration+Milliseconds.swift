extension Duration {
    /// The duration in milliseconds, to the microsecond: what logs and span attributes show.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        let exact = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return (exact * 1000).rounded() / 1000
    }

    /// The duration in whole nanoseconds, saturating: what timers record.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let (sum, overflowed) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflowed ? (seconds < 0 ? .min : .max) : sum
    }
}
