import ProtoWire

/// One message of a StreamAnnotations stream.
public struct StreamedAnnotation: Sendable, Equatable {
    /// The annotation, as the server sent it (with its id, input, frame and status).
    public var annotation: Annotation
    /// Whether every annotation of this frame has now been sent: a player can tell whether to
    /// wait for more or go on.
    public var frameFullyProcessed: Bool

    /// A streamed item from its parts (tests and emulators; the client builds its own).
    public init(annotation: Annotation, frameFullyProcessed: Bool) {
        self.annotation = annotation
        self.frameFullyProcessed = frameFullyProcessed
    }
}

/// The annotations a StreamAnnotations call yields, as they arrive (see
/// `AnnotationsClient.streamAnnotations(_:timeout:)`). Each loop over it is one call: nothing is
/// sent before the loop asks for its first element.
///
/// A message whose status is not SUCCESS ends the loop with ``ClarifaiStatusError``; transport
/// failures and the deadline end it with their errors, as for the other calls.
///
/// ```swift
/// for try await item in client.streamAnnotations(request) where item.frameFullyProcessed {
///     print("frame done at", item.annotation.data?.frames.first?.frameInfo?.number ?? 0)
/// }
/// ```
public struct AnnotationStream: AsyncSequence, Sendable {
    public typealias Element = StreamedAnnotation

    let client: AnnotationsClient
    let request: StreamAnnotationsRequest
    let timeout: Duration?

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(stream: self)
    }

    /// Opens the call on its first `next()`; dropping it before the end cancels the stream.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private enum State {
            case notOpened
            case open(StreamReader<SingleStreamAnnotationResponse>)
            case done
        }

        private let stream: AnnotationStream
        private var state = State.notOpened
        /// The observer's view of the call, when there is an observer.
        private var observation: StreamObservation?

        init(stream: AnnotationStream) {
            self.stream = stream
        }

        public mutating func next() async throws -> StreamedAnnotation? {
            var response: SingleStreamAnnotationResponse?
            do {
                switch state {
                case .done:
                    return nil
                case .notOpened:
                    state = .done
                    let (first, rest, observation) = try await stream.client.openStream(
                        stream.request, timeout: stream.timeout)
                    self.observation = observation
                    state = .open(rest)
                    response = first
                    if let first { observation?.received(bytes: first.serializedBytes().count) }
                case .open(var reader):
                    state = .done
                    response = try await reader.next()
                    state = .open(reader)
                    if let response, let observation { observation.received(bytes: response.serializedBytes().count) }
                }
            } catch let error as any RetryableError {
                // Mid-stream failures read as the other calls' do: a lost server is a TransportError.
                let surfaced = AnnotationsClient.surfaced(error)
                observation?.finish(CallOutcome(surfaced), message: "\(surfaced)")
                throw surfaced
            }
            guard let response else {
                state = .done
                observation?.finish(.success, message: "")
                return nil
            }
            let status = response.status ?? Status()
            guard status.code == .success else {
                state = .done
                let error = ClarifaiStatusError(status: status, items: response.items)
                observation?.finish(CallOutcome(error), message: "\(error)")
                throw error
            }
            return StreamedAnnotation(
                annotation: response.annotation ?? Annotation(), frameFullyProcessed: response.frameFullyProcessed)
        }
    }
}
