/// Every message type this package models, by full protobuf name, for tools that pick a
/// type at run time (`annotations wire decode --type clarifai.api.Annotation`).
public enum MessageTypes {
    /// The types, in a fixed order (new ones are appended; fuzz seeds select a type by index).
    public static let all: [any ProtoMessage.Type] = [
        Annotation.self, ClarifaiData.self, Concept.self, Region.self, RegionInfo.self, BoundingBox.self,
        Polygon.self, Point.self, Mask.self, Image.self, Video.self, Text.self, Audio.self, Frame.self,
        FrameInfo.self, Track.self, TimeInfo.self, Span.self, Token.self, Embedding.self, ImageInfo.self,
        HostedURL.self, UserAppIDSet.self, Status.self, BaseResponse.self, PostAnnotationsRequest.self,
        ListAnnotationsRequest.self, PatchAnnotationsRequest.self, DeleteAnnotationRequest.self,
        DeleteAnnotationsRequest.self, GetAnnotationRequest.self, MultiAnnotationResponse.self,
        SingleAnnotationResponse.self, ProtoStruct.self, ProtoValue.self, ProtoListValue.self, Timestamp.self,
        // Appended, not sorted in: a fuzz seed selects its type by index (scripts/fuzz_seed_corpus.py).
        StreamAnnotationsRequest.self, SingleStreamAnnotationResponse.self, PatchAnnotationsStatusRequest.self,
        PatchAnnotationsStatusResponse.self, GetTaskCountRequest.self, SingleTaskCountResponse.self,
        TaskStatusCountPerUser.self, ListAnnotationWorkersRequest.self, MultiWorkerResponse.self, Worker.self,
        User.self, Model.self, Workflow.self, ModelVersion.self, WorkflowVersion.self,
    ]

    private static let byName: [String: any ProtoMessage.Type] = {
        var table: [String: any ProtoMessage.Type] = [:]
        for type in all { table[type.protoMessageName] = type }
        return table
    }()

    /// The type with this full name (`clarifai.api.MultiAnnotationResponse`), or nil.
    public static func named(_ name: String) -> (any ProtoMessage.Type)? {
        byName[name]
    }
}
