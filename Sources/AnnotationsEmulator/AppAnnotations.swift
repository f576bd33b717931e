import ProtoWire

/// Which app a request acts on: the `user_app_id` pair, normalised.
struct AppKey: Hashable, Sendable {
    let userID: String
    let appID: String

    var userAppID: UserAppIDSet { UserAppIDSet(userID: userID, appID: appID) }
}

/// The annotations of one app, in the order they were created.
///
/// Each annotation gets a sequence number when it is first stored; listing walks the sequence
/// numbers in order (oldest first), so a page costs the annotations it skips and returns,
/// not a sort of the whole app.
struct AppAnnotations: Sendable {
    private(set) var bySeq: [UInt64: Annotation] = [:]
    private(set) var seqByID: [String: UInt64] = [:]
    /// Every sequence number, ascending.
    private(set) var order: [UInt64] = []
    /// Each input's sequence numbers, ascending.
    private(set) var seqsByInput: [String: [UInt64]] = [:]
    private var nextSeq: UInt64 = 0

    var count: Int { order.count }

    /// Every annotation, oldest first.
    var all: [Annotation] { order.compactMap { bySeq[$0] } }

    func annotation(id: String) -> Annotation? {
        seqByID[id].flatMap { bySeq[$0] }
    }

    /// The annotation with this id, when it belongs to this input.
    func annotation(id: String, inputID: String) -> Annotation? {
        guard let annotation = annotation(id: id), annotation.inputID == inputID else { return nil }
        return annotation
    }

    func seq(of id: String) -> UInt64? { seqByID[id] }

    func annotation(seq: UInt64) -> Annotation? { bySeq[seq] }

    /// Stores a new annotation (its id must not be stored yet) after every other.
    mutating func append(_ annotation: Annotation) {
        let seq = nextSeq
        nextSeq += 1
        bySeq[seq] = annotation
        seqByID[annotation.id] = seq
        order.append(seq)
        seqsByInput[annotation.inputID, default: []].append(seq)
    }

    /// Replaces a stored annotation (same id), keeping its place.
    mutating func replace(_ annotation: Annotation) {
        guard let seq = seqByID[annotation.id], let old = bySeq[seq] else { return append(annotation) }
        if old.inputID != annotation.inputID {
            Self.removeSorted(seq, from: &seqsByInput[old.inputID, default: []])
            if seqsByInput[old.inputID]?.isEmpty == true { seqsByInput[old.inputID] = nil }
            Self.insertSorted(seq, into: &seqsByInput[annotation.inputID, default: []])
        }
        bySeq[seq] = annotation
    }

    /// Removes the annotation with this id; returns it, or nil when there was none.
    @discardableResult
    mutating func remove(id: String) -> Annotation? {
        guard let seq = seqByID.removeValue(forKey: id), let old = bySeq.removeValue(forKey: seq) else { return nil }
        Self.removeSorted(seq, from: &order)
        Self.removeSorted(seq, from: &seqsByInput[old.inputID, default: []])
        if seqsByInput[old.inputID]?.isEmpty == true { seqsByInput[old.inputID] = nil }
        return old
    }

    /// The sequence numbers of these inputs' annotations, ascending.
    func seqs(ofInputs inputIDs: [String]) -> [UInt64] {
        var seen = Set<String>()
        var result: [UInt64] = []
        for input in inputIDs where seen.insert(input).inserted {
            result += seqsByInput[input] ?? []
        }
        if seen.count > 1 { result.sort() }
        return result
    }

    // MARK: Sorted arrays

    private static func lowerBound(_ value: UInt64, in array: [UInt64]) -> Int {
        var low = 0
        var high = array.count
        while low < high {
            let mid = (low + high) / 2
            if array[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private static func removeSorted(_ value: UInt64, from array: inout [UInt64]) {
        let index = lowerBound(value, in: array)
        if index < array.count && array[index] == value { array.remove(at: index) }
    }

    private static func insertSorted(_ value: UInt64, into array: inout [UInt64]) {
        array.insert(value, at: lowerBound(value, in: array))
    }
}
