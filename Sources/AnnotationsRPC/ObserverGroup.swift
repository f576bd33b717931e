import H2Transport

/// Several observers as one: each event goes to every observer, in order, and a call's metadata
/// is the observers' metadata, concatenated in the same order.
///
/// ```swift
/// configuration.observer = ObserverGroup(LoggingObserver(), MetricsObserver(), TracingObserver())
/// ```
public struct ObserverGroup: ClientObserver {
    public let observers: [any ClientObserver]

    public init(_ observers: [any ClientObserver]) {
        self.observers = observers
    }

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
