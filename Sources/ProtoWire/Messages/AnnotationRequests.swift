/// `clarifai.api.PostAnnotationsRequest`: add 1…128 annotations.
public struct PostAnnotationsRequest: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.PostAnnotationsRequest"
    public static let fieldNames = FieldNames([1: "user_app_id", 2: "annotations"])

    /// The app to add the annotations to; unset, the app an app-specific API key belongs to.
    public var userAppID: UserAppIDSet?  // UserAppIDSet user_app_id = 1;
    /// The annotations to add (1…128), each naming its input.
    public var annotations: [Annotation] = []  // repeated Annotation annotations = 2;
    /// Fields of `clarifai.api.PostAnnotationsRequest` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &userAppID)
        case 2: try reader.readMessage(tag, appendingTo: &annotations)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeMessages(2, annotations)
        writer.writeMessage(1, userAppID)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("user_app_id", userAppID)
        writer.messages("annotations", annotations)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: try value.protoMessage(into: &userAppID)
        default: annotations = try value.protoMessages(Annotation.self)
        }
    }
}

/// `clarifai.api.ListAnnotationsRequest`: one page of annotations, oldest first, filtered.
public struct ListAnnotationsRequest: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.ListAnnotationsRequest"
    public static let fieldNames = FieldNames([
        1: "user_app_id", 2: "ids", 3: "input_ids", 5: "statuses", 6: "list_all_annotations", 7: "page",
        8: "per_page", 9: "user_ids", 10: "model_version_ids", 11: "task_id", 12: "return_model_output",
        13: "workflow_version_ids",
    ])

    /// The app to list from; unset, the app an app-specific API key belongs to.
    public var userAppID: UserAppIDSet?  // UserAppIDSet user_app_id = 1;
    /// Annotation ids; the API requires `inputIDs` alongside.
    public var ids: [String] = []  // repeated string ids = 2;
    /// Only the annotations of these inputs; with `ids`, one input per annotation id, in the same order.
    public var inputIDs: [String] = []  // repeated string input_ids = 3;
    /// Only the annotations with one of these statuses (their `code` is compared).
    public var statuses: [Status] = []  // repeated status.Status statuses = 5;
    /// Include model-created annotations too (false: user-created only).
    public var listAllAnnotations = false  // bool list_all_annotations = 6;
    /// 1-based.
    public var page: UInt32 = 0  // uint32 page = 7;
    /// 0 means the server's default, 20.
    public var perPage: UInt32 = 0  // uint32 per_page = 8;
    /// Only the annotations made by these users.
    public var userIDs: [String] = []  // repeated string user_ids = 9;
    /// Only the annotations made by these model versions.
    public var modelVersionIDs: [String] = []  // repeated string model_version_ids = 10;
    /// Only the annotations made in this labeling task.
    public var taskID = ""  // string task_id = 11;
    /// Include the output of the model that made each model annotation.
    public var returnModelOutput = false  // bool return_model_output = 12;
    /// Only the annotations made by these workflow versions.
    public var workflowVersionIDs: [String] = []  // repeated string workflow_version_ids = 13;
    /// Fields of `clarifai.api.ListAnnotationsRequest` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &userAppID)
        case 2: ids.append(try reader.readString(tag))
        case 3: inputIDs.append(try reader.readString(tag))
        case 5: try reader.readMessage(tag, appendingTo: &statuses)
        case 6: listAllAnnotations = try reader.readBool(tag)
        case 7: page = try reader.readUInt32(tag)
        case 8: perPage = try reader.readUInt32(tag)
        case 9: userIDs.append(try reader.readString(tag))
        case 10: modelVersionIDs.append(try reader.readString(tag))
        case 11: taskID = try reader.readString(tag)
        case 12: returnModelOutput = try reader.readBool(tag)
        case 13: workflowVersionIDs.append(try reader.readString(tag))
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeStrings(13, workflowVersionIDs)
        writer.writeBool(12, returnModelOutput)
        writer.writeString(11, taskID)
        writer.writeStrings(10, modelVersionIDs)
        writer.writeStrings(9, userIDs)
        writer.writeUInt32(8, perPage)
        writer.writeUInt32(7, page)
        writer.writeBool(6, listAllAnnotations)
        writer.writeMessages(5, statuses)
        writer.writeStrings(3, inputIDs)
        writer.writeStrings(2, ids)
        writer.writeMessage(1, userAppID)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("user_app_id", userAppID)
        writer.strings("ids", ids)
        writer.strings("input_ids", inputIDs)
        writer.strings("user_ids", userIDs)
        writer.strings("model_version_ids", modelVersionIDs)
        writer.strings("workflow_version_ids", workflowVersionIDs)
        writer.messages("statuses", statuses)
        writer.bool("list_all_annotations", listAllAnnotations)
        writer.bool("return_model_output", returnModelOutput)
        writer.uint32("page", page)
        writer.uint32("per_page", perPage)
        writer.string("task_id", taskID)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        let strings = { (v: JSONValue) throws(JSONError) -> String in try v.protoString() }
        switch number {
        case 1: try value.protoMessage(into: &userAppID)
        case 2: ids = try value.protoRepeated(strings)
        case 3: inputIDs = try value.protoRepeated(strings)
        case 5: statuses = try value.protoMessages(Status.self)
        case 6: listAllAnnotations = try value.protoBool()
        case 7: page = try value.protoUInt32()
        case 8: perPage = try value.protoUInt32()
        case 9: userIDs = try value.protoRepeated(strings)
        case 10: modelVersionIDs = try value.protoRepeated(strings)
        case 11: taskID = try value.protoString()
        case 12: returnModelOutput = try value.protoBool()
        default: workflowVersionIDs = try value.protoRepeated(strings)
        }
    }
}

/// `clarifai.api.PatchAnnotationsRequest`: change 1…128 annotations; `action` is `merge`,
/// `overwrite` or `remove`.
public struct PatchAnnotationsRequest: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.PatchAnnotationsRequest"
    public static let fieldNames = FieldNames([
        1: "user_app_id", 2: "annotations", 3: "action", 4: "delete_if_empty_data",
    ])

    /// The app the annotations belong to; unset, the app an app-specific API key belongs to.
    public var userAppID: UserAppIDSet?  // UserAppIDSet user_app_id = 1;
    /// The changes: each annotation names its `id` and `inputID` and carries the data for `action`.
    public var annotations: [Annotation] = []  // repeated Annotation annotations = 2;
    /// How `annotations` change the stored ones: `merge` adds their data, `overwrite` replaces it, `remove`
    /// deletes it.
    public var action = ""  // string action = 3;
    /// With `remove`, delete an annotation that is left without data instead of keeping it empty.
    public var deleteIfEmptyData = false  // bool delete_if_empty_data = 4;
    /// Fields of `clarifai.api.PatchAnnotationsRequest` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &userAppID)
        case 2: try reader.readMessage(tag, appendingTo: &annotations)
        case 3: action = try reader.readString(tag)
        case 4: deleteIfEmptyData = try reader.readBool(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeBool(4, deleteIfEmptyData)
        writer.writeString(3, action)
        writer.writeMessages(2, annotations)
        writer.writeMessage(1, userAppID)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("user_app_id", userAppID)
        writer.messages("annotations", annotations)
        writer.string("action", action)
        writer.bool("delete_if_empty_data", deleteIfEmptyData)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: try value.protoMessage(into: &userAppID)
        case 2: annotations = try value.protoMessages(Annotation.self)
        case 3: action = try value.protoString()
        default: deleteIfEmptyData = try value.protoBool()
        }
    }
}

/// `clarifai.api.GetAnnotationRequest`: one annotation of one input.
public struct GetAnnotationRequest: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.GetAnnotationRequest"
    public static let fieldNames = FieldNames([1: "user_app_id", 2: "annotation_id", 3: "input_id"])

    /// The app the annotation belongs to; unset, the app an app-specific API key belongs to.
    public var userAppID: UserAppIDSet?  // UserAppIDSet user_app_id = 1;
    /// The annotation to get.
    public var annotationID = ""  // string annotation_id = 2;
    /// The input the annotation labels.
    public var inputID = ""  // string input_id = 3;
    /// Fields of `clarifai.api.GetAnnotationRequest` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &userAppID)
        case 2: annotationID = try reader.readString(tag)
        case 3: inputID = try reader.readString(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeString(3, inputID)
        writer.writeString(2, annotationID)
        writer.writeMessage(1, userAppID)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("user_app_id", userAppID)
        writer.string("annotation_id", annotationID)
        writer.string("input_id", inputID)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: try value.protoMessage(into: &userAppID)
        case 2: annotationID = try value.protoString()
        default: inputID = try value.protoString()
        }
    }
}

/// `clarifai.api.DeleteAnnotationRequest`: delete one annotation of one input.
public struct DeleteAnnotationRequest: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.DeleteAnnotationRequest"
    public static let fieldNames = FieldNames([1: "user_app_id", 2: "input_id", 3: "annotation_id"])

    /// The app the annotation belongs to; unset, the app an app-specific API key belongs to.
    public var userAppID: UserAppIDSet?  // UserAppIDSet user_app_id = 1;
    /// The input the annotation labels.
    public var inputID = ""  // string input_id = 2;
    /// The annotation to delete.
    public var annotationID = ""  // string annotation_id = 3;
    /// Fields of `clarifai.api.DeleteAnnotationRequest` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &userAppID)
        case 2: inputID = try reader.readString(tag)
        case 3: annotationID = try reader.readString(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeString(3, annotationID)
        writer.writeString(2, inputID)
        writer.writeMessage(1, userAppID)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("user_app_id", userAppID)
        writer.string("input_id", inputID)
        writer.string("annotation_id", annotationID)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: try value.protoMessage(into: &userAppID)
        case 2: inputID = try value.protoString()
        default: annotationID = try value.protoString()
        }
    }
}

/// `clarifai.api.DeleteAnnotationsRequest`: delete annotations by ids + input ids (equal
/// counts, pairwise), or every annotation of the given inputs when `ids` is empty.
public struct DeleteAnnotationsRequest: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.DeleteAnnotationsRequest"
    public static let fieldNames = FieldNames([1: "user_app_id", 2: "ids", 3: "input_ids"])

    /// The app the annotations belong to; unset, the app an app-specific API key belongs to.
    public var userAppID: UserAppIDSet?  // UserAppIDSet user_app_id = 1;
    /// The annotations to delete; when given, `inputIDs` names the input of each, in the same order.
    public var ids: [String] = []  // repeated string ids = 2;
    /// The inputs whose annotations are deleted: all of them when `ids` is empty.
    public var inputIDs: [String] = []  // repeated string input_ids = 3;
    /// Fields of `clarifai.api.DeleteAnnotationsRequest` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &userAppID)
        case 2: ids.append(try reader.readString(tag))
        case 3: inputIDs.append(try reader.readString(tag))
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeStrings(3, inputIDs)
        writer.writeStrings(2, ids)
        writer.writeMessage(1, userAppID)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("user_app_id", userAppID)
        writer.strings("ids", ids)
        writer.strings("input_ids", inputIDs)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: try value.protoMessage(into: &userAppID)
        case 2: ids = try value.protoRepeated { (v) throws(JSONError) in try v.protoString() }
        default: inputIDs = try value.protoRepeated { (v) throws(JSONError) in try v.protoString() }
        }
    }
}

/// `clarifai.api.MultiAnnotationResponse`: the answer of post, list and patch.
public struct MultiAnnotationResponse: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.MultiAnnotationResponse"
    public static let fieldNames = FieldNames([1: "status", 2: "annotations"])

    /// The call's outcome: `SUCCESS`, or `MIXED_STATUS` when only some annotations succeeded (each has its
    /// own `status`), or the error.
    public var status: Status?  // status.Status status = 1;
    /// Always present in JSON, even when empty (Clarifai's `cl_show_if_empty`).
    public var annotations: [Annotation] = []  // repeated Annotation annotations = 2;
    /// Fields of `clarifai.api.MultiAnnotationResponse` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &status)
        case 2: try reader.readMessage(tag, appendingTo: &annotations)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeMessages(2, annotations)
        writer.writeMessage(1, status)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("status", status)
        writer.messages("annotations", annotations, always: true)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: try value.protoMessage(into: &status)
        default: annotations = try value.protoMessages(Annotation.self)
        }
    }
}

/// `clarifai.api.SingleAnnotationResponse`: the answer of get.
public struct SingleAnnotationResponse: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.SingleAnnotationResponse"
    public static let fieldNames = FieldNames([1: "status", 2: "annotation"])

    /// The call's outcome: `SUCCESS` or the error.
    public var status: Status?  // status.Status status = 1;
    /// The annotation asked for, or nil when the call failed.
    public var annotation: Annotation?  // Annotation annotation = 2;
    /// Fields of `clarifai.api.SingleAnnotationResponse` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &status)
        case 2: try reader.readMessage(tag, into: &annotation)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeMessage(2, annotation)
        writer.writeMessage(1, status)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("status", status)
        writer.message("annotation", annotation)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: try value.protoMessage(into: &status)
        default: try value.protoMessage(into: &annotation)
        }
    }
}
