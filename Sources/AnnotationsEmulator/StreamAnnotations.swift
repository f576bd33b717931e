import ClarifaiV2
import ProtoWire

extension AnnotationStore {
    /// The frames StreamAnnotations covers when the request sets no `max_frames`: its default
    /// and maximum, 216 000 (60 minutes at 60 frames per second).
    public static let maxStreamFrames: UInt64 = 216_000
    /// The milliseconds it covers when the request sets no `max_duration`: its default and
    /// maximum, 3 600 000 (60 minutes).
    public static let maxStreamDuration: UInt64 = 3_600_000

    /// StreamAnnotations: the app's annotations of the video input `input_id` (required), one
    /// message each, ordered by frame number, then frame time, then the order they were
    /// stored. An annotation's frame is its first `data.frames[]`' `frame_info`; annotations
    /// without frames are not streamed. As the official `.proto` describes the filters, each
    /// applying when set:
    /// - frame numbers `frame_number_start … frame_number_start + max_frames - 1` and times
    ///   (ms) `frame_time_start … frame_time_start + max_duration - 1`, both inclusive; an
    ///   unset or larger `max_frames` / `max_duration` is ``maxStreamFrames`` /
    ///   ``maxStreamDuration``;
    /// - `track_ids`: a region (of the data or of a frame) on one of those tracks;
    /// - `annotation_type` (bit flags): TAG for concepts, BOUNDING_BOX, POLYGON, POINT, SPAN,
    ///   MASK for the regions' shapes; any overlap keeps the annotation;
    /// - `worker`: made by that worker (the same user, model or workflow id; see
    ///   `Annotation.author`), and by that model or workflow version when the filter names one;
    /// - `min_prediction_score` above 0: a concept with `metadata.prediction_score` at least that,
    ///   compared at the request field's float precision (0.8 keeps a score of 0.8).
    ///
    /// Every message carries status SUCCESS (one `req_id` for the stream), and
    /// `frame_fully_processed` is true on the last message of each frame number (the emulator
    /// has every frame at once). Nothing matches: no message at all. A refused call (the key,
    /// a missing `input_id`, an injected fault) is one message with the refusal. The selection
    /// is a snapshot taken when the call starts.
    public func stream(
        _ request: StreamAnnotationsRequest, auth: Authorization, fault: InjectedFault? = nil
    ) -> [SingleStreamAnnotationResponse] {
        if let refused = refusal(of: request, by: V2.streamAnnotations, auth, fault) {
            var response = SingleStreamAnnotationResponse()
            response.status = refused
            return [response]
        }
        let selected = Self.framesToStream(annotations(of: resolve(request.userAppID)), request)
        let status = stamped(.ok)
        return selected.indices.map { index in
            var response = SingleStreamAnnotationResponse()
            response.status = status
            response.annotation = selected[index].annotation
            response.frameFullyProcessed =
                index == selected.count - 1 || selected[index + 1].number != selected[index].number
            return response
        }
    }

    /// The annotations `request` selects, in stream order, with their frame number.
    static func framesToStream(
        _ stored: [Annotation], _ request: StreamAnnotationsRequest
    ) -> [(annotation: Annotation, number: UInt32)] {
        let trackIDs = Set(request.trackIDs)
        let worker = request.worker.flatMap { $0.worker == nil ? nil : $0 }
        let frames = request.maxFrames == 0 ? maxStreamFrames : min(UInt64(request.maxFrames), maxStreamFrames)
        let duration = request.maxDuration == 0 ? maxStreamDuration : min(request.maxDuration, maxStreamDuration)
        let lastNumber = UInt64(request.frameNumberStart) + frames - 1
        let (end, overflow) = request.frameTimeStart.addingReportingOverflow(duration - 1)
        let lastTime = overflow ? UInt64.max : end
        var selected: [(annotation: Annotation, number: UInt32, time: UInt64, order: Int)] = []
        for (order, annotation) in stored.enumerated() where annotation.inputID == request.inputID {
            guard let data = annotation.data, let info = data.frames.first.map({ $0.frameInfo ?? FrameInfo() }) else {
                continue
            }
            guard (UInt64(request.frameNumberStart)...lastNumber).contains(UInt64(info.number)),
                (request.frameTimeStart...lastTime).contains(info.time),
                trackIDs.isEmpty || data.allRegions.contains(where: { trackIDs.contains($0.trackID) }),
                request.annotationType == .notSet || data.dataTypes & request.annotationType.rawValue != 0,
                worker.map({ annotation.author?.isMatched(by: $0) == true }) ?? true,
                request.minPredictionScore <= 0
                    || data.highestPredictionScore.map({ Float($0) >= request.minPredictionScore }) == true
            else { continue }
            selected.append((annotation, info.number, info.time, order))
        }
        selected.sort { ($0.number, $0.time, $0.order) < ($1.number, $1.time, $1.order) }
        return selected.map { ($0.annotation, $0.number) }
    }
}

extension ClarifaiData {
    /// The regions of the data and of its frames.
    var allRegions: [Region] {
        regions + frames.flatMap { $0.data?.regions ?? [] }
    }

    /// Every concept: the data's, its regions', its frames' (and theirs).
    var allConcepts: [Concept] {
        concepts + regions.flatMap { $0.data?.concepts ?? [] } + frames.flatMap { $0.data?.allConcepts ?? [] }
    }

    /// The `AnnotationDataType` bits the data holds: TAG for concepts, and each region's shape.
    var dataTypes: Int32 {
        var bits: Int32 = allConcepts.isEmpty ? 0 : AnnotationDataType.tag.rawValue
        for region in allRegions {
            guard let info = region.regionInfo else { continue }
            if info.boundingBox != nil { bits |= AnnotationDataType.boundingBox.rawValue }
            if info.polygon != nil { bits |= AnnotationDataType.polygon.rawValue }
            if info.point != nil { bits |= AnnotationDataType.point.rawValue }
            if info.span != nil { bits |= AnnotationDataType.span.rawValue }
            if info.mask != nil { bits |= AnnotationDataType.mask.rawValue }
        }
        return bits
    }

    /// The highest `metadata.prediction_score` of its concepts, nil when none has one.
    var highestPredictionScore: Double? {
        allConcepts.compactMap { concept -> Double? in
            guard case .number(let score)? = concept.metadata?["prediction_score"]?.kind else { return nil }
            return score
        }.max()
    }
}
