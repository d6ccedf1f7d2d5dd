import CrawlerCore
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
            return .success(FetchResponse(requestedURL: url, finalURL: target, redirectChain: [url], status: 200, headers: ResponseHeaders(contentType: "text/html"), body: Array(target.string.utf8)))
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

/// The frontier and graph in memory, with the same contract as the SQLite store.
actor InMemoryCrawlStore: CrawlStore {
    enum State { case queued, inFlight, done }
    var frontier: [NormalizedURL: (depth: Int, state: State)] = [:]
    var order: [NormalizedURL] = []
    var stored: [NormalizedURL: CrawledPage] = [:]
    var storedTwice: [NormalizedURL] = []

    func seed(_ urls: [NormalizedURL]) {
        for url in urls where frontier[url] == nil {
            frontier[url] = (0, .queued)
            order.append(url)
        }
    }

    func requeueInFlight() -> Int {
        var count = 0
        for (url, entry) in frontier where entry.state == .inFlight {
            frontier[url] = (entry.depth, .queued)
            count += 1
        }
        return count
    }

    func lowestPendingDepth() -> Int? {
        frontier.values.filter { $0.state != .done }.map(\.depth).min()
    }

    func claim(limit: Int, depth: Int) -> [FrontierEntry] {
        var claimed: [FrontierEntry] = []
        for url in order where claimed.count < limit {
            guard let entry = frontier[url], entry.state == .queued, entry.depth == depth else { continue }
            frontier[url] = (depth, .inFlight)
            claimed.append(FrontierEntry(url: url, depth: depth))
        }
        return claimed
    }

    func commit(_ pages: [CrawledPage]) {
        for page in pages {
            if stored[page.url] != nil { storedTwice.append(page.url) }
            stored[page.url] = page
            frontier[page.url] = (page.depth, .done)
            if case .fetched(let fetched) = page.outcome, fetched.finalURL != page.url {
                let known = frontier[fetched.finalURL]
                frontier[fetched.finalURL] = (known?.depth ?? page.depth, .done)
                if known == nil { order.append(fetched.finalURL) }
            }
            for entry in page.admitted where frontier[entry.url] == nil {
                frontier[entry.url] = (entry.depth, .queued)
                order.append(entry.url)
            }
        }
    }

    /// How often the pipeline counted the queue.
    var queuedCountCalls = 0

    func queuedCount() -> Int {
        queuedCountCalls += 1
        return frontier.values.filter { $0.state == .queued }.count
    }

    func storedPagesPerHost() -> [String: Int] {
        var counts: [String: Int] = [:]
        for url in stored.keys { counts[url.authority, default: 0] += 1 }
        return counts
    }

    func depths() -> [NormalizedURL: Int] { stored.mapValues(\.depth) }
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
