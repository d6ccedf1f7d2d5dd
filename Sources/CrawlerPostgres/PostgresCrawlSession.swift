import Crawler
import CrawlerCore
import CrawlerFetch
import CrawlerGraph
import CrawlerParse
import Foundation

/// One node's crawl into a PostgreSQL database: the first `crawler crawl SEEDS --db
/// postgres://…` seeds the crawl and starts crawling; `--join` runs another node on the same
/// crawl, with the scope and limits stored by the first. Every node renews its heartbeat and
/// leases every `leaseSeconds / 3`, and on the way reaps nodes that stopped renewing.
public struct PostgresCrawlSession: Sendable {
    public var location: PostgresLocation
    /// Join the crawl already in the database instead of starting one.
    public var join: Bool
    /// The crawl's settings; with `join`, seeds and scope come from the database.
    public var settings: CrawlSettings
    /// How long a host lease lasts without renewal (what a dead node costs the fleet).
    public var leaseSeconds: Double
    /// With `join`: how long to wait for a node to start the crawl.
    public var joinWaitSeconds: Double
    /// The executable that runs parse workers; nil: this process's own.
    public var workerExecutable: URL?
    /// Told each requested setting a join ignores.
    public var notice: (@Sendable (String) -> Void)?

    public init(
        location: PostgresLocation, join: Bool, settings: CrawlSettings, leaseSeconds: Double = 30, joinWaitSeconds: Double = 60,
        workerExecutable: URL? = nil, notice: (@Sendable (String) -> Void)? = nil
    ) {
        self.location = location
        self.join = join
        self.settings = settings
        self.leaseSeconds = leaseSeconds
        self.joinWaitSeconds = joinWaitSeconds
        self.workerExecutable = workerExecutable
        self.notice = notice
    }

    /// Runs this node until the fleet's crawl is done (no URL queued and none in flight on a
    /// live node), `--max-pages` is reached, or it is cancelled; on the way out it hands its
    /// unfinished URLs and its leases back, so the other nodes carry on.
    public func run(progress: (@Sendable (CrawlProgress) -> Void)? = nil, failure: (@Sendable (PageFailure) -> Void)? = nil) async throws -> CrawlSession.Result {
        let store = try await PostgresGraphStore.open(location)
        do {
            let result = try await crawl(store, progress: progress, failure: failure)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    /// The crawl's runs once a node has started it and seeded its frontier, waiting up to
    /// `joinWaitSeconds` for that: a fleet started all at once (a script, a scheduler) has its
    /// joining nodes wait for the first. A node that joined before the seeds were queued would
    /// find no work anywhere and leave at once. After the wait, whatever runs there are.
    private func seededCrawl(_ store: PostgresGraphStore) async throws -> [CrawlRun] {
        let deadline = ContinuousClock.now + .seconds(joinWaitSeconds)
        var told = false
        while true {
            let runs = try await store.runs()
            if !runs.isEmpty, try await store.hasFrontier() { return runs }
            if ContinuousClock.now >= deadline { return runs }
            if !told {
                notice?("waiting up to \(Int(joinWaitSeconds)) s (--join-wait) for a node to start the crawl at \(location)")
                told = true
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    private func crawl(_ store: PostgresGraphStore, progress: (@Sendable (CrawlProgress) -> Void)?, failure: (@Sendable (PageFailure) -> Void)?) async throws -> CrawlSession.Result {
        let earlierRuns = join ? try await seededCrawl(store) : try await store.runs()
        var settings = settings
        if join {
            guard let latest = earlierRuns.last, let stored = try? JSONDecoder().decode(CrawlSettings.self, from: Data(latest.settingsJSON.utf8)) else {
                throw PostgresStoreError.nothingToJoin(location.description, waitedSeconds: joinWaitSeconds)
            }
            let merged = ResumeSettings(stored: stored, requested: settings)
            for ignored in merged.ignored { notice?("--join ignores \(ignored): the fleet crawls with the settings it started with") }
            settings = merged.settings
        } else {
            let pages = try await store.pageCount()
            if !earlierRuns.isEmpty || pages > 0 { throw PostgresStoreError.alreadyCrawled(location.description) }
        }
        let policy = try FrontierPolicy(options: settings.frontier, seeds: settings.seeds)
        let node = try await store.join(name: "\(ProcessInfo.processInfo.hostName):\(getpid())")
        let run: CrawlRunID
        do {
            run = try await store.beginRun(settings: settings, node: node, fetchModel: settings.fetch.model, parseModel: settings.parse.model, first: !join)
        } catch {
            await leave(store, node, handoverSeconds: settings.fetch.perHostDelaySeconds)
            throw error
        }
        let crawlStore = PostgresCrawlStore(
            store: store, node: node, run: run, leaseSeconds: leaseSeconds, handoverSeconds: settings.fetch.perHostDelaySeconds)
        let outcome: PipelineRun.Outcome
        do {
            outcome = try await withThrowingTaskGroup(of: PipelineRun.Outcome?.self) { [settings, workerExecutable] group in
                group.addTask {
                    try await PipelineRun.run(
                        settings: settings, policy: policy, seeds: join ? [] : settings.seeds, workerExecutable: workerExecutable,
                        progress: progress, failure: failure, store: { crawlStore })
                }
                // Ends only by throwing: the node stops when it cannot keep its leases.
                group.addTask {
                    try await keepAlive(store, node, handoverSeconds: settings.fetch.perHostDelaySeconds)
                    return nil
                }
                while let finished = try await group.next() {
                    guard let outcome = finished else { continue }
                    group.cancelAll()
                    return outcome
                }
                throw CancellationError()
            }
        } catch {
            await leave(store, node, handoverSeconds: settings.fetch.perHostDelaySeconds)
            do { try await store.endRun(run, outcome: .failed) } catch { notice?("could not record the run's end: \(error)") }
            throw error
        }
        // Runs after a Ctrl-C too: the unfinished URLs go back for the other nodes.
        try await Task.detached { [settings] in try await store.leave(node, handoverSeconds: settings.fetch.perHostDelaySeconds) }.value
        let queued = try await Task.detached { try await store.frontierCounts().queued }.value
        try await Task.detached { try await store.endRun(run, outcome: outcome.interrupted || queued > 0 ? .stopped : .completed) }.value
        return CrawlSession.Result(summary: outcome.summary, settings: settings, interrupted: outcome.interrupted, queued: queued)
    }

    /// Renews the node's heartbeat and leases every third of the lease time, and reaps nodes
    /// that stopped renewing theirs. A failed renewal is reported. Throws `leasesLapsing`, so
    /// that the node stops before two nodes can fetch one host, when:
    /// - no renewal has succeeded for two thirds of the lease time;
    /// - the node itself stalled (paused, starved) for a whole lease: its leases may have
    ///   lapsed and been taken;
    /// - the fleet declared it gone (its URLs went back to the queue).
    /// Returns only when cancelled.
    private func keepAlive(_ store: PostgresGraphStore, _ node: NodeID, handoverSeconds: Double) async throws {
        var renewed = ContinuousClock.now
        func silence() -> Double { (ContinuousClock.now - renewed).seconds }
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .seconds(leaseSeconds / 3))
            } catch {
                return
            }
            if silence() >= leaseSeconds {
                throw PostgresStoreError.leasesLapsing(location: location.description, seconds: silence(), why: "this process stalled longer than its lease")
            }
            let alive: Bool
            do {
                alive = try await store.heartbeat(node, leaseSeconds: leaseSeconds)
            } catch {
                if Task.isCancelled { return }
                notice?("could not renew this node's leases (\(error)); last renewed \(Int(silence())) s ago")
                if silence() >= leaseSeconds * 2 / 3 {
                    throw PostgresStoreError.leasesLapsing(location: location.description, seconds: silence(), why: "\(error)")
                }
                continue
            }
            guard alive else {
                throw PostgresStoreError.leasesLapsing(location: location.description, seconds: silence(), why: "the fleet declared this node gone")
            }
            renewed = .now
            do {
                try await store.reapDeadNodes(leaseSeconds: leaseSeconds, handoverSeconds: handoverSeconds)
            } catch {
                if Task.isCancelled { return }
                notice?("could not look for nodes that stopped (\(error)); the next heartbeat tries again")
            }
        }
    }

    /// Hands the node's unfinished URLs and leases back on a failed run; a failure to do so is
    /// reported (the leases then lapse on their own).
    private func leave(_ store: PostgresGraphStore, _ node: NodeID, handoverSeconds: Double) async {
        do {
            try await store.leave(node, handoverSeconds: handoverSeconds)
        } catch {
            notice?("could not hand this node's work back (\(error)); its leases lapse in \(Int(leaseSeconds)) s and the other nodes take it over")
        }
    }
}
