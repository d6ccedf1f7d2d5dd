import CrawlerArchive
import CrawlerCore
import CrawlerFetch
import CrawlerGraph
import CrawlerParse
import Foundation

/// Fetch → parse → store, driven by a scheduler of per-host queues, with bounded work in flight
/// so memory stays flat however large the crawl.
///
/// **Scheduling.** The frontier lives in the store; the pipeline keeps a window of it in memory
/// (`HostQueues`: a queue per host, hosts taking turns) and starts a fetch only when its host
/// can take it now: a free slot (`--per-host`), its delay, Crawl-delay or back-off over, its
/// robots.txt known. A host that must wait is set aside and another host's URL goes instead,
/// so no in-flight slot is ever spent waiting for a host's turn. `inFlightLimit` counts
/// running transfers (and robots.txt fetches); parsing is bounded separately.
///
/// **Depths.** Each host's URLs are claimed breadth-first, hosts with the shallowest queued URL
/// first, and there is no barrier between depth levels. The store keeps depths exact anyway
/// (depth relaxation, see `GraphStore.commit`): when all is done every page is stored at its
/// true breadth-first distance from the seeds, and a `--max-depth` crawl holds the same pages
/// whatever the concurrency model and the order pages finish in.
///
/// **Sitemaps.** The `Sitemap:` lines of each robots.txt the crawl reads are seeds (depth 0,
/// within the crawl's scope); a 2xx body that is a sitemap (`SitemapReader`) is read on a
/// thread of its own, and its entries are links of kind `sitemap`, admitted like any link.
public struct CrawlPipeline: Sendable {
    /// Pages handed to the store in one transaction.
    public static let defaultCommitBatch = 64

    private let fetcher: any PageFetcher
    private let parser: any PageParser
    private let store: any CrawlStore
    private let policy: FrontierPolicy
    private let seeds: [NormalizedURL]
    private let inFlightLimit: Int
    private let perHost: Int
    private let commitBatch: Int
    private let archive: WARCArchive?

    /// A pipeline over these stages. `inFlightLimit` bounds running transfers (the fetch
    /// concurrency); `perHost` is the politeness limit per host, which sizes each host's window.
    public init(fetcher: any PageFetcher, parser: any PageParser, store: any CrawlStore, policy: FrontierPolicy, seeds: [NormalizedURL], inFlightLimit: Int, perHost: Int = 2, commitBatch: Int = CrawlPipeline.defaultCommitBatch, archive: WARCArchive? = nil) {
        self.fetcher = fetcher
        self.parser = parser
        self.store = store
        self.policy = policy
        self.seeds = seeds
        self.inFlightLimit = max(1, inFlightLimit)
        self.perHost = max(1, perHost)
        self.commitBatch = max(1, commitBatch)
        self.archive = archive
    }

    /// What finishes in the pipeline's task group.
    private enum Event: Sendable {
        case fetched(FrontierEntry, Result<FetchResponse, FetchError>, timings: PageTimings)
        case parsed(CrawledPage)
        /// A page went to the archive: committed if its records were written (`written`);
        /// if the archive stopped (a full disk), kept claimed for a resume, and the crawl stops.
        case archived(CrawledPage, written: Bool)
        /// A robots.txt is known; `seeded` sitemaps it lists were seeded.
        case robotsKnown(seeded: Int)
        case claimed([String: [FrontierEntry]], asked: [String: Int], discovering: Int, commitsBefore: Int)
        case recounted(Int, commitsBefore: Int)
        case committed(CommitSummary, seconds: Double)
        case timer
        /// A shared store's answer to "is there work anywhere in the fleet?" (nil: not asked, cancelled).
        case fleetChecked(FleetWork?)
    }

    /// Crawls until the frontier is empty, `--max-pages` is reached, the task is cancelled, or
    /// the archive stops on a write error. On cancellation or an archive stop, finished pages are
    /// committed (those the archive could not take are not), claimed URLs not started go back to
    /// the queue, pages still in flight stay claimed (a resume puts them back in the queue), and
    /// `CrawlInterrupted` is thrown. `progress`, when given, is called as pages finish (at most
    /// every 100 ms, and once at the end); `failure` for each page that failed or was skipped.
    public func run(progress: (@Sendable (CrawlProgress) -> Void)? = nil, failure: (@Sendable (PageFailure) -> Void)? = nil) async throws -> CrawlSummary {
        let clock = ContinuousClock()
        let start = clock.now
        try await store.seed(seeds)
        var tally = CrawlTally()
        tally.requeued = try await store.requeueInFlight()
        var pagesPerHost = try await store.storedPagesPerHost()
        var pagesThisAndEarlierRuns = pagesPerHost.values.reduce(0, +)
        let maxPages = policy.options.maxPages ?? Int.max
        let maxPerHost = policy.options.maxPagesPerHost
        var queuedInStore = try await store.queuedCount()
        let cpuAtStart = StageCPU(parser: parser)
        // When each URL in the window was claimed, for the time it waited there.
        var claimedAt: [NormalizedURL: ContinuousClock.Instant] = [:]

        // Each host's window holds enough for its slots twice over; the hosts in memory are
        // enough to fill every transfer slot even when most hosts wait on politeness.
        var queues = HostQueues(perHostWindow: min(64, max(4, 2 * perHost)), maxHosts: max(64, 4 * inFlightLimit))
        var fetching = 0, parsing = 0, robotsFetches = 0, archiving = 0
        var claimInFlight = false, commitInFlight = false, timerDeadline: ContinuousClock.Instant?
        // The store may hold queued URLs of hosts not in memory: at the start, and whenever a
        // commit queues URLs for such a host; cleared when a discovery finds no new host.
        var mayDiscover = true
        // Commits finished so far: an empty claim proves nothing about a commit that finished
        // after the claim was asked for (the claim may have run before it).
        var commitsFinished = 0
        var batch: [CrawledPage] = []
        var stopping = false  // --max-pages reached, cancelled, or the archive stopped: start nothing new
        var archiveFailed = false
        var lastProgress = clock.now
        // A shared store (a fleet): other processes queue work this one learns of only by asking.
        let shared = store.isShared
        var fleetCheckInFlight = false, fleetDone = false
        var fleetPollDelay = Duration.zero
        var nextSharedDiscovery = clock.now

        try await withThrowingTaskGroup(of: Event.self) { group in
            func report(force: Bool = false) {
                guard let progress else { return }
                let now = clock.now
                guard force || now - lastProgress >= .milliseconds(100) else { return }
                lastProgress = now
                progress(CrawlProgress(
                    pagesDone: tally.pagesDone, queued: queuedInStore + queues.windowCount, inFlight: fetching + robotsFetches,
                    parsing: parsing, archiving: archiving, hostsActive: queues.hostCount, hostsWaiting: queues.timedCount + queues.blockedCount,
                    errors: tally.errors, elapsedSeconds: (now - start).seconds))
            }

            func startCommit() {
                guard !commitInFlight, !batch.isEmpty else { return }
                let pages = batch
                batch.removeAll(keepingCapacity: true)
                commitInFlight = true
                let rules = policy.storeRules
                group.addTask { [store] in
                    let commitStart = ContinuousClock.now
                    let summary = try await store.commit(pages, rules: rules)
                    return .committed(summary, seconds: (ContinuousClock.now - commitStart).seconds)
                }
            }

            func finish(_ page: CrawledPage) {
                var page = page
                page.exchanges = []  // archived already; the store keeps no body
                if case .failed(.cancelled) = page.outcome {
                    tally.cancelled += 1  // stays claimed; a resume fetches it again
                    return
                }
                tally.record(page)
                if let failure, let failed = PageFailure(page) { failure(failed) }
                batch.append(page)
                if batch.count >= commitBatch { startCommit() }
            }

            /// A page with exchanges to archive is committed only once its records are written
            /// (in a task of its own, so the loop goes on meanwhile): a crawl killed after the
            /// commit finds the page in its archive.
            func archiveThenFinish(_ page: CrawledPage) {
                guard archive != nil, !page.exchanges.isEmpty else { return finish(page) }
                archiving += 1
                group.addTask {
                    .archived(page, written: await self.archive(page))
                }
            }

            func startClaim() {
                guard !claimInFlight, !stopping else { return }
                let (wanted, discover) = queues.refills()
                if shared, !mayDiscover, clock.now >= nextSharedDiscovery {
                    mayDiscover = true  // another process may have queued work for hosts not held here
                    nextSharedDiscovery = clock.now + .seconds(1)
                }
                let discovering = (shared || queuedInStore > 0) && mayDiscover ? discover : 0
                guard !wanted.isEmpty || discovering > 0 else { return }
                claimInFlight = true
                // A commit still running may reach the writer after this claim: then the claim
                // proves nothing (-1 never matches).
                let perHostWindow = queues.perHostWindow, commitsBefore = commitInFlight ? -1 : commitsFinished
                // Hosts in memory are refilled by name only: found again by discovery, a host's
                // window would grow past its bound.
                let known = discovering > 0 ? queues.hostNames : []
                group.addTask { [store] in
                    .claimed(
                        try await store.claim(hosts: wanted, discover: discovering, perHost: perHostWindow, known: known),
                        asked: wanted, discovering: discovering, commitsBefore: commitsBefore)
                }
            }

            func dispatch() {
                let now = clock.now
                while !stopping, fetching + robotsFetches < inFlightLimit, parsing + archiving < inFlightLimit,
                    let candidate = queues.next(now: now)
                {
                    let host = candidate.host, entry = candidate.entry
                    if pagesThisAndEarlierRuns >= maxPages {
                        stopping = true  // the URL stays in the window, handed back below
                        break
                    }
                    if pagesPerHost[host, default: 0] >= maxPerHost {
                        queues.started(host: host)
                        finish(CrawledPage(url: entry.url, depth: entry.depth, outcome: .skipped(reason: "host-page-cap")))
                        continue
                    }
                    switch fetcher.admission(for: entry.url) {
                    case .start(let slot):
                        queues.started(host: host)
                        let window = claimedAt.removeValue(forKey: entry.url).map { (now - $0).seconds } ?? 0
                        pagesPerHost[host, default: 0] += 1
                        pagesThisAndEarlierRuns += 1
                        fetching += 1
                        group.addTask { [fetcher] in
                            let fetchStart = ContinuousClock.now
                            let result = await fetcher.fetch(entry.url, holding: slot)
                            var timings = PageTimings(fetch: (ContinuousClock.now - fetchStart).seconds)
                            timings.window = window
                            switch result {
                            case .success(let response): timings.network = min(response.timings.total, timings.fetch)
                            case .failure(.disallowedByRobots), .failure(.cancelled): break
                            case .failure: timings.network = timings.fetch  // refused, timed out: waiting on the network
                            }
                            return .fetched(entry, result, timings: timings)
                        }
                    case .notBefore(let instant):
                        queues.wait(host: host, until: instant)
                    case .full, .robotsPending:
                        queues.block(host: host)
                    case .fetchRobots:
                        queues.block(host: host)
                        robotsFetches += 1
                        group.addTask { [fetcher, store, policy] in
                            // The sitemaps robots.txt lists are seeds of its host, if in scope;
                            // seeded before the host's requests start, so none is lost to a stop.
                            let sitemaps = await fetcher.fetchRobots(for: entry.url).filter { policy.rejectionIgnoringDepth(of: $0) == nil }
                            if sitemaps.isEmpty || Task.isCancelled { return .robotsKnown(seeded: 0) }
                            try await store.seed(sitemaps)
                            return .robotsKnown(seeded: sitemaps.count)
                        }
                    }
                }
                if !stopping, fetching + robotsFetches < inFlightLimit, let earliest = queues.earliestTimed,
                    timerDeadline.map({ earliest < $0 }) ?? true
                {
                    timerDeadline = earliest
                    group.addTask {
                        try? await Task.sleep(until: earliest, clock: ContinuousClock())
                        return .timer
                    }
                }
            }

            do {
                while true {
                    if Task.isCancelled { stopping = true }
                    dispatch()
                    startClaim()
                    // Group commit while every slot is busy or a claim is on its way to fill them;
                    // when slots are free and the store has nothing to claim for them, commit at
                    // once: the batch's links may be the very work the free slots wait for.
                    if !batch.isEmpty, batch.count >= commitBatch || (fetching + robotsFetches < inFlightLimit && !claimInFlight) { startCommit() }
                    if fetching + parsing + archiving + robotsFetches == 0, !claimInFlight, !commitInFlight {
                        if !batch.isEmpty {
                            startCommit()
                        } else if stopping || fleetDone {
                            break
                        } else if shared, queues.windowCount == 0 {
                            // Nothing held here: ask the fleet whether work remains anywhere, at
                            // once the first time, then less and less often (see `FleetPolling`).
                            if !fleetCheckInFlight {
                                fleetCheckInFlight = true
                                let delay = fleetPollDelay
                                fleetPollDelay = FleetPolling.delay(after: delay)
                                group.addTask { [store] in
                                    if delay > .zero { try? await Task.sleep(for: delay) }
                                    if Task.isCancelled { return .fleetChecked(nil) }
                                    return .fleetChecked(try await store.fleetWork())
                                }
                            }
                        } else if queues.windowCount == 0 && queuedInStore <= 0 {
                            break
                        } else if timerDeadline == nil {
                            // Nothing runs, so nothing holds a slot or fetches a robots.txt: a host
                            // still blocked is asked again rather than left waiting for nobody.
                            if queues.blockedCount > 0 {
                                queues.requestFinished()
                                continue
                            }
                            // The count says work remains: look for hosts once more before stopping
                            // (an empty look recounts the queue from the store).
                            guard queuedInStore > 0, !mayDiscover else { break }
                            mayDiscover = true
                            continue
                        }
                    }
                    guard let event = try await group.next() else { break }
                    switch event {
                    case .fetched(let entry, let result, let timings):
                        fetching -= 1
                        queues.requestFinished()
                        switch BodyRoute(result) {
                        case .html(let response):
                            parsing += 1
                            // On the parse engine's executor if it has one: the parse and the
                            // admission of its links run there, without a thread switch.
                            group.addTask(executorPreference: parser.preferredTaskExecutor) {
                                .parsed(await self.parse(entry, response, timings: timings))
                            }
                        case .sitemap(let response):
                            parsing += 1
                            group.addTask { .parsed(await self.readSitemap(entry, response, timings: timings)) }
                        case .store:
                            archiveThenFinish(self.page(entry, result, timings: timings))
                        }
                    case .parsed(let page):
                        parsing -= 1
                        archiveThenFinish(page)
                    case .archived(let page, let written):
                        archiving -= 1
                        if written {
                            finish(page)
                        } else {
                            // Storing a page its archive lacks would lose it for good (a resume
                            // fetches only what is not stored): it stays claimed, and the crawl
                            // stops for the archive as for a full database.
                            archiveFailed = true
                            stopping = true
                            tally.cancelled += 1
                        }
                    case .robotsKnown(let seeded):
                        robotsFetches -= 1
                        queues.requestFinished()
                        if seeded > 0 {
                            // At most this many are new (a known URL is left as it is): the count
                            // may be high for a while, and an empty claim recounts it.
                            queuedInStore += seeded
                            mayDiscover = true
                        }
                    case .claimed(let claimed, let asked, let discovering, let commitsBefore):
                        claimInFlight = false
                        let current = commitsBefore == commitsFinished
                        if discovering > 0, current, claimed.keys.allSatisfy({ asked[$0] != nil }) { mayDiscover = false }
                        // The count in memory says there is work, yet nothing is held and no other
                        // host has any: it can only be off if the file was edited meanwhile. Count
                        // again rather than claim in vain forever.
                        if !claimed.isEmpty { fleetPollDelay = .zero }
                        if !shared, claimed.isEmpty, discovering > 0, current, queues.windowCount == 0, asked.isEmpty {
                            claimInFlight = true
                            group.addTask { [store] in .recounted(try await store.queuedCount(), commitsBefore: commitsBefore) }
                        }
                        let now = clock.now
                        for (host, entries) in claimed {
                            queuedInStore -= entries.count
                            for entry in entries { claimedAt[entry.url] = now }
                            queues.add(entries, host: host, asked: asked[host] ?? queues.perHostWindow)
                        }
                        for host in asked.keys where claimed[host] == nil { queues.refillFailed(host: host, exhausted: current) }
                    case .recounted(let queued, let commitsBefore):
                        claimInFlight = false
                        if commitsBefore == commitsFinished, !commitInFlight { queuedInStore = queued }
                    case .committed(let summary, let seconds):
                        commitInFlight = false
                        commitsFinished += 1
                        tally.storeSeconds += seconds
                        tally.accounting.storeCPU += summary.writerCPUSeconds
                        queuedInStore += summary.newlyQueued
                        queues.storeQueued(hosts: summary.queuedHosts)
                        if !summary.queuedHosts.isSubset(of: queues.hostNames) { mayDiscover = true }
                    case .timer:
                        if let deadline = timerDeadline, deadline <= clock.now { timerDeadline = nil }
                    case .fleetChecked(let answer):
                        fleetCheckInFlight = false
                        guard let work = answer else { break }
                        let idleHere = fetching + parsing + archiving + robotsFetches == 0 && !commitInFlight && batch.isEmpty && queues.windowCount == 0
                        if work.queued == 0, work.inFlightElsewhere == 0, idleHere {
                            fleetDone = true
                        } else {
                            queuedInStore = work.queued
                            mayDiscover = true
                        }
                    }
                    report()
                }
                // URLs claimed but never started go back to the queue (a resume would requeue
                // them anyway, but a later `--resume` should see them queued, not in flight).
                let unstarted = queues.drain()
                tally.accounting.measureCPU(from: cpuAtStart, to: StageCPU(parser: parser))
                if !unstarted.isEmpty { try await store.release(unstarted) }
                report(force: true)
            } catch {
                group.cancelAll()
                while let _ = try? await group.next() {}  // never leave a commit running past the pipeline
                throw error
            }
        }
        tally.accounting.transferSlots = inFlightLimit
        tally.accounting.parsers = parser.parsers
        let summary = tally.summary(elapsed: (clock.now - start).seconds)
        if Task.isCancelled || archiveFailed { throw CrawlInterrupted(summary: summary) }
        return summary
    }

    /// A page whose fetch failed or whose body is not parsed (not 2xx, not HTML).
    private func page(_ entry: FrontierEntry, _ result: Result<FetchResponse, FetchError>, timings: PageTimings) -> CrawledPage {
        switch result {
        case .failure(let error):
            return CrawledPage(url: entry.url, depth: entry.depth, outcome: .failed(error), timings: timings)
        case .success(let response):
            var fetched = FetchedPage(response)
            var admitted: [FrontierEntry] = []
            if (300..<400).contains(response.status), let location = response.headers.location,
                let target = response.finalURL.resolve(location), target != response.finalURL
            {
                // A redirect the fetcher did not follow (robots.txt forbids its target): the target is
                // a URL like any link, one hop further, subject to scope and robots.txt in its turn.
                fetched.redirectTarget = target
                if policy.rejectionIgnoringDepth(of: target) == nil { admitted.append(FrontierEntry(url: target, depth: entry.depth + 1)) }
            }
            var page = CrawledPage(url: entry.url, depth: entry.depth, outcome: .fetched(fetched), redirects: response.redirects, admitted: admitted, timings: timings)
            page.exchanges = response.exchanges
            return page
        }
    }

    /// Hands a fetched page's wire exchanges and outlinks to the archive, if the crawl keeps
    /// one, and waits until they are written. False when the archive stopped before them.
    private func archive(_ page: CrawledPage) async -> Bool {
        guard let archive, !page.exchanges.isEmpty else { return true }
        let outlinks = page.links.map { ArchivedPage.Outlink(target: $0.target.string, kind: $0.kind.rawValue) }
        return await archive.add(ArchivedPage(exchanges: page.exchanges, outlinks: outlinks))
    }

    /// Parses a 2xx HTML page and decides which links it admits.
    private func parse(_ entry: FrontierEntry, _ response: FetchResponse, timings: PageTimings) async -> CrawledPage {
        let clock = ContinuousClock()
        var timings = timings
        var fetched = FetchedPage(response)
        let parseStart = clock.now
        let onCallersThread = parser.parsesOnCallersThread
        let cpuStart = onCallersThread ? CPUTime.currentThread() : 0
        let parsed = await parser.parse(response)
        if onCallersThread { timings.parseCPU = CPUTime.currentThread() - cpuStart }
        timings.parse = (clock.now - parseStart).seconds
        var links: [Link] = []
        var admitted: [FrontierEntry] = []
        switch parsed {
        case .success(let page):
            fetched.parsed = page
            links = page.links
            admitted = admit(page, depth: entry.depth + 1)
        case .failure(let error):
            fetched.parseError = error
        }
        var page = CrawledPage(url: entry.url, depth: entry.depth, outcome: .fetched(fetched), redirects: response.redirects, links: links, admitted: admitted, timings: timings)
        page.exchanges = response.exchanges
        return page
    }

    /// Reads a 2xx body that may be a sitemap (off the cooperative pool) and admits its entries
    /// like the links of a page. Not a sitemap after all (another XML document): stored as it is,
    /// without links. A sitemap that broke a limit or is malformed keeps what was read, and its
    /// page records the problem (a `PageFailure` the log and the summary count).
    private func readSitemap(_ entry: FrontierEntry, _ response: FetchResponse, timings: PageTimings) async -> CrawledPage {
        let clock = ContinuousClock()
        var timings = timings
        var fetched = FetchedPage(response)
        let start = clock.now
        let (read, cpuSeconds) = await SitemapReader.readOffPool(response.body, url: response.finalURL)
        timings.parse = (clock.now - start).seconds
        timings.parseCPU = cpuSeconds
        guard let document = read else {
            var page = CrawledPage(url: entry.url, depth: entry.depth, outcome: .fetched(fetched), redirects: response.redirects, timings: timings)
            page.exchanges = response.exchanges
            return page
        }
        let parsed = ParsedPage(url: response.finalURL, links: document.links)
        fetched.parsed = parsed
        fetched.parseError = document.problem
        var page = CrawledPage(
            url: entry.url, depth: entry.depth, outcome: .fetched(fetched), redirects: response.redirects,
            links: document.links, admitted: admit(parsed, depth: entry.depth + 1), timings: timings)
        page.exchanges = response.exchanges  // archived like any page
        return page
    }

    /// The distinct link targets the policy lets into the frontier. Depth is the store's to
    /// judge (it parks URLs beyond `--max-depth` until a shorter path turns up); a target is
    /// followable when any of its links on the page is, as the store's merged link says. Links
    /// of a role the crawl does not follow (resources, alternates, without `--follow-resources`)
    /// are stored but never queue their target.
    private func admit(_ page: ParsedPage, depth: Int) -> [FrontierEntry] {
        let pageNofollow = page.robots.nofollow
        let followResources = policy.options.followResources
        var followable: [NormalizedURL: Bool] = [:]
        var order: [NormalizedURL] = []
        for link in page.links where link.role.isFollowed(followResources: followResources) {
            let linkFollowable = !(link.nofollow || pageNofollow)
            if let known = followable[link.target] {
                if !known, linkFollowable { followable[link.target] = true }
            } else {
                followable[link.target] = linkFollowable
                order.append(link.target)
            }
        }
        var admitted: [FrontierEntry] = []
        for target in order where policy.rejectionIgnoringDepth(of: target, nofollow: !followable[target]!) == nil {
            admitted.append(FrontierEntry(url: target, depth: depth))
        }
        return admitted
    }
}

/// Thrown by `CrawlPipeline.run` when the crawl was cancelled (Ctrl-C) or its archive stopped on
/// a write error; carries what was done.
public struct CrawlInterrupted: Error, Sendable {
    /// Totals up to the interruption.
    public var summary: CrawlSummary
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    package var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
