import CrawlerCore
import CrawlerGraph
import Foundation
import Synchronization
@testable import Crawler

/// A tiny web held in memory: page → links. Fetches wait a random few milliseconds so pages
/// finish out of order, as they do on a real network.
struct FakeWeb: PageFetcher, PageParser {
    let pages: [NormalizedURL: [NormalizedURL]]
    var redirects: [NormalizedURL: NormalizedURL] = [:]
    var maxDelayMicroseconds: UInt64 = 2000

    static func url(_ path: String, host: Int = 2) -> NormalizedURL { NormalizedURL("http://127.0.0.\(host):8080\(path)")! }

    func fetch(_ url: NormalizedURL) async -> Result<FetchResponse, FetchError> {
        do {
            try await Task.sleep(nanoseconds: UInt64.random(in: 0...maxDelayMicroseconds) * 1000)
        } catch {
            return .failure(.cancelled(url: url.string))
        }
        if let target = redirects[url] {
            return .success(FetchResponse(requestedURL: url, finalURL: target, redirects: [RedirectHop(url: url, status: 301)], status: 200, headers: ResponseHeaders(contentType: "text/html"), body: Array(target.string.utf8)))
        }
        guard pages[url] != nil else {
            return .success(FetchResponse(requestedURL: url, finalURL: url, status: 404, headers: ResponseHeaders(contentType: "text/html")))
        }
        return .success(FetchResponse(requestedURL: url, finalURL: url, status: 200, headers: ResponseHeaders(contentType: "text/html"), body: Array(url.string.utf8)))
    }

    func parse(_ response: FetchResponse) async -> Result<ParsedPage, ParseError> {
        let links = (pages[response.finalURL] ?? []).map { Link(target: $0, kind: .a) }
        return .success(ParsedPage(url: response.finalURL, links: links))
    }

    func shutdown() async {}
}

/// The real SQLite store on a temporary file, recording what the pipeline hands it: every
/// committed page (and any committed twice) and how often the queue was counted.
actor RecordingStore: CrawlStore {
    let graph: GraphStore
    let sqlite: SQLiteCrawlStore
    var stored: [NormalizedURL: CrawledPage] = [:]
    var storedTwice: [NormalizedURL] = []
    var queuedCountCalls = 0
    /// Commits that succeed before every later one throws `DiskFull` (nil: no limit).
    var commitsLeft: Int?

    struct DiskFull: Error {}

    init(commitsBeforeFull: Int? = nil) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString).sqlite").path
        graph = try GraphStore(path: path)
        sqlite = SQLiteCrawlStore(store: graph, run: nil)
        commitsLeft = commitsBeforeFull
    }

    func seed(_ urls: [NormalizedURL]) async throws { try await sqlite.seed(urls) }
    func requeueInFlight() async throws -> Int { try await sqlite.requeueInFlight() }
    func claim(hosts: [String: Int], discover: Int, perHost: Int, known: Set<String>) async throws -> [String: [FrontierEntry]] {
        try await sqlite.claim(hosts: hosts, discover: discover, perHost: perHost, known: known)
    }
    func release(_ entries: [FrontierEntry]) async throws { try await sqlite.release(entries) }
    func storedPagesPerHost() async throws -> [String: Int] { try await sqlite.storedPagesPerHost() }

    func queuedCount() async throws -> Int {
        queuedCountCalls += 1
        return try await sqlite.queuedCount()
    }

    func commit(_ pages: [CrawledPage], rules: FrontierRules) async throws -> CommitSummary {
        if let left = commitsLeft {
            guard left > 0 else { throw DiskFull() }
            commitsLeft = left - 1
        }
        let summary = try await sqlite.commit(pages, rules: rules)
        for page in pages {
            if stored[page.url] != nil { storedTwice.append(page.url) }
            stored[page.url] = page
        }
        return summary
    }

    /// The depth of every page row in the file, as the store keeps it (after relaxation).
    func depths() throws -> [NormalizedURL: Int] {
        Dictionary(uniqueKeysWithValues: try graph.storedPages().map { (NormalizedURL($0.url)!, $0.depth) })
    }
}

/// A task executor that runs its jobs on Dispatch's threads, marking the thread while a job
/// runs, so a parser can tell whether it was called from a task that prefers it.
final class MarkingExecutor: TaskExecutor, Sendable {
    private let key: pthread_key_t
    /// `parse` calls made on this executor's threads, and elsewhere.
    let parsesHere = Atomic<Int>(0)
    let parsesElsewhere = Atomic<Int>(0)

    init() {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0)
        self.key = key
    }

    deinit { pthread_key_delete(key) }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        DispatchQueue.global().async {
            pthread_setspecific(self.key, UnsafeRawPointer(bitPattern: 1))
            job.runSynchronously(on: self.asUnownedTaskExecutor())
            pthread_setspecific(self.key, nil)
        }
    }

    /// Counts a `parse` call by where it runs.
    func recordParse() {
        if pthread_getspecific(key) != nil {
            parsesHere.add(1, ordering: .relaxed)
        } else {
            parsesElsewhere.add(1, ordering: .relaxed)
        }
    }
}

/// `FakeWeb`'s parser with a preferred task executor.
struct ExecutorPreferringParser: PageParser {
    let web: FakeWeb
    let executor: MarkingExecutor

    var preferredTaskExecutor: (any TaskExecutor)? { executor }

    func parse(_ response: FetchResponse) async -> Result<ParsedPage, ParseError> {
        executor.recordParse()
        return await web.parse(response)
    }

    func shutdown() async {}
}
