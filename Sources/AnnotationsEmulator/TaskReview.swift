import ClarifaiV2
import ProtoWire

extension AnnotationStore {
    /// PatchAnnotationsStatus (task review): sets `status.code` to `status_code` on the app's
    /// annotations of `task_id` (the annotation's `task_id`, or `annotation_info.task_id`)
    /// whose user is one of `user_ids` and whose status is one of `status_codes`, each filter
    /// only when given; `modified_at` becomes now. `task_id` and `status_code` are required and
    /// `action` must be `overwrite` or empty (CONN_INVALID_REQUEST otherwise, nothing changes).
    /// The response lists the users whose annotations changed, sorted, and how many changed.
    public func patchStatus(
        _ request: PatchAnnotationsStatusRequest, auth: Authorization, fault: InjectedFault? = nil
    ) -> PatchAnnotationsStatusResponse {
        var response = PatchAnnotationsStatusResponse()
        if let refused = refusal(of: request, by: V2.patchAnnotationsStatus, auth, fault) {
            response.status = refused
            return response
        }
        let userIDs = Set(request.userIDs)
        let codes = Set(request.statusCodes)
        let status = Status(
            code: request.statusCode, description: AnnotationStatusText.description(for: request.statusCode))
        let (count, users) = changeAnnotations(of: resolve(request.userAppID)) {
            annotations, now -> (Int, Set<String>) in
            var count = 0
            var users = Set<String>()
            for var annotation in annotations.all where annotation.effectiveTaskID == request.taskID {
                let user = annotation.authorUserID
                guard userIDs.isEmpty || userIDs.contains(user),
                    codes.isEmpty || codes.contains(annotation.status?.code ?? StatusCode(rawValue: 0))
                else { continue }
                annotation.status = status
                annotation.modifiedAt = now
                annotations.replace(annotation)
                count += 1
                if !user.isEmpty { users.insert(user) }
            }
            return (count, users)
        }
        response.userIDs = users.sorted()
        response.updatedCount = UInt32(clamping: count)
        response.status = stamped(.ok)
        return response
    }

    /// GetTaskAnnotationCount: the app's annotations of `task_id` (required) counted per
    /// worker (`Annotation.author`) by status: ANNOTATION_PENDING, ANNOTATION_AWAITING_REVIEW,
    /// ANNOTATION_SUCCESS, ANNOTATION_REVIEW_DENIED, ANNOTATION_AWAITING_CONSENSUS_REVIEW (a
    /// worker whose annotations have other statuses is listed with zeros). `user_ids`,
    /// `model_version_ids` and `workflow_version_ids`, when given, keep the union (OR) of
    /// those users' annotations, those of one of those model versions (the worker's
    /// `model.model_version.id`, or the deprecated `model_version_id`) and those of one of
    /// those workflow versions (the worker's `workflow.version.id`), as the official `.proto`
    /// says. Counts are sorted by worker (`user:…`, `model:…`, `workflow:…`, then id).
    public func taskCount(
        _ request: GetTaskCountRequest, auth: Authorization, fault: InjectedFault? = nil
    ) -> SingleTaskCountResponse {
        var response = SingleTaskCountResponse()
        if let refused = refusal(of: request, by: V2.getTaskAnnotationCount, auth, fault) {
            response.status = refused
            return response
        }
        let app = resolve(request.userAppID)
        let userIDs = Set(request.userIDs)
        let modelVersionIDs = Set(request.modelVersionIDs)
        let workflowVersionIDs = Set(request.workflowVersionIDs)
        let filtered = !userIDs.isEmpty || !modelVersionIDs.isEmpty || !workflowVersionIDs.isEmpty
        var counts: [String: TaskStatusCountPerUser] = [:]
        for annotation in annotations(of: app) where annotation.effectiveTaskID == request.taskID {
            guard let worker = annotation.author,
                !filtered || userIDs.contains(annotation.authorUserID)
                    || annotation.modelVersionIDs.contains(where: modelVersionIDs.contains)
                    || workflowVersionIDs.contains(annotation.workflowVersionID)
            else { continue }
            var count = counts[worker.key] ?? TaskStatusCountPerUser()
            count.userID = worker.user?.id ?? ""
            count.worker = worker
            switch annotation.status?.code {
            case .annotationPending?: count.pending += 1
            case .annotationAwaitingReview?: count.awaitingReview += 1
            case .annotationSuccess?: count.success += 1
            case .annotationReviewDenied?: count.reviewDenied += 1
            case .annotationAwaitingConsensusReview?: count.awaitingConsensusReview += 1
            default: break
            }
            counts[worker.key] = count
        }
        response.appID = app.appID
        response.taskID = request.taskID
        response.counts = counts.keys.sorted().compactMap { counts[$0] }
        response.status = stamped(.ok)
        return response
    }
}
