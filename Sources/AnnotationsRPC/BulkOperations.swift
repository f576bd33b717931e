import ClarifaiV2
import ProtoWire

/// How far a bulk operation has got.
public struct BulkProgress: Sendable, Equatable {
    /// Annotations the operation covers in all.
    public var total: Int
    /// Annotations done and accepted by the server so far.
    public var succeeded: Int
    /// Annotations that failed for good so far (after their retries).
    public var failed: Int

    /// Progress from its counts (the bulk operations report their own; public for tests).
    public init(total: Int, succeeded: Int, failed: Int) {
        self.total = total
        self.succeeded = succeeded
        self.failed = failed
    }

    /// Annotations finished either way: `succeeded + failed`, at most `total`.
    public var done: Int { succeeded + failed }
}

/// The outcome of a bulk operation, per annotation.
public struct BulkResult: Sendable {
    /// As the server returned them (with ids, status, timestamps), in no particular order.
    public var succeeded: [Annotation] = []
    /// Each annotation that could not be processed, with the last error for it.
    public var failed: [(annotation: Annotation, error: any Error & Sendable)] = []
}

extension AnnotationsClient {
    /// Posts any number of annotations in calls of up to 128, `concurrency` calls at a time
    /// over the one connection. Each call retries by the client's policy; when a call fails
    /// for some items only (MIXED_STATUS), only those are sent again, once per remaining attempt.
    ///
    /// ```swift
    /// let result = await client.postAll(annotations, concurrency: 4) { print("\($0.done)/\($0.total)") }
    /// ```
    public func postAll(
        _ annotations: [Annotation], concurrency: Int = 4,
        onProgress: (@Sendable (BulkProgress) -> Void)? = nil
    ) async -> BulkResult {
        // Ids first, so that every retry of every batch is idempotent.
        let prepared = annotations.map { annotation -> Annotation in
            var annotation = annotation
            if annotation.id.isEmpty { annotation.id = AnnotationID.make() }
            return annotation
        }
        return await runBulk(prepared, concurrency: concurrency, onProgress: onProgress) { batch in
            try await self.post(batch)
        }
    }

    /// Patches any number of annotations, in calls of up to 128 (see `postAll`).
    public func patchAll(
        _ annotations: [Annotation], action: PatchAction, concurrency: Int = 4,
        onProgress: (@Sendable (BulkProgress) -> Void)? = nil
    ) async -> BulkResult {
        await runBulk(annotations, concurrency: concurrency, onProgress: onProgress) { batch in
            try await self.patch(batch, action: action)
        }
    }

    /// Deletes any number of annotations (by `id` + `input_id`), in calls of up to 128.
    public func deleteAll(
        _ annotations: [Annotation], concurrency: Int = 4,
        onProgress: (@Sendable (BulkProgress) -> Void)? = nil
    ) async -> BulkResult {
        await runBulk(annotations, concurrency: concurrency, onProgress: onProgress) { batch in
            try await self.delete(ids: batch.map(\.id), inputIDs: batch.map(\.inputID))
            return batch
        }
    }

    private func runBulk(
        _ annotations: [Annotation], concurrency: Int,
        onProgress: (@Sendable (BulkProgress) -> Void)?,
        send: @escaping @Sendable ([Annotation]) async throws -> [Annotation]
    ) async -> BulkResult {
        var result = BulkResult()
        var progress = BulkProgress(total: annotations.count, succeeded: 0, failed: 0)
        var pending = stride(from: 0, to: annotations.count, by: AnnotationRules.maxAnnotationsPerCall).map {
            Array(annotations[$0..<min($0 + AnnotationRules.maxAnnotationsPerCall, annotations.count)])
        }
        let attempts = max(1, configuration.retryPolicy.maxAttempts)
        await withTaskGroup(of: BatchOutcome.self) { group in
            var running = 0
            var round: [String: Int] = [:]  // retries of failed items, by the first id of their batch
            func launch(_ batch: [Annotation]) {
                running += 1
                group.addTask {
                    do {
                        return BatchOutcome(batch: batch, stored: try await send(batch), error: nil)
                    } catch {
                        return BatchOutcome(batch: batch, stored: [], error: error)
                    }
                }
            }
            while !pending.isEmpty && running < max(1, concurrency) { launch(pending.removeFirst()) }
            while let outcome = await group.next() {
                running -= 1
                if let error = outcome.error {
                    // Items that failed on their own (MIXED_STATUS) get another batch of their own.
                    let partial =
                        (error as? ClarifaiStatusError).map { error in
                            outcome.batch.filter { item in
                                error.items.contains { $0.id == item.id && $0.status.map(BulkStatus.failed) == true }
                            }
                        } ?? []
                    let key = outcome.batch.first?.id ?? ""
                    let retries = round[key, default: 0]
                    if !partial.isEmpty, partial.count < outcome.batch.count, retries + 1 < attempts {
                        let succeededItems =
                            (error as? ClarifaiStatusError)?.items.filter { item in
                                item.status.map(BulkStatus.failed) == false
                            } ?? []
                        result.succeeded += succeededItems
                        progress.succeeded += outcome.batch.count - partial.count
                        round[partial[0].id] = retries + 1
                        pending.append(partial)
                    } else {
                        for item in outcome.batch { result.failed.append((item, error as any Error & Sendable)) }
                        progress.failed += outcome.batch.count
                    }
                } else {
                    result.succeeded += outcome.stored
                    progress.succeeded += outcome.batch.count
                }
                onProgress?(progress)
                while !pending.isEmpty && running < max(1, concurrency) { launch(pending.removeFirst()) }
            }
        }
        return result
    }
}

private struct BatchOutcome: Sendable {
    let batch: [Annotation]
    let stored: [Annotation]
    let error: (any Error & Sendable)?
}

private enum BulkStatus {
    /// Per-item statuses that mean the item was not stored or changed.
    static func failed(_ status: Status) -> Bool {
        switch status.code {
        case .success, .annotationSuccess, .annotationPending, .annotationAwaitingReview,
            .annotationAwaitingConsensusReview, .annotationModifySuccess, .annotationModifyPending:
            false
        default:
            true
        }
    }
}
