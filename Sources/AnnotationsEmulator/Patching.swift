import ProtoWire

/// The `action` of PatchAnnotations.
enum PatchActionKind: String, CaseIterable {
    /// Add the given concepts, regions and fields to what is stored (see ``Patching/merge(_:into:)``).
    case merge
    /// Replace the stored data with the given data.
    case overwrite
    /// Take the given concepts and regions out of what is stored.
    case remove
}

/// How one annotation of a PatchAnnotations request changes the stored one.
///
/// Fields every action treats alike:
/// - `status`: when the patch carries one (code ≠ 0) it replaces the stored status (e.g. from
///   ANNOTATION_PENDING to ANNOTATION_SUCCESS, as "Update Annotation Status" does); an empty
///   description gets the code's usual one.
/// - `id`, `input_id`, `user_id`, `model_version_id`, `input_level`, `created_at` never change;
///   `modified_at` is set to the time of the patch.
enum Patching {
    static func apply(_ action: PatchActionKind, patch: Annotation, to stored: Annotation) throws(Refusal) -> Annotation
    {
        var result = stored
        switch action {
        case .merge:
            if let given = patch.data {
                result.data = merge(given, into: stored.data ?? ClarifaiData())
            }
            if let info = patch.annotationInfo {
                var merged = stored.annotationInfo ?? ProtoStruct()
                for entry in info.fields { merged[entry.key] = entry.value }
                result.annotationInfo = merged
            }
            takeScalars(from: patch, into: &result)
        case .overwrite:
            result.data = patch.data
            if let info = patch.annotationInfo { result.annotationInfo = info }
            takeScalars(from: patch, into: &result)
        case .remove:
            if let given = patch.data, var data = stored.data {
                try remove(given, from: &data)
                result.data = data
            }
            if let info = patch.annotationInfo, var kept = stored.annotationInfo {
                for entry in info.fields { kept[entry.key] = nil }
                result.annotationInfo = kept
            }
        }
        if let status = patch.status, status.code.rawValue != 0 {
            var status = status
            if status.description.isEmpty { status.description = AnnotationStatusText.description(for: status.code) }
            result.status = status
        }
        result.data?.assignRegionIDs()
        return result
    }

    /// Fields `merge` and `overwrite` take from the patch when it sets them.
    private static func takeScalars(from patch: Annotation, into result: inout Annotation) {
        if !patch.embedModelVersionID.isEmpty { result.embedModelVersionID = patch.embedModelVersionID }
        if !patch.taskID.isEmpty { result.taskID = patch.taskID }
    }

    /// `merge`:
    /// - concepts by id: a concept already there gets the given `value` (and `name`, when one is
    ///   given); a new one is appended;
    /// - regions by id: a region already there keeps its place; its concepts are merged the same
    ///   way (its data recursively), its `region_info` (the coordinates) is replaced when the
    ///   patch gives one, its `value` and `track_id` when set; a region with a new or no id is
    ///   appended (one without an id gets a new id);
    /// - every other field of the data follows protobuf merge rules: given scalars and
    ///   messages replace or merge into the stored ones, other repeated fields are appended,
    ///   `metadata` is merged key by key.
    static func merge(_ given: ClarifaiData, into stored: ClarifaiData) -> ClarifaiData {
        var base = stored
        base.concepts = []
        base.regions = []
        var rest = given
        rest.concepts = []
        rest.regions = []
        var merged = base
        if !rest.isEmpty,
            let combined = try? ClarifaiData(serializedBytes: base.serializedBytes() + rest.serializedBytes())
        {
            merged = combined
        }
        merged.concepts = mergeConcepts(given.concepts, into: stored.concepts)
        merged.regions = mergeRegions(given.regions, into: stored.regions)
        return merged
    }

    static func mergeConcepts(_ given: [Concept], into stored: [Concept]) -> [Concept] {
        var result = stored
        for concept in given {
            if !concept.id.isEmpty, let index = result.firstIndex(where: { $0.id == concept.id }) {
                result[index].value = concept.value
                if !concept.name.isEmpty { result[index].name = concept.name }
            } else {
                result.append(concept)
            }
        }
        return result
    }

    static func mergeRegions(_ given: [Region], into stored: [Region]) -> [Region] {
        var result = stored
        for region in given {
            if !region.id.isEmpty, let index = result.firstIndex(where: { $0.id == region.id }) {
                var target = result[index]
                if let info = region.regionInfo { target.regionInfo = info }
                if let data = region.data { target.data = merge(data, into: target.data ?? ClarifaiData()) }
                if region.value != 0 { target.value = region.value }
                if !region.trackID.isEmpty { target.trackID = region.trackID }
                result[index] = target
            } else {
                result.append(region)
            }
        }
        return result
    }

    /// `remove`:
    /// - each given concept (by id) is removed from the annotation's concepts;
    /// - each given region must name an existing region's `id`: when it lists concepts (in its
    ///   `data`), those concepts are removed from that region, which stays; when it lists none,
    ///   the whole region is removed. A region id the annotation does not have is ignored
    ///   (removing what is not there changes nothing), a region without an id is refused.
    static func remove(_ given: ClarifaiData, from stored: inout ClarifaiData) throws(Refusal) {
        let conceptIDs = Set(given.concepts.map(\.id))
        if !conceptIDs.isEmpty { stored.concepts.removeAll { conceptIDs.contains($0.id) } }
        for (index, region) in given.regions.enumerated() {
            guard !region.id.isEmpty else {
                throw .invalidAnnotation(
                    "data.regions[\(index)].id is required with action remove: a region to remove (or to remove concepts from) is named by its id",
                    details: "data.regions[\(index)].id"
                )
            }
            guard let target = stored.regions.firstIndex(where: { $0.id == region.id }) else { continue }
            let concepts = region.data?.concepts ?? []
            if concepts.isEmpty {
                stored.regions.remove(at: target)
            } else if var data = stored.regions[target].data {
                let ids = Set(concepts.map(\.id))
                data.concepts.removeAll { ids.contains($0.id) }
                stored.regions[target].data = data
            }
        }
    }
}
