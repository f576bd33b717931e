import ProtoWire
import Testing

@testable import AnnotationsEmulator

@Suite struct ConcurrencyTests {
    /// 64 tasks post and list at once (through the gRPC dispatcher, as 64 clients would):
    /// nothing is lost, nothing duplicated, every page is consistent.
    @Test func sixtyFourClientsPostingAndListing() async throws {
        let store = AnnotationStore()
        let clients = 64
        let postsPerClient = 10
        let perPost = 3
        let key = "Key test-key"
        let results = await withTaskGroup(of: (posted: [String], pageProblems: [String]).self) { group in
            for client in 0..<clients {
                group.addTask {
                    var posted: [String] = []
                    var problems: [String] = []
                    for round in 0..<postsPerClient {
                        // Half the annotations carry client-chosen ids, half get server ids.
                        let annotations = (0..<perPost).map { item in
                            Fixture.annotation(input: "client\(client)", id: item == 0 ? "c\(client)-r\(round)" : "")
                        }
                        let reply = store.handle(
                            method: "PostAnnotations", requestBytes: Fixture.post(annotations).serializedBytes(),
                            authorization: key
                        )
                        guard let response = try? MultiAnnotationResponse(serializedBytes: reply.responseBytes),
                            response.status?.code == .success
                        else {
                            problems.append("post failed")
                            continue
                        }
                        posted += response.annotations.map(\.id)
                        // A list while others write: no duplicates within a page, this client's
                        // annotations all there, in the order posted.
                        let listReply = store.handle(
                            method: "ListAnnotations",
                            requestBytes: Fixture.list {
                                $0.inputIDs = ["client\(client)"]
                                $0.perPage = 1000
                            }.serializedBytes(),
                            authorization: key
                        )
                        let page =
                            (try? MultiAnnotationResponse(serializedBytes: listReply.responseBytes))?.annotations.map(
                                \.id) ?? []
                        if page != posted {
                            problems.append("client \(client) listed \(page.count), posted \(posted.count)")
                        }
                        let all = store.list(
                            Fixture.list {
                                $0.perPage = 50
                                $0.page = UInt32(round + 1)
                            }, auth: Fixture.auth
                        ).annotations
                        if Set(all.map(\.id)).count != all.count { problems.append("duplicate ids in a page") }
                    }
                    return (posted, problems)
                }
            }
            var collected: [(posted: [String], pageProblems: [String])] = []
            for await result in group { collected.append(result) }
            return collected
        }
        let problems = results.flatMap(\.pageProblems)
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        let posted = results.flatMap(\.posted)
        #expect(posted.count == clients * postsPerClient * perPost)
        #expect(Set(posted).count == posted.count, "no id handed out twice")
        // Everything is there exactly once, walking every page.
        var listed: [String] = []
        var page: UInt32 = 1
        while true {
            let ids = store.listIDs {
                $0.perPage = 1000
                $0.page = page
            }
            if ids.isEmpty { break }
            listed += ids
            page += 1
        }
        #expect(listed.count == posted.count)
        #expect(Set(listed) == Set(posted))
        let created = store.annotations(app: Fixture.app).compactMap(\.createdAt)
        #expect(
            created == created.sorted() && Set(created).count == created.count,
            "created_at strictly increases in list order")
    }

    /// The same id posted by many clients at once is stored once; every other post hears
    /// "already exists".
    @Test func racingPostsOfOneIDStoreItOnce() async {
        let store = AnnotationStore()
        let codes = await withTaskGroup(of: StatusCode?.self) { group in
            for _ in 0..<64 {
                group.addTask {
                    store.post(Fixture.post([Fixture.annotation(input: "in", id: "same")]), auth: Fixture.auth).status?
                        .code
                }
            }
            var codes: [StatusCode?] = []
            for await code in group { codes.append(code) }
            return codes
        }
        #expect(codes.filter { $0 == .success }.count == 1)
        #expect(codes.filter { $0 == .annotationInvalidArgument }.count == 63)
        #expect(store.count(app: Fixture.app) == 1)
    }

    /// Patches and deletes racing posts and lists leave a consistent store.
    @Test func mixedOperations() async {
        let store = AnnotationStore()
        store.mustPost((0..<64).map { Fixture.annotation(input: "in\($0)", id: "a\($0)", concepts: [("c", 1)]) })
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<64 {
                group.addTask {
                    _ = store.patch(
                        Fixture.patch(
                            "merge",
                            [Fixture.annotation(input: "in\(index)", id: "a\(index)", concepts: [("p\(index)", 1)])]),
                        auth: Fixture.auth)
                    if index % 2 == 0 {
                        var request = DeleteAnnotationRequest()
                        request.userAppID = Fixture.app
                        request.inputID = "in\(index)"
                        request.annotationID = "a\(index)"
                        _ = store.delete(request, auth: Fixture.auth)
                    }
                    _ = store.post(Fixture.post([Fixture.annotation(input: "new\(index)")]), auth: Fixture.auth)
                    _ = store.list(Fixture.list { $0.perPage = 1000 }, auth: Fixture.auth)
                }
            }
        }
        let survivors = store.listIDs {
            $0.inputIDs = (0..<64).map { "in\($0)" }
            $0.perPage = 1000
        }
        #expect(survivors == (0..<64).filter { $0 % 2 == 1 }.map { "a\($0)" })
        for index in stride(from: 1, to: 64, by: 2) {
            #expect(store.stored("a\(index)", input: "in\(index)")?.data?.concepts.map(\.id) == ["c", "p\(index)"])
        }
        #expect(store.count(app: Fixture.app) == 32 + 64)
    }
}
