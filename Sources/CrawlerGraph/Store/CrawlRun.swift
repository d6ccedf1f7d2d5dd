import CrawlerCore
import Foundation

/// The id of one crawl run in the `runs` table.
public struct CrawlRunID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The row id.
    public let rawValue: Int64

    /// An id read from the database.
    public init(rawValue: Int64) { self.rawValue = rawValue }

    public var description: String { String(rawValue) }
}

/// How a crawl run ended.
public enum CrawlOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// The frontier ran empty.
    case completed
    /// A limit (`--max-pages`) or the user (Ctrl-C) stopped it; `--resume` continues it.
    case stopped
    /// An error stopped it (disk full, …); `--resume` continues it once the cause is fixed.
    case failed
    /// It never recorded an end (killed); found so by `GraphStore.resume()`.
    case interrupted
}

/// One row of the `runs` table.
public struct CrawlRun: Sendable, Hashable, Codable {
    /// Its id.
    public var id: CrawlRunID
    /// The settings as JSON, as the pipeline encoded them.
    public var settingsJSON: String
    /// The fetch concurrency model.
    public var fetchModel: String?
    /// The parse concurrency model.
    public var parseModel: String?
    /// When it started.
    public var startedAt: Date
    /// When it ended; nil while running or when it was killed.
    public var endedAt: Date?
    /// How it ended.
    public var outcome: CrawlOutcome?

    /// A run as read from a store.
    public init(id: CrawlRunID, settingsJSON: String, fetchModel: String?, parseModel: String?, startedAt: Date, endedAt: Date?, outcome: CrawlOutcome?) {
        self.id = id
        self.settingsJSON = settingsJSON
        self.fetchModel = fetchModel
        self.parseModel = parseModel
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.outcome = outcome
    }
}

/// The frontier's size by state.
public struct FrontierCounts: Sendable, Hashable, Codable {
    /// Waiting to be claimed.
    public var queued: Int
    /// Claimed and not yet committed.
    public var inFlight: Int
    /// Committed.
    public var done: Int
    /// Found only deeper than `--max-depth` (kept in case a shorter path turns up; never fetched).
    public var parked: Int

    /// Counts.
    public init(queued: Int, inFlight: Int, done: Int, parked: Int = 0) {
        self.queued = queued
        self.inFlight = inFlight
        self.done = done
        self.parked = parked
    }

    /// Every URL the frontier knows.
    public var total: Int { queued + inFlight + done + parked }
}

/// What `GraphStore.resume()` found and repaired.
public struct ResumeSummary: Sendable, Hashable {
    /// URLs that were in flight when the previous crawl died, put back on the queue.
    public var requeued: Int
    /// Runs without an end, now marked `interrupted`.
    public var interruptedRuns: Int
    /// The frontier after the repair.
    public var counts: FrontierCounts
    /// Pages stored so far.
    public var pagesStored: Int
}
