import CrawlerCore
import Foundation

/// Fetch → parse → store, with bounded work in flight so memory stays flat however large the
/// crawl. The frontier lives in the store; the pipeline claims URLs breadth-first, one depth
/// level at a time (a level's pages are all finished and committed before the next level is
/// claimed, so every URL gets its true breadth-first depth whatever the completion order, and
/// a `--max-depth` crawl is the same set of pages under every concurrency model).
public struct CrawlPipeline: Sendable {
    /// Pages handed to the store in one transaction.
    public static let defaultCommitBatch = 64

    private let fetcher: any PageFetcher
    private let parser: any PageParser
    private let store: any CrawlStore
    private let policy: FrontierPolicy
    private let seeds: [NormalizedURL]
    private let inFlightLimit: Int
    private let commitBatch: Int

    /// A pipeline over these stages. `inFlightLimit` bounds pages between claim and commit
    /// (fetching or parsing); it is the fetch concurrency.
    public init(fetcher: any PageFetcher, parser: any PageParser, store: any CrawlStore, policy: FrontierPolicy, seeds: [NormalizedURL], inFlightLimit: Int, commitBatch: Int = CrawlPipeline.defaultCommitBatch) {
        self.fetcher = fetcher
        self.parser = parser
        self.store = store
        self.policy = policy
        self.seeds = seeds
        self.inFlightLimit = max(1, inFlightLimit)
        self.commitBatch = max(1, commitBatch)
    }

    /// Crawls until the frontier is empty, `--max-pages` is reached, or the task is cancelled.
    /// On cancellation, finished pages are committed, pages still in flight stay claimed (a
    /// resume puts them back in the queue), and `CancellationError` is thrown.
    /// `progress`, when given, is called after every page with the running totals; without
    /// it the queue is not counted (a query on the frontier every half second).
    public func run(progress: (@Sendable (CrawlProgress) -> Void)? = nil) async throws -> CrawlSummary {
        let clock = ContinuousClock()
        let start = clock.now
        try await store.seed(seeds)
        var tally = CrawlTally()
        tally.requeued = try await store.requeueInFlight()
        var pagesPerHost = try await store.storedPagesPerHost()
        var pagesThisAndEarlierRuns = pagesPerHost.values.reduce(0, +)
        let maxPages = policy.options.maxPages ?? Int.max
        let maxPerHost = policy.options.maxPagesPerHost

        try await withThrowingTaskGroup(of: CrawledPage.self) { group in
            var inFlight = 0
            var batch: [CrawledPage] = []
            var level = try await store.lowestPendingDepth()
            var queued = progress == nil ? 0 : try await store.queuedCount()
            var queuedCountedAt = clock.now

            // One commit runs in the background while the loop goes on collecting pages; the
            // next commit (and every level change, which needs the frontier complete) waits for it.
            var pendingCommit: Task<Double, any Error>?
            func settle() async throws {
                guard let pending = pendingCommit else { return }
                pendingCommit = nil
                tally.storeSeconds += try await pending.value
            }
            func flush(waiting: Bool) async throws {
                try await settle()
                if !batch.isEmpty {
                    let pages = batch
                    batch.removeAll(keepingCapacity: true)
                    pendingCommit = Task { [store] in
                        let commitStart = ContinuousClock.now
                        try await store.commit(pages)
                        return (ContinuousClock.now - commitStart).seconds
                    }
                }
                if waiting { try await settle() }
            }

            do {
                while true {
                    let cancelled = Task.isCancelled
                    let freeSlots = inFlightLimit - inFlight
                    if !cancelled, let depth = level, pagesThisAndEarlierRuns < maxPages, freeSlots > 0,
                        inFlight == 0 || freeSlots >= max(1, inFlightLimit / 4)
                    {
                        let entries = try await store.claim(limit: min(freeSlots, maxPages - pagesThisAndEarlierRuns), depth: depth)
                        for entry in entries {
                            let host = entry.url.authority
                            if pagesPerHost[host, default: 0] >= maxPerHost {
                                batch.append(CrawledPage(url: entry.url, depth: entry.depth, outcome: .skipped(reason: "host-page-cap")))
                                tally.record(batch[batch.count - 1])
                                continue
                            }
                            pagesPerHost[host, default: 0] += 1
                            pagesThisAndEarlierRuns += 1
                            inFlight += 1
                            // On the parse engine's executor if it has one: the page's task then
                            // gets its parsed page without a thread switch.
                            group.addTask(executorPreference: parser.preferredTaskExecutor) { await self.process(entry) }
                        }
                        if entries.isEmpty, inFlight == 0 {
                            try await flush(waiting: true)
                            let next = try await store.lowestPendingDepth()
                            if next == nil || next == level { break }  // done, or only skipped pages were left
                            level = next
                            continue
                        }
                    }
                    if inFlight == 0 {
                        try await flush(waiting: true)
                        if cancelled || pagesThisAndEarlierRuns >= maxPages || level == nil { break }
                        level = try await store.lowestPendingDepth()
                        if level == nil { break }
                        continue
                    }
                    guard let page = try await group.next() else { break }
                    inFlight -= 1
                    if case .failed(.cancelled) = page.outcome {
                        tally.cancelled += 1  // stays claimed; a resume fetches it again
                    } else {
                        tally.record(page)
                        batch.append(page)
                    }
                    if batch.count >= commitBatch || inFlight == 0 { try await flush(waiting: inFlight == 0) }
                    if let progress {
                        if clock.now - queuedCountedAt > .milliseconds(500) {
                            queued = try await store.queuedCount()
                            queuedCountedAt = clock.now
                        }
                        progress(tally.progress(queued: queued, inFlight: inFlight, elapsed: (clock.now - start).seconds))
                    }
                }
                try await flush(waiting: true)
            } catch {
                _ = try? await pendingCommit?.value  // never leave a commit running past the pipeline
                throw error
            }
        }
        let summary = tally.summary(elapsed: (clock.now - start).seconds)
        if Task.isCancelled { throw CrawlInterrupted(summary: summary) }
        return summary
    }

    /// Fetches one entry, parses it when it is 2xx HTML, and decides which links it admits.
    private func process(_ entry: FrontierEntry) async -> CrawledPage {
        let clock = ContinuousClock()
        let fetchStart = clock.now
        let result = await fetcher.fetch(entry.url)
        var timings = PageTimings(fetch: (clock.now - fetchStart).seconds)
        let response: FetchResponse
        switch result {
        case .failure(let error):
            return CrawledPage(url: entry.url, depth: entry.depth, outcome: .failed(error), timings: timings)
        case .success(let value):
            response = value
        }
        var fetched = FetchedPage(finalURL: response.finalURL, status: response.status, contentType: response.headers.contentType, bytes: response.body.count)
        var links: [Link] = []
        var admitted: [FrontierEntry] = []
        if (300..<400).contains(response.status), let location = response.headers.location,
            let target = response.finalURL.resolve(location), target != response.finalURL
        {
            // A redirect the fetcher did not follow (robots.txt forbids its target): the target is
            // a URL like any link, one hop further, subject to scope and robots.txt in its turn.
            fetched.redirectTarget = target
            if policy.rejection(of: target, depth: entry.depth + 1) == nil { admitted.append(FrontierEntry(url: target, depth: entry.depth + 1)) }
        }
        if (200..<300).contains(response.status) {
            if response.headers.isHTML {
                let parseStart = clock.now
                let parsed = await parser.parse(response)
                timings.parse = (clock.now - parseStart).seconds
                switch parsed {
                case .success(let page):
                    fetched.parsed = page
                    links = page.links
                    admitted = admit(page, depth: entry.depth + 1)
                case .failure(let error):
                    fetched.parseError = error
                }
            }
        }
        return CrawledPage(url: entry.url, depth: entry.depth, outcome: .fetched(fetched), redirectChain: response.redirectChain, redirectStatuses: response.redirectStatuses, links: links, admitted: admitted, timings: timings)
    }

    /// The distinct link targets the policy lets into the frontier.
    private func admit(_ page: ParsedPage, depth: Int) -> [FrontierEntry] {
        var seen = Set<NormalizedURL>()
        var admitted: [FrontierEntry] = []
        for link in page.links where seen.insert(link.target).inserted {
            if policy.rejection(of: link.target, depth: depth, nofollow: link.nofollow || page.robots.nofollow) == nil {
                admitted.append(FrontierEntry(url: link.target, depth: depth))
            }
        }
        return admitted
    }
}

/// Thrown by `CrawlPipeline.run` when the crawl was cancelled (Ctrl-C); carries what was done.
public struct CrawlInterrupted: Error, Sendable {
    /// Totals up to the interruption.
    public var summary: CrawlSummary
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
