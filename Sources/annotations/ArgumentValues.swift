import ArgumentParser
import ProtoWire

/// `id[:value]`: a concept, present (1, the default) or absent (0), e.g. `tree`, `water:0`.
struct ConceptArgument: ExpressibleByArgument, Sendable {
    let concept: Concept

    init?(argument: String) {
        var id = argument
        var value: Float = 1
        // The value is what follows the last ':' when it is a number; ids may hold ':' otherwise.
        if let colon = argument.lastIndex(of: ":"), let number = Float(argument[argument.index(after: colon)...]) {
            guard number.isFinite else { return nil }
            id = String(argument[..<colon])
            value = number
        }
        guard !id.isEmpty else { return nil }
        concept = Concept(id: id, value: value)
    }

    static var defaultValueDescription: String { "id[:value]" }
}

/// `top,left,bottom,right`: a bounding box in fractions of the image height and width.
struct BoxArgument: ExpressibleByArgument, Sendable {
    let box: BoundingBox

    init?(argument: String) {
        let numbers = argument.split(separator: ",", omittingEmptySubsequences: false)
            .map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard numbers.count == 4, numbers.allSatisfy({ $0?.isFinite == true }) else { return nil }
        box = BoundingBox(topRow: numbers[0]!, leftCol: numbers[1]!, bottomRow: numbers[2]!, rightCol: numbers[3]!)
    }
}

/// `row,col;row,col;…`: a polygon of at least 3 points, in fractions of the image.
struct PolygonArgument: ExpressibleByArgument, Sendable {
    let polygon: Polygon

    init?(argument: String) {
        var points: [Point] = []
        for pair in argument.split(separator: ";", omittingEmptySubsequences: true) {
            let numbers = pair.split(separator: ",", omittingEmptySubsequences: false)
                .map { Float($0.trimmingCharacters(in: .whitespaces)) }
            guard numbers.count == 2, let row = numbers[0], let col = numbers[1], row.isFinite, col.isFinite else {
                return nil
            }
            points.append(Point(row: row, col: col))
        }
        guard points.count >= 3 else { return nil }
        polygon = Polygon(points: points)
    }
}

/// A Clarifai status code, by number (`24151`) or name (`ANNOTATION_PENDING`).
struct StatusArgument: ExpressibleByArgument, Sendable {
    let code: StatusCode

    init?(argument: String) {
        if let number = Int32(argument) {
            code = StatusCode(rawValue: number)
        } else if let named = StatusCode(name: argument.uppercased()) {
            code = named
        } else {
            return nil
        }
    }

    static var defaultValueDescription: String { "code" }
}

/// A JSON object, e.g. `{"task_id": "t1"}`, kept as a `google.protobuf.Struct`.
struct JSONObjectArgument: ExpressibleByArgument, Sendable {
    let value: ProtoStruct

    init?(argument: String) {
        guard argument.drop(while: \.isWhitespace).first == "{",
            let value = try? ProtoStruct(jsonString: argument)
        else { return nil }
        self.value = value
    }
}

/// A patch action; the wire value is the raw value.
enum ActionArgument: String, ExpressibleByArgument, CaseIterable, Sendable {
    case merge
    case overwrite
    case remove
}
