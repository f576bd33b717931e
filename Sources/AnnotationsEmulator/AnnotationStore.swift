import ClarifaiV2
import ProtoWire
import Synchronization

/// The in-memory semantics of Clarifai's annotation calls: one method per RPC, taking the
/// request message and returning the response message, independent of any transport. The
/// gRPC and REST sides of the emulator call ``handle(method:requestBytes:authorization:fault:)``
/// and ``handleJSON(method:body:query:pathParameters:authorization:fault:)``, which decode
/// the request and come here.
///
/// Safe to call from any number of threads or tasks at once: the whole state sits behind one
/// `Mutex`, and every call (a whole post of 128 annotations included) is applied atomically
/// with respect to every other.
///
/// ```swift
/// let store = AnnotationStore(apiKey: nil)  // any `Key <non-empty>` is accepted
/// var request = PostAnnotationsRequest()
/// var annotation = Annotation()
/// annotation.inputID = "{YOUR_INPUT_ID}"
/// request.annotations = [annotation]
/// let response = store.post(request, auth: .key("my-key"))
/// // response.status?.code == .success; response.annotations[0].id is 32 hex digits
/// ```
///
/// ## Behaviour (from the Clarifai documentation pages in `shared/seeds/`)
///
/// Every response carries a `status` with a fresh `req_id` (32 hex digits). A failure's
/// `description` says what was wrong (the field, the limit, the id) and `details` names the
/// offending field or id where there is one. All failures are Clarifai statuses inside a
/// gRPC-OK response, as Clarifai answers them.
///
/// - **Authentication** (every call, before anything else): `authorization: Key <non-empty>`,
///   and when the store has an ``apiKey``, exactly that key; else CONN_KEY_INVALID (11008).
/// - **Apps**: annotations live per (`user_app_id.user_id`, `user_app_id.app_id`); apps come
///   into being when first used. A missing `user_app_id`, or an empty part of it, means the
///   part of ``defaultApp`` (the emulator has one account: every accepted key acts as a key of
///   that app, the way an app-specific key does); `user_id` `me` (Clarifai's alias for the
///   caller) means `defaultApp.userID`.
/// - **Post**, **List**, **Get**, **Patch**, **Delete** (one, and bulk): see each method.
/// - **Fixtures**: ``load(_:app:)`` stores annotations verbatim (for `--fixtures`).
/// - **Fault injection**: a call given ``InjectedFault/tryAgain`` or ``InjectedFault/throttle``
///   (after authentication passed) changes nothing and answers TRY_AGAIN (10030) or
///   CONN_THROTTLED (11005).
public final class AnnotationStore: Sendable {
    /// Annotations per PostAnnotations or PatchAnnotations call: 1…128, as documented.
    public static let maxAnnotationsPerRequest = AnnotationRules.maxAnnotationsPerCall
    /// `per_page` when the request gives 0: 20, as documented.
    public static let defaultPerPage = 20
    /// The largest `per_page` honoured; a larger one is treated as 1000 (not refused), so a
    /// client asking for "everything" gets pages of 1000.
    public static let maxPerPage = 1000
    /// The app of requests without `user_app_id` unless the store is given another.
    public static let standardDefaultApp = UserAppIDSet(userID: "emulator-user", appID: "emulator-app")

    /// The only key accepted, or nil to accept any non-empty key.
    public let apiKey: String?
    /// The app a request without (parts of) `user_app_id` acts on.
    public let defaultApp: UserAppIDSet

    private struct State: Sendable {
        var apps: [AppKey: AppAnnotations] = [:]
        /// The last timestamp handed out: timestamps strictly increase, so `created_at`
        /// orders annotations the way listing does.
        var lastTime = Timestamp()

        mutating func tick() -> Timestamp {
            let now = WallClock.now()
            lastTime = now > lastTime ? now : lastTime.advancedByOneMicrosecond()
            return lastTime
        }
    }

    private let state = Mutex(State())

    /// - Parameters:
    ///   - apiKey: accept only `authorization: Key <apiKey>`; nil accepts any non-empty key.
    ///   - defaultApp: the app of requests that name none (see the type's documentation).
    public init(apiKey: String? = nil, defaultApp: UserAppIDSet = AnnotationStore.standardDefaultApp) {
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        var app = UserAppIDSet()
        app.userID = defaultApp.userID.isEmpty ? Self.standardDefaultApp.userID : defaultApp.userID
        app.appID = defaultApp.appID.isEmpty ? Self.standardDefaultApp.appID : defaultApp.appID
        self.defaultApp = app
    }

    // MARK: - PostAnnotations

    /// PostAnnotations: stores 1…128 new annotations.
    ///
    /// - Fewer than 1 or more than 128 annotations: CONN_INVALID_REQUEST (11102), nothing stored.
    /// - Each annotation is checked and stored on its own (**per item**): `input_id` is
    ///   required; region coordinates (box edges, polygon/point/keypoint row and col) must lie
    ///   in [0, 1]; an `id`, when given, must not already be stored in the app (also not by an
    ///   earlier annotation of the same request) — the failure's description and details say
    ///   "already exists", which clients treat as success when it answers a retry. A refused
    ///   annotation gets status ANNOTATION_INVALID_ARGUMENT (24155).
    /// - Stored annotations get: an id (32 hex digits) when absent; ids for regions without
    ///   one; `created_at` = `modified_at` = now (strictly increasing within the store);
    ///   `status` ANNOTATION_SUCCESS (24150) unless the request sets one (e.g.
    ///   ANNOTATION_PENDING when annotating for another user); `user_id` the app's user unless
    ///   the request names one. Everything else is kept as sent, including `model_version_id`
    ///   (which makes it model-created) and `input_level`.
    /// - The response: all stored → SUCCESS with the stored annotations in request order. Some
    ///   refused → MIXED_STATUS (10010) and every annotation in request order, each with its own
    ///   status (the stored ones with their annotation status, the refused ones as sent with
    ///   the refusal). All refused → the refusal's code when they share one (else FAILURE
    ///   10020), with the annotations as for MIXED_STATUS.
    public func post(_ request: PostAnnotationsRequest, auth: Authorization, fault: InjectedFault? = nil)
        -> MultiAnnotationResponse
    {
        var response = MultiAnnotationResponse()
        if let refused = gate(auth, fault) {
            response.status = stamped(refused)
            return response
        }
        if let refused = Self.countRefusal(request.annotations.count, call: "PostAnnotations") {
            response.status = stamped(refused.status)
            return response
        }
        let app = resolve(request.userAppID)
        // Checks and defaults that need no state, outside the lock.
        let prepared: [Result<Annotation, Refusal>] = request.annotations.enumerated().map { index, given in
            do throws(Refusal) {
                return .success(try Self.preparedForPost(given, index: index, app: app))
            } catch {
                return .failure(error)
            }
        }
        let outcomes: [ItemOutcome] = state.withLock { state in
            var outcomes: [ItemOutcome] = []
            outcomes.reserveCapacity(prepared.count)
            for (index, item) in prepared.enumerated() {
                switch item {
                case .failure(let refusal):
                    outcomes.append(.refused(request.annotations[index], refusal.status))
                case .success(var annotation):
                    let given = request.annotations[index]
                    if annotation.id.isEmpty {
                        repeat {
                            annotation.id = AnnotationID.make()
                        } while state.apps[app]?.seq(of: annotation.id) != nil
                    } else if state.apps[app]?.seq(of: annotation.id) != nil {
                        let app = app
                        outcomes.append(
                            .refused(
                                given,
                                Status.make(
                                    .annotationInvalidArgument,
                                    "annotations[\(index)]: annotation id '\(annotation.id)' already exists in app '\(app.appID)' of user '\(app.userID)'",
                                    details: "annotation id '\(annotation.id)' already exists"
                                )))
                        continue
                    }
                    let now = state.tick()
                    annotation.createdAt = now
                    annotation.modifiedAt = now
                    state.apps[app, default: AppAnnotations()].append(annotation)
                    outcomes.append(.done(annotation))
                }
            }
            return outcomes
        }
        return Self.multiResponse(outcomes, verb: "stored", status: stamped)
    }

    /// Defaults and checks of one annotation to post.
    private static func preparedForPost(_ given: Annotation, index: Int, app: AppKey) throws(Refusal) -> Annotation {
        let path = "annotations[\(index)]"
        if let violation = AnnotationRules.violation(in: given, at: path) {
            throw .invalidAnnotation(violation.description, details: violation.path)
        }
        var annotation = given
        if annotation.userID.isEmpty { annotation.userID = app.userID }
        if let status = annotation.status, status.code.rawValue != 0 {
            if status.description.isEmpty {
                annotation.status?.description = AnnotationStatusText.description(for: status.code)
            }
        } else {
            annotation.status = Status(
                code: .annotationSuccess, description: AnnotationStatusText.description(for: .annotationSuccess))
        }
        annotation.data?.assignRegionIDs()
        return annotation
    }

    // MARK: - ListAnnotations

    /// ListAnnotations: one page of the app's annotations, **oldest to newest** (in the order
    /// they were stored; fixtures in the order loaded).
    ///
    /// - Paging: `page` is 1-based (0 means 1); `per_page` 0 means 20, more than 1000 means
    ///   1000. A page past the end is empty, with SUCCESS.
    /// - `ids` (annotation ids) go in pairs with `input_ids`: both lists must be of equal
    ///   length, pair *i* naming annotation `ids[i]` of input `input_ids[i]`; else
    ///   CONN_INVALID_REQUEST (11102). Pairs that match nothing are left out. As the
    ///   documentation says, looking up by ids matches user- and model-created annotations
    ///   alike (`list_all_annotations` is not needed).
    /// - `input_ids` alone: the annotations of those inputs.
    /// - `user_ids`, `model_version_ids`, `statuses` (by code), `task_id` (the annotation's
    ///   `task_id`, or `annotation_info.task_id` as "Task Annotations" sends it): each, when
    ///   given, keeps only the annotations that match one of its values; filters combine with AND.
    /// - `list_all_annotations` false (the default) hides model-created annotations — those
    ///   with a `model_version_id`. An `embed_model_version_id` does not make an annotation
    ///   model-created (the documentation's user-created annotations carry one). Input-level
    ///   annotations are the user's data and are listed. Asking for `model_version_ids` or for
    ///   `ids` lists model-created annotations without `list_all_annotations`, since that is
    ///   what such a request names.
    /// - `workflow_version_ids` and `return_model_output` are accepted and ignored (the
    ///   emulator runs no workflows).
    public func list(_ request: ListAnnotationsRequest, auth: Authorization, fault: InjectedFault? = nil)
        -> MultiAnnotationResponse
    {
        var response = MultiAnnotationResponse()
        if let refused = refusal(of: request, by: V2.listAnnotations, auth, fault) {
            response.status = refused
            return response
        }
        let page = Int(max(request.page, 1))
        let perPage = request.perPage == 0 ? Self.defaultPerPage : min(Int(request.perPage), Self.maxPerPage)
        let offset = (page - 1) * perPage
        let app = resolve(request.userAppID)
        let userIDs = Set(request.userIDs)
        let modelVersionIDs = Set(request.modelVersionIDs)
        let statusCodes = Set(request.statuses.map(\.code))
        let includeModelCreated = request.listAllAnnotations || !request.ids.isEmpty || !request.modelVersionIDs.isEmpty
        func matches(_ annotation: Annotation) -> Bool {
            if !includeModelCreated && annotation.isModelCreated { return false }
            if !userIDs.isEmpty && !userIDs.contains(annotation.userID) { return false }
            if !modelVersionIDs.isEmpty && !modelVersionIDs.contains(annotation.modelVersionID) { return false }
            if !statusCodes.isEmpty && !statusCodes.contains(annotation.status?.code ?? StatusCode(rawValue: 0)) {
                return false
            }
            if !request.taskID.isEmpty && annotation.effectiveTaskID != request.taskID { return false }
            return true
        }
        response.annotations = state.withLock { state -> [Annotation] in
            guard let annotations = state.apps[app] else { return [] }
            var page: [Annotation] = []
            var skipped = 0
            func visit(_ seq: UInt64) -> Bool {
                guard let annotation = annotations.annotation(seq: seq), matches(annotation) else { return true }
                if skipped < offset {
                    skipped += 1
                    return true
                }
                page.append(annotation)
                return page.count < perPage
            }
            if !request.ids.isEmpty {
                var seqs: [UInt64] = []
                var seen = Set<UInt64>()
                for (id, inputID) in zip(request.ids, request.inputIDs) {
                    if let seq = annotations.seq(of: id), annotations.annotation(seq: seq)?.inputID == inputID,
                        seen.insert(seq).inserted
                    {
                        seqs.append(seq)
                    }
                }
                for seq in seqs.sorted() where !visit(seq) { break }
            } else if !request.inputIDs.isEmpty {
                for seq in annotations.seqs(ofInputs: request.inputIDs) where !visit(seq) { break }
            } else {
                for seq in annotations.order where !visit(seq) { break }
            }
            return page
        }
        response.status = stamped(.ok)
        return response
    }

    // MARK: - GetAnnotation

    /// GetAnnotation: the annotation `annotation_id` of input `input_id`.
    ///
    /// Both ids are required (else CONN_INVALID_REQUEST 11102). No such annotation in the app,
    /// or one that belongs to another input: CONN_DOES_NOT_EXIST (11101). Model-created and
    /// input-level annotations are found like any other.
    public func get(_ request: GetAnnotationRequest, auth: Authorization, fault: InjectedFault? = nil)
        -> SingleAnnotationResponse
    {
        var response = SingleAnnotationResponse()
        if let refused = refusal(of: request, by: V2.getAnnotation, auth, fault) {
            response.status = refused
            return response
        }
        let app = resolve(request.userAppID)
        let found = state.withLock { $0.apps[app]?.annotation(id: request.annotationID, inputID: request.inputID) }
        guard let found else {
            response.status = stamped(
                Self.notFound(annotationID: request.annotationID, inputID: request.inputID, app: app))
            return response
        }
        response.annotation = found
        response.status = stamped(.ok)
        return response
    }

    // MARK: - PatchAnnotations

    /// PatchAnnotations: changes 1…128 stored annotations.
    ///
    /// - Fewer than 1 or more than 128 annotations: CONN_INVALID_REQUEST (11102). `action`
    ///   must be `merge`, `overwrite` or `remove` (in any letter case); anything else,
    ///   including none, is CONN_INVALID_REQUEST naming the supported actions. Nothing changes.
    /// - Each annotation is applied on its own (**per item**), in request order: it needs `id`
    ///   and `input_id` (ANNOTATION_INVALID_ARGUMENT 24155 otherwise); the annotation must be
    ///   stored in the app and belong to that input (CONN_DOES_NOT_EXIST 11101 otherwise); with
    ///   `merge` and `overwrite` the resulting region coordinates must lie in [0, 1]
    ///   (ANNOTATION_INVALID_ARGUMENT). What each action does:
    ///   - `merge`: concepts by id (a concept already there gets the given value, a new one is
    ///     appended); regions by id (an existing region's concepts are merged the same way, its
    ///     coordinates replaced when the patch gives some; a new region is appended, getting
    ///     an id when it has none); other data fields by protobuf merge rules;
    ///     `annotation_info` merged key by key.
    ///   - `overwrite`: the data is replaced by the patch's (what the patch does not repeat is
    ///     gone; regions without ids get new ones); `annotation_info` replaced when given.
    ///   - `remove`: the listed concepts (by id) are removed; each listed region (by `id`,
    ///     required) is removed when it lists no concepts, or else loses the listed concepts
    ///     and stays; ids not present are ignored; listed `annotation_info` keys are removed.
    ///   - With any action, a given `status` (code ≠ 0) replaces the stored one (e.g. to
    ///     ANNOTATION_SUCCESS); `merge`/`overwrite` also take a given
    ///     `embed_model_version_id` and `task_id`. `id`, `input_id`, `user_id`,
    ///     `model_version_id`, `input_level` and `created_at` never change.
    /// - `modified_at` becomes the time of the patch.
    /// - `delete_if_empty_data`: an annotation whose data is empty after the patch (typically
    ///   after `remove`) is deleted; the response still returns it (with its empty data) as a
    ///   success, and it is gone from list and get.
    /// - The response is built as for ``post(_:auth:fault:)`` (SUCCESS, MIXED_STATUS, or the
    ///   shared failure code), with the annotations as stored after the patch.
    public func patch(_ request: PatchAnnotationsRequest, auth: Authorization, fault: InjectedFault? = nil)
        -> MultiAnnotationResponse
    {
        var response = MultiAnnotationResponse()
        if let refused = gate(auth, fault) {
            response.status = stamped(refused)
            return response
        }
        if let refused = Self.countRefusal(request.annotations.count, call: "PatchAnnotations") {
            response.status = stamped(refused.status)
            return response
        }
        guard let action = PatchActionKind(rawValue: request.action.trimmingSpaces().lowercased()) else {
            let supported = PatchActionKind.allCases.map(\.rawValue).joined(separator: ", ")
            let what = request.action.isEmpty ? "no action given" : "unknown action '\(request.action)'"
            response.status = stamped(
                Status.make(
                    .connInvalidRequest, "\(what): PatchAnnotations supports the actions \(supported)",
                    details: "action"
                ))
            return response
        }
        let app = resolve(request.userAppID)
        let outcomes: [ItemOutcome] = state.withLock { state in
            var outcomes: [ItemOutcome] = []
            outcomes.reserveCapacity(request.annotations.count)
            for (index, given) in request.annotations.enumerated() {
                let path = "annotations[\(index)]"
                var named = given
                named.data = nil
                if let violation = AnnotationRules.violation(in: named, at: path, requireID: true) {
                    outcomes.append(
                        .refused(
                            given,
                            Status.make(.annotationInvalidArgument, violation.description, details: violation.path)))
                    continue
                }
                guard let stored = state.apps[app]?.annotation(id: given.id, inputID: given.inputID) else {
                    var status = Self.notFound(annotationID: given.id, inputID: given.inputID, app: app)
                    status.description = "\(path): " + status.description
                    outcomes.append(.refused(given, status))
                    continue
                }
                do throws(Refusal) {
                    // The patch's own data (what is stored was checked when stored, or loaded as it is).
                    if action != .remove, let data = given.data,
                        let violation = AnnotationRules.violation(inData: data, at: "\(path).data")
                    {
                        throw Refusal.invalidAnnotation(violation.description, details: violation.path)
                    }
                    // The rule binds what a request holds, not what a merge makes of the stored
                    // annotation: the documentation's own "concepts in a region" patch merges a
                    // region into an annotation that has one.
                    var patched = try Patching.apply(action, patch: given, to: stored)
                    patched.modifiedAt = state.tick()
                    if request.deleteIfEmptyData && (patched.data?.isEmpty ?? true) {
                        state.apps[app]?.remove(id: patched.id)
                    } else {
                        state.apps[app]?.replace(patched)
                    }
                    outcomes.append(.done(patched))
                } catch {
                    var status = error.status
                    if !status.description.hasPrefix(path) { status.description = "\(path).\(status.description)" }
                    outcomes.append(.refused(given, status))
                }
            }
            return outcomes
        }
        return Self.multiResponse(outcomes, verb: "patched", status: stamped)
    }

    // MARK: - DeleteAnnotation

    /// DeleteAnnotation: deletes annotation `annotation_id` of input `input_id`.
    ///
    /// Both ids are required (else CONN_INVALID_REQUEST 11102); no such annotation:
    /// CONN_DOES_NOT_EXIST (11101). Any annotation can be deleted this way, input-level and
    /// model-created ones included.
    public func delete(_ request: DeleteAnnotationRequest, auth: Authorization, fault: InjectedFault? = nil)
        -> BaseResponse
    {
        var response = BaseResponse()
        if let refused = refusal(of: request, by: V2.deleteAnnotation, auth, fault) {
            response.status = refused
            return response
        }
        let app = resolve(request.userAppID)
        let deleted = state.withLock { state -> Bool in
            guard state.apps[app]?.annotation(id: request.annotationID, inputID: request.inputID) != nil else {
                return false
            }
            state.apps[app]?.remove(id: request.annotationID)
            return true
        }
        response.status = stamped(
            deleted ? .ok : Self.notFound(annotationID: request.annotationID, inputID: request.inputID, app: app))
        return response
    }

    // MARK: - DeleteAnnotations

    /// DeleteAnnotations: bulk delete, in one of two forms.
    ///
    /// - `ids` with `input_ids` of equal length: deletes annotation `ids[i]` of input
    ///   `input_ids[i]` for each *i*. Unequal lengths: CONN_INVALID_REQUEST (11102), nothing
    ///   deleted. Pairs that match nothing are skipped (the call is idempotent, so a retried
    ///   bulk delete succeeds).
    /// - `input_ids` alone: deletes every annotation of those inputs EXCEPT input-level ones
    ///   (`input_level` true), which, as documented, go only with their input.
    /// - Neither (or an empty id in either list): CONN_INVALID_REQUEST.
    public func delete(_ request: DeleteAnnotationsRequest, auth: Authorization, fault: InjectedFault? = nil)
        -> BaseResponse
    {
        var response = BaseResponse()
        if let refused = refusal(of: request, by: V2.deleteAnnotations, auth, fault) {
            response.status = refused
            return response
        }
        let app = resolve(request.userAppID)
        state.withLock { state in
            guard state.apps[app] != nil else { return }
            if request.ids.isEmpty {
                let doomed = state.apps[app]!.seqs(ofInputs: request.inputIDs).compactMap { seq -> String? in
                    guard let annotation = state.apps[app]!.annotation(seq: seq), !annotation.inputLevel else {
                        return nil
                    }
                    return annotation.id
                }
                for id in doomed { state.apps[app]!.remove(id: id) }
            } else {
                for (id, inputID) in zip(request.ids, request.inputIDs)
                where state.apps[app]!.annotation(id: id, inputID: inputID) != nil {
                    state.apps[app]!.remove(id: id)
                }
            }
        }
        response.status = stamped(.ok)
        return response
    }

    // MARK: - Fixtures and inspection

    /// Stores annotations as given (for `--fixtures FILE.jsonl`), after those already in
    /// `app`, in order — including model-created ones (with `model_version_id`) and
    /// input-level ones. Nothing is checked or defaulted, except that an annotation without
    /// an id gets one (an id is how it is found). An annotation whose id is already stored
    /// in the app replaces it, keeping its place. Empty parts of `app` mean ``defaultApp``'s.
    public func load(_ annotations: [Annotation], app: UserAppIDSet) {
        let key = resolve(app)
        state.withLock { state in
            for var annotation in annotations {
                if annotation.id.isEmpty { annotation.id = AnnotationID.make() }
                if state.apps[key]?.seq(of: annotation.id) != nil {
                    state.apps[key]!.replace(annotation)
                } else {
                    state.apps[key, default: AppAnnotations()].append(annotation)
                }
            }
        }
    }

    /// Every annotation of `app`, oldest first (for tests and tools; no authentication).
    public func annotations(app: UserAppIDSet) -> [Annotation] {
        let key = resolve(app)
        return state.withLock { state in
            guard let annotations = state.apps[key] else { return [] }
            return annotations.order.compactMap { annotations.annotation(seq: $0) }
        }
    }

    /// How many annotations `app` holds.
    public func count(app: UserAppIDSet) -> Int {
        let key = resolve(app)
        return state.withLock { $0.apps[key]?.count ?? 0 }
    }

    /// Forgets every annotation of every app.
    public func removeAll() {
        state.withLock { $0.apps.removeAll() }
    }

    // MARK: - For the methods in other files

    /// The app's annotations, oldest first: a snapshot.
    func annotations(of app: AppKey) -> [Annotation] {
        state.withLock { $0.apps[app]?.all ?? [] }
    }

    /// Runs `change` on the app's annotations under the store's lock, so that it is atomic with
    /// respect to every other call; `now` is a fresh timestamp of the store.
    func changeAnnotations<T: Sendable>(of app: AppKey, _ change: (inout AppAnnotations, _ now: Timestamp) -> T) -> T {
        state.withLock { state in
            let now = state.tick()
            return change(&state.apps[app, default: AppAnnotations()], now)
        }
    }

    /// Authentication, an injected fault, then the method's rules (CONN_INVALID_REQUEST naming
    /// the field, the text the client's `ValidationError` gives): the status that refuses the
    /// call, stamped, or nil.
    func refusal<Request, Response>(
        of request: Request, by method: V2Method<Request, Response>, _ auth: Authorization, _ fault: InjectedFault?
    ) -> Status? {
        if let refused = gate(auth, fault) { return stamped(refused) }
        guard let violation = method.violation(in: request) else { return nil }
        return stamped(.make(.connInvalidRequest, "\(method.name): \(violation.description)", details: violation.path))
    }

    // MARK: - Shared steps

    /// Authentication, then an injected fault the store answers.
    func gate(_ auth: Authorization, _ fault: InjectedFault?) -> Status? {
        if let refused = authenticationFailure(auth) { return refused }
        return fault?.storeStatus
    }

    /// CONN_KEY_INVALID with what was wrong, or nil when the call may go on. The key itself
    /// is never echoed.
    func authenticationFailure(_ auth: Authorization) -> Status? {
        let prefix = "Invalid API key or Invalid API key/application pair"
        let problem: String
        switch auth.parsed {
        case .missing:
            problem = "the request has no authorization header; send 'authorization: Key YOUR_API_KEY'"
        case .wrongScheme(let scheme?):
            problem =
                "the authorization header uses the scheme '\(scheme.prefix(20))'; send 'authorization: Key YOUR_API_KEY'"
        case .wrongScheme(nil):
            problem = "the authorization header is not of the form 'Key YOUR_API_KEY'"
        case .emptyKey:
            problem = "the authorization header has no key after 'Key'; send 'authorization: Key YOUR_API_KEY'"
        case .key(let key):
            guard let apiKey, key != apiKey else { return nil }
            problem = "the key is not the one this emulator was started with (--api-key)"
        }
        return Status.make(.connKeyInvalid, "\(prefix): \(problem)", details: "authorization")
    }

    func resolve(_ userAppID: UserAppIDSet?) -> AppKey {
        var userID = userAppID?.userID ?? ""
        if userID.isEmpty || userID == "me" { userID = defaultApp.userID }
        let appID = userAppID?.appID ?? ""
        return AppKey(userID: userID, appID: appID.isEmpty ? defaultApp.appID : appID)
    }

    /// The status with a new `req_id`.
    func stamped(_ status: Status) -> Status {
        var status = status
        status.reqID = AnnotationID.make()
        return status
    }

    private static func countRefusal(_ count: Int, call: String) -> Refusal? {
        guard let violation = AnnotationRules.count(count) else { return nil }
        return .invalidRequest("\(call): \(violation.description)", details: violation.path)
    }

    private static func notFound(annotationID: String, inputID: String, app: AppKey) -> Status {
        Status.make(
            .connDoesNotExist,
            "Resource does not exist: no annotation '\(annotationID)' on input '\(inputID)' in app '\(app.appID)' of user '\(app.userID)'",
            details: "annotation '\(annotationID)' of input '\(inputID)'"
        )
    }

    /// What happened to one annotation of a post or patch.
    enum ItemOutcome {
        case done(Annotation)
        case refused(Annotation, Status)
    }

    /// The response of a per-item call (see ``post(_:auth:fault:)``).
    private static func multiResponse(
        _ outcomes: [ItemOutcome], verb: String, status stamped: (Status) -> Status
    ) -> MultiAnnotationResponse {
        var response = MultiAnnotationResponse()
        var failures: [Status] = []
        for outcome in outcomes {
            switch outcome {
            case .done(let annotation):
                response.annotations.append(annotation)
            case .refused(var annotation, let status):
                annotation.status = status
                response.annotations.append(annotation)
                failures.append(status)
            }
        }
        let total = outcomes.count
        guard let first = failures.first else {
            response.status = stamped(.ok)
            return response
        }
        if failures.count < total {
            response.status = stamped(
                Status.make(
                    .mixedStatus,
                    "Mixed Success: \(failures.count) of \(total) annotations were not \(verb); each annotation carries its own status (first: \(first.description))",
                    details: first.details
                ))
        } else if total == 1 {
            response.status = stamped(first)
        } else {
            let shared = failures.allSatisfy { $0.code == first.code }
            response.status = stamped(
                Status.make(
                    shared ? first.code : .failure,
                    "none of the \(total) annotations were \(verb); each annotation carries its own status (first: \(first.description))",
                    details: first.details
                ))
        }
        return response
    }
}
