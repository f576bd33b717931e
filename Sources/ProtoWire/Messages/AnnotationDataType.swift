/// `clarifai.api.AnnotationDataType`: a kind of annotation data, as a bit flag
/// (`StreamAnnotationsRequest.annotationType`).
///
/// Open, like every proto3 enum: an unknown value (a newer kind, or flags combined) keeps its
/// raw value.
///
/// ```swift
/// var request = StreamAnnotationsRequest()
/// request.annotationType = .boundingBox
/// ```
public struct AnnotationDataType: RawRepresentable, Hashable, Sendable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `ANNOTATION_DATA_TYPE_NOT_SET` (0): no kind given, so no filtering by kind.
    public static let notSet = AnnotationDataType(rawValue: 0)  // ANNOTATION_DATA_TYPE_NOT_SET = 0;
    /// `TAG` (1): concepts of the whole input or frame, without a region.
    public static let tag = AnnotationDataType(rawValue: 1)  // TAG = 1;
    /// `BOUNDING_BOX` (2): regions given by a ``BoundingBox``.
    public static let boundingBox = AnnotationDataType(rawValue: 2)  // BOUNDING_BOX = 2;
    /// `POLYGON` (4): regions given by a ``Polygon``.
    public static let polygon = AnnotationDataType(rawValue: 4)  // POLYGON = 4;
    /// `POINT` (8): regions given by a single ``Point``.
    public static let point = AnnotationDataType(rawValue: 8)  // POINT = 8;
    /// `SPAN` (16): text regions given by a ``Span``.
    public static let span = AnnotationDataType(rawValue: 16)  // SPAN = 16;
    /// `MASK` (32): regions given by a segmentation ``Mask``.
    public static let mask = AnnotationDataType(rawValue: 32)  // MASK = 32;

    /// The value of an official name, for JSON.
    static func value(named name: String) -> Int32? {
        [
            "ANNOTATION_DATA_TYPE_NOT_SET": 0, "TAG": 1, "BOUNDING_BOX": 2, "POLYGON": 4, "POINT": 8, "SPAN": 16,
            "MASK": 32,
        ][name]
    }
}
