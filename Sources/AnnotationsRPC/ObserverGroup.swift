import H2Transport

/// Several observers as one: each event goes to every observer, in order, and a call's metadata
/// is the observers' metadata, concatenated in the same order.
///
/// ```swift
/// configuration.observer = ObserverGroup(LoggingObserver(), MetricsObserver(), TracingObserver())
/// ```
public struct ObserverGroup: ClientObserver {
    /// The observers, in the order each event reaches them.
    public let observers: [any ClientObserver]

    /// A group of `observers`, called in array order.
    public init(_ observers: [any ClientObserver]) {
        self.observers = observers
    }

    /// A group of the observers given, called in argument order.
    public init(_ observers: any ClientObserver...) {
        self.init(observers)
    }

    public func observe(_ event: ClientEvent) {
        for observer in observers { observer.observe(event) }
    }

    public func metadata(for call: CallInfo) -> [HeaderField] {
        observers.flatMap { $0.metadata(for: call) }
    }
}
