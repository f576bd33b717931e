/// `clarifai.api.User`, in part: who a ``Worker`` is when a person made the annotation.
///
/// A partial message: it models the fields below and keeps the other official fields
/// (`primary_email`, `metadata`, `visibility`, `image`, …) as unknown fields, which binary
/// decoding and encoding carry unchanged, in the official field order (see
/// `protos/README.md`). JSON leaves them out, and strict JSON decoding rejects them as not
/// modelled.
///
/// ```swift
/// if case .user(let user)? = annotation.worker?.worker { print(user.id) }
/// ```
public struct User: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.User"
    /// Every official field: the ones not modelled here still name error paths and are
    /// recognised (as not modelled) in JSON.
    public static let fieldNames = FieldNames([
        1: "id", 2: "primary_email", 3: "first_name", 4: "last_name", 5: "company_name", 6: "created_at",
        7: "bill_type", 8: "date_gdpr_consent", 9: "date_tos_consent", 10: "date_marketing_consent", 11: "metadata",
        12: "email_addresses", 15: "two_factor_auth_enabled", 16: "teams_count", 17: "visibility",
        18: "user_detail", 19: "job_title", 20: "job_role", 21: "is_starred", 22: "star_count",
        23: "date_pii_consent", 24: "intention", 25: "referral_source", 26: "image",
    ])

    /// The user's id, the `user_id` of their apps' URLs.
    public var id = ""  // string id = 1;
    /// The user's first name.
    public var firstName = ""  // string first_name = 3;
    /// The user's last name.
    public var lastName = ""  // string last_name = 4;
    /// The company the user works for.
    public var companyName = ""  // string company_name = 5;
    /// The user's job title.
    public var jobTitle = ""  // string job_title = 19;
    /// The user's job role.
    public var jobRole = ""  // string job_role = 20;
    /// When the account was created (set by the server).
    public var createdAt: Timestamp?  // google.protobuf.Timestamp created_at = 6;
    /// Whether the requesting user starred this user (only in get and list answers).
    public var isStarred = false  // bool is_starred = 21;
    /// How many users starred this user (only in get and list answers).
    public var starCount: Int32 = 0  // int32 star_count = 22;
    /// The official fields not modelled here, then any unknown ones, as they arrived.
    public var unknownFields: [UInt8] = []

    public init() {}

    /// The user with this id.
    public init(id: String) {
        self.id = id
    }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: id = try reader.readString(tag)
        case 3: firstName = try reader.readString(tag)
        case 4: lastName = try reader.readString(tag)
        case 5: companyName = try reader.readString(tag)
        case 6: try reader.readMessage(tag, into: &createdAt)
        case 19: jobTitle = try reader.readString(tag)
        case 20: jobRole = try reader.readString(tag)
        case 21: isStarred = try reader.readBool(tag)
        case 22: starCount = try reader.readInt32(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        var kept = KeptFieldOrder(unknownFields) { User.fieldNames.name($0) != nil }
        kept.writeTrailing(to: &writer)
        kept.write(above: 22, to: &writer)
        writer.writeInt32(22, starCount)
        kept.write(above: 21, to: &writer)
        writer.writeBool(21, isStarred)
        kept.write(above: 20, to: &writer)
        writer.writeString(20, jobRole)
        kept.write(above: 19, to: &writer)
        writer.writeString(19, jobTitle)
        kept.write(above: 6, to: &writer)
        writer.writeMessage(6, createdAt)
        kept.write(above: 5, to: &writer)
        writer.writeString(5, companyName)
        kept.write(above: 4, to: &writer)
        writer.writeString(4, lastName)
        kept.write(above: 3, to: &writer)
        writer.writeString(3, firstName)
        kept.write(above: 1, to: &writer)
        writer.writeString(1, id)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.string("id", id)
        writer.string("first_name", firstName)
        writer.string("last_name", lastName)
        writer.string("company_name", companyName)
        writer.string("job_title", jobTitle)
        writer.string("job_role", jobRole)
        writer.message("created_at", createdAt)
        writer.bool("is_starred", isStarred)
        writer.int32("star_count", starCount)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: id = try value.protoString()
        case 3: firstName = try value.protoString()
        case 4: lastName = try value.protoString()
        case 5: companyName = try value.protoString()
        case 6: try value.protoMessage(into: &createdAt)
        case 19: jobTitle = try value.protoString()
        case 20: jobRole = try value.protoString()
        case 21: isStarred = try value.protoBool()
        case 22: starCount = try value.protoInt32()
        default: throw JSONError(.notModelled)
        }
    }
}
