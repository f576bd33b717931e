/// A resolved enum type.
struct EnumSchema: Sendable {
    let fullName: String
    /// proto2 enums are closed: an unknown number is not a value of the field.
    let isClosed: Bool
    /// Every value in declaration order, aliases included.
    let values: [(name: String, number: Int32)]
    private let nameByNumber: [Int32: String]
    private let numberByName: [String: Int32]

    init(_ type: EnumDescriptorProto, fullName: String, isClosed: Bool) {
        self.fullName = fullName
        self.isClosed = isClosed
        values = type.value.map { ($0.name, $0.number) }
        var nameByNumber: [Int32: String] = [:]
        var numberByName: [String: Int32] = [:]
        for value in type.value {
            // With `allow_alias` the first name of a number is the one JSON writes.
            if nameByNumber[value.number] == nil { nameByNumber[value.number] = value.name }
            numberByName[value.name] = value.number
        }
        self.nameByNumber = nameByNumber
        self.numberByName = numberByName
    }

    func name(_ number: Int32) -> String? { nameByNumber[number] }
    func number(_ name: String) -> Int32? { numberByName[name] }
}
