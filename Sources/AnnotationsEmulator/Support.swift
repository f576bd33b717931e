import ClarifaiV2
import ProtoWire

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

enum WallClock {
    /// The current UTC time, in whole microseconds as the API writes its timestamps
    /// (`"2026-12-02T07:00:00.123456Z"`).
    static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(seconds: Int64(spec.tv_sec), nanos: Int32(spec.tv_nsec / 1000 * 1000))
    }
}

extension Timestamp {
    /// One microsecond later.
    func advancedByOneMicrosecond() -> Timestamp {
        nanos >= 999_999_000
            ? Timestamp(seconds: seconds + 1, nanos: nanos - 999_999_000)
            : Timestamp(seconds: seconds, nanos: nanos + 1000)
    }
}

extension Status {
    /// A status with a description and, when given, details.
    static func make(_ code: StatusCode, _ description: String, details: String = "") -> Status {
        var status = Status(code: code, description: description)
        status.details = details
        return status
    }

    static let ok = Status(code: .success, description: "Ok")
}

/// Why a request or one of its annotations was refused.
struct Refusal: Error {
    var status: Status

    init(_ code: StatusCode, _ description: String, details: String = "") {
        status = .make(code, description, details: details)
    }

    static func invalidRequest(_ description: String, details: String = "") -> Refusal {
        Refusal(.connInvalidRequest, description, details: details)
    }

    static func invalidAnnotation(_ description: String, details: String = "") -> Refusal {
        Refusal(.annotationInvalidArgument, description, details: details)
    }
}

extension ClarifaiData {
    /// True when nothing is set (what `delete_if_empty_data` looks for).
    var isEmpty: Bool { self == ClarifaiData() }

    /// Gives every region (also those in frames) without an id a new one.
    mutating func assignRegionIDs() {
        for index in regions.indices where regions[index].id.isEmpty {
            regions[index].id = AnnotationID.make()
        }
        for index in frames.indices {
            if var frameData = frames[index].data {
                frameData.assignRegionIDs()
                frames[index].data = frameData
            }
        }
    }
}

extension Annotation {
    /// Created by a model of a workflow (rather than by a user): it names the model version
    /// that wrote it. `embed_model_version_id` does not count — the documentation's own
    /// user-created annotations carry one.
    var isModelCreated: Bool { !modelVersionID.isEmpty }

    /// The task the annotation belongs to: `task_id`, else `annotation_info.task_id` (how the
    /// "Task Annotations" page sends it).
    var effectiveTaskID: String {
        if !taskID.isEmpty { return taskID }
        if case .string(let id)? = annotationInfo?["task_id"]?.kind { return id }
        return ""
    }
}

/// Default descriptions of the annotation statuses, as Clarifai words them.
enum AnnotationStatusText {
    static func description(for code: StatusCode) -> String {
        switch code {
        case .annotationSuccess: "Annotation success"
        case .annotationPending: "Annotation pending"
        case .annotationFailed: "Annotation failed"
        case .annotationAwaitingReview: "Annotation awaiting review"
        case .annotationAwaitingConsensusReview: "Annotation awaiting consensus review"
        case .annotationReviewDenied: "Annotation review denied"
        default: code.name.map { $0.lowercased().replacingUnderscores() } ?? ""
        }
    }
}

extension String {
    func replacingUnderscores() -> String {
        String(map { $0 == "_" ? " " : $0 })
    }
}
