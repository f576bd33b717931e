import ClarifaiV2
import ProtoWire

extension Annotation {
    /// Who made the annotation: its `worker` when set, else a user worker for its
    /// (deprecated) `user_id`, else nil. Every annotation the emulator stores has a user.
    var author: Worker? {
        if let worker, worker.worker != nil { return worker }
        return userID.isEmpty ? nil : Worker(.user(User(id: userID)))
    }

    /// The id of the user who made it ("" for a model or a workflow).
    var authorUserID: String {
        if let worker, worker.worker != nil { return worker.user?.id ?? "" }
        return userID
    }
}

extension Annotation {
    /// The model versions that made it: its (deprecated) `model_version_id` and its worker's
    /// `model.model_version.id`, the field the `.proto` names instead.
    var modelVersionIDs: [String] {
        [modelVersionID, worker?.model?.modelVersion?.id ?? ""].filter { !$0.isEmpty }
    }

    /// The workflow version that made it (its worker's `workflow.version.id`), or "".
    var workflowVersionID: String { worker?.workflow?.version?.id ?? "" }
}

extension Worker {
    /// True when this worker is the one `filter` names: the same user, model or workflow, and
    /// the same version when the filter gives one ("filtering by model version ID within a
    /// worker", as the `.proto` says).
    func isMatched(by filter: Worker) -> Bool {
        guard key == filter.key else { return false }
        switch (worker, filter.worker) {
        case (.model(let model)?, .model(let wanted)?):
            let version = wanted.modelVersion?.id ?? ""
            return version.isEmpty || model.modelVersion?.id == version
        case (.workflow(let workflow)?, .workflow(let wanted)?):
            let version = wanted.version?.id ?? ""
            return version.isEmpty || workflow.version?.id == version
        default:
            return true
        }
    }

    /// Names a worker uniquely: `user:<id>`, `model:<id>` or `workflow:<id>`.
    var key: String {
        switch worker {
        case .user(let user)?: "user:\(user.id)"
        case .model(let model)?: "model:\(model.id)"
        case .workflow(let workflow)?: "workflow:\(workflow.id)"
        case nil: ""
        }
    }
}

extension AnnotationStore {
    /// ListAnnotationWorkers: the distinct workers of the app's annotations (see
    /// `Annotation.author`: the worker, else the user), in the order their first annotation was
    /// stored, one page of them (`page` 1-based, `per_page` 0 means 128 as the `.proto` says,
    /// at most 1000). With
    /// `trusted_only`, only trusted annotations count. Users come without their real names
    /// (`first_name`, `last_name`) unless `additional_fields` asks for `names`, as the `.proto`
    /// says; other additional fields are accepted and add nothing (the emulator has no user
    /// profiles).
    public func listWorkers(
        _ request: ListAnnotationWorkersRequest, auth: Authorization, fault: InjectedFault? = nil
    ) -> MultiWorkerResponse {
        var response = MultiWorkerResponse()
        if let refused = refusal(of: request, by: V2.listAnnotationWorkers, auth, fault) {
            response.status = refused
            return response
        }
        var seen = Set<String>()
        var workers: [Worker] = []
        for annotation in annotations(of: resolve(request.userAppID)) where !request.trustedOnly || annotation.trusted {
            guard var worker = annotation.author, seen.insert(worker.key).inserted else { continue }
            if !request.additionalFields.contains("names"), case .user(var user)? = worker.worker {
                user.firstName = ""
                user.lastName = ""
                worker.worker = .user(user)
            }
            workers.append(worker)
        }
        response.workers = Array(
            workers[
                Self.pageRange(
                    count: workers.count, page: request.page, perPage: request.perPage,
                    defaultPerPage: Self.defaultWorkersPerPage)])
        response.status = stamped(.ok)
        return response
    }

    /// `per_page` of ListAnnotationWorkers when the request gives 0.
    public static let defaultWorkersPerPage = 128

    /// The items of a 1-based page (0 means 1) of `perPage` items (0 means `defaultPerPage`, at most 1000).
    static func pageRange(count: Int, page: UInt32, perPage: UInt32, defaultPerPage: Int) -> Range<Int> {
        let size = perPage == 0 ? defaultPerPage : min(Int(perPage), maxPerPage)
        let start = min((Int(max(page, 1)) - 1) * size, count)
        return start..<min(start + size, count)
    }
}
