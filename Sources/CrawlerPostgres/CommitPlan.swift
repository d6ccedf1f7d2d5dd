import CrawlerCore
import CrawlerGraph
import Foundation

/// A frontier row as a commit sees it.
struct PlannedFrontierRow: Sendable, Hashable {
    var depth: Int
    var state: Int
    /// `host[:port]`, for the hosts that got queued work.
    var host: String
}

/// What a commit reads from the database beyond what it prefetched: only depth relaxation of
/// pages stored by earlier commits needs it.
struct CommitLoader: Sendable {
    /// The frontier rows of these URL ids as committed now; absent ids have none.
    var frontierRows: @Sendable ([Int64]) async throws -> [Int64: PlannedFrontierRow]
    /// The links of these stored pages: target, kind, rel, link nofollow, page nofollow.
    var links: @Sendable ([Int64]) async throws -> [Int64: [(target: Int64, kind: String, rel: String?, nofollow: Bool, pageNofollow: Bool)]]
}

/// One batch of finished pages turned into the rows a set-based commit writes: the same rules
/// as the SQLite store's `CommitWriter` (a page row per new URL, merged links, the frontier's
/// done marks, new URLs queued or parked, depth relaxation through stored pages), applied to
/// prefetched rows in memory, so the database sees a few statements per batch instead of
/// several per link.
struct CommitPlan {
    let rules: FrontierRules
    let urlIDs: [String: Int64]
    let hostIDs: [String: Int64]
    let loader: CommitLoader
    /// Frontier rows known to this commit: prefetched, or planned by it.
    private(set) var frontier: [Int64: PlannedFrontierRow]
    /// URL ids whose frontier rows were read (an id read without a row has none).
    private var looked: Set<Int64>
    private let storedBefore: Set<Int64>

    private(set) var frontierInserts: [Int64: FrontierInsert] = [:]
    private(set) var frontierUpdates: [Int64: FrontierUpdate] = [:]
    private(set) var pages: [PageInsert] = []
    private(set) var loweredPages: [Int64: Int] = [:]
    private(set) var links: [LinkInsert] = []
    private(set) var summary = CommitSummary()
    /// The links and nofollow of pages this batch stores, for relaxation within the batch.
    private var batchLinks: [Int64: [(target: Int64, kind: String, rel: String?, nofollow: Bool, pageNofollow: Bool)]] = [:]
    private var relaxQueue: [(pageID: Int64, oldDepth: Int, newDepth: Int)] = []

    init(rules: FrontierRules, urlIDs: [String: Int64], hostIDs: [String: Int64], frontier: [Int64: PlannedFrontierRow], looked: Set<Int64>, storedPages: Set<Int64>, loader: CommitLoader) {
        self.rules = rules
        self.urlIDs = urlIDs
        self.hostIDs = hostIDs
        self.frontier = frontier
        self.looked = looked
        self.storedBefore = storedPages
        self.loader = loader
    }

    private func id(_ url: NormalizedURL) -> Int64 { urlIDs[url.string]! }

    /// Plans `records` in order; a redirect hop's next record inherits its depth.
    mutating func plan(_ records: [PageRecord]) async throws {
        var previousDepth: Int?
        for record in records {
            previousDepth = try await store(record, inheritedDepth: record.inheritsDepth ? previousDepth : nil)
        }
    }

    private mutating func setRow(_ id: Int64, _ row: PlannedFrontierRow, discoveredBy: Int64?) {
        let existed = frontier[id] != nil && frontierInserts[id] == nil
        frontier[id] = row
        if existed {
            let by = discoveredBy ?? frontierUpdates[id]?.b
            frontierUpdates[id] = FrontierUpdate(u: id, d: row.depth, s: row.state, b: by)
        } else {
            let previous = frontierInserts[id]
            frontierInserts[id] = FrontierInsert(u: id, h: hostIDs[row.host]!, d: row.depth, s: row.state, b: discoveredBy ?? previous?.b)
        }
    }

    /// Queues `url` at `depth` unless the frontier knows it at that depth or shallower. True
    /// when it became queued.
    mutating func enqueue(_ url: NormalizedURL, depth: Int, discoveredBy: Int64?) throws -> Bool {
        let id = id(url)
        guard let row = frontier[id] else {
            let parked = depth > rules.maxDepth
            setRow(id, PlannedFrontierRow(depth: depth, state: parked ? GraphSchema.FrontierState.parked.rawValue : GraphSchema.FrontierState.queued.rawValue, host: url.authority), discoveredBy: discoveredBy)
            if parked { return false }
            summary.queuedHosts.insert(url.authority)
            return true
        }
        return relax(id, row: row, to: depth, discoveredBy: discoveredBy)
    }

    private mutating func relax(_ id: Int64, row: PlannedFrontierRow, to depth: Int, discoveredBy: Int64?) -> Bool {
        guard depth < row.depth else { return false }
        let unparks = row.state == GraphSchema.FrontierState.parked.rawValue && depth <= rules.maxDepth
        var new = row
        new.depth = depth
        if unparks { new.state = GraphSchema.FrontierState.queued.rawValue }
        setRow(id, new, discoveredBy: discoveredBy)
        summary.depthsRelaxed += 1
        if row.state == GraphSchema.FrontierState.done.rawValue {
            if let index = pages.firstIndex(where: { $0.url_id == id }) {
                pages[index].depth = min(pages[index].depth, depth)
            } else {
                // Stored by an earlier commit, this node's or another's (its frontier row is
                // done, and locked by this transaction, so that commit has finished).
                loweredPages[id] = min(loweredPages[id] ?? .max, depth)
            }
            relaxQueue.append((id, row.depth, depth))
        }
        guard unparks else { return false }
        summary.queuedHosts.insert(row.host)
        return true
    }

    private mutating func drainRelaxQueue() async throws {
        while !relaxQueue.isEmpty {
            let pending = relaxQueue
            relaxQueue.removeAll()
            let missing = pending.map(\.pageID).filter { batchLinks[$0] == nil }
            let loaded = missing.isEmpty ? [:] : try await loader.links(missing)
            var targets: Set<Int64> = []
            for page in pending { for link in batchLinks[page.pageID] ?? loaded[page.pageID] ?? [] { targets.insert(link.target) } }
            let unread = targets.subtracting(looked)
            if !unread.isEmpty {
                for (id, row) in try await loader.frontierRows(Array(unread)) where frontier[id] == nil { frontier[id] = row }
                looked.formUnion(unread)
            }
            for page in pending.reversed() {
                for link in batchLinks[page.pageID] ?? loaded[page.pageID] ?? [] {
                    guard let targetRow = frontier[link.target],
                        let step = rules.relaxationStep(kind: link.kind, rel: link.rel, nofollow: link.nofollow, pageNofollow: link.pageNofollow, targetDepth: targetRow.depth, oldDepth: page.oldDepth)
                    else { continue }
                    if relax(link.target, row: frontier[link.target]!, to: page.newDepth + step, discoveredBy: page.pageID) {
                        summary.newlyQueued += 1
                    }
                }
            }
        }
    }

    /// Plans one record; returns the depth it is stored at.
    private mutating func store(_ record: PageRecord, inheritedDepth: Int?) async throws -> Int {
        let pageID = id(record.url)
        var depth = min(record.depth, inheritedDepth ?? .max)
        if let row = frontier[pageID] {
            if row.depth < depth {
                depth = row.depth
            } else if row.depth > depth, relax(pageID, row: row, to: depth, discoveredBy: nil) {
                summary.newlyQueued += 1
            }
        }
        let isNew = !storedBefore.contains(pageID) && batchLinks[pageID] == nil
        // Marked done (inserted at this depth when the frontier never had it, as for a redirect's final URL).
        if var row = frontier[pageID] {
            if row.state != GraphSchema.FrontierState.done.rawValue {
                row.state = GraphSchema.FrontierState.done.rawValue
                setRow(pageID, row, discoveredBy: nil)
            }
        } else {
            setRow(pageID, PlannedFrontierRow(depth: depth, state: GraphSchema.FrontierState.done.rawValue, host: record.url.authority), discoveredBy: nil)
        }
        guard isNew else {
            summary.duplicatePages += 1
            try await drainRelaxQueue()
            return depth
        }
        summary.pagesStored += 1
        pages.append(PageInsert(record, urlID: pageID, depth: depth, redirectID: record.redirectTarget.map(id)))
        var followed: [(target: Int64, kind: String, rel: String?, nofollow: Bool, pageNofollow: Bool)] = []
        for link in MergedLink.merge(record.links, redirectTarget: record.redirectTarget, id: id) {
            links.append(LinkInsert(s: pageID, t: link.targetID, k: link.kind.rawValue, r: link.rel.map(Self.clean), n: link.nofollow, a: link.anchor.map(Self.clean), c: link.count, m: link.lastmod.map(Self.clean)))
            followed.append((link.targetID, link.kind.rawValue, link.rel, link.nofollow, record.nofollow))
            summary.linksStored += 1
        }
        batchLinks[pageID] = followed
        for url in record.enqueue where try enqueue(url, depth: depth + 1, discoveredBy: pageID) {
            summary.newlyQueued += 1
        }
        try await drainRelaxQueue()
        return depth
    }

    /// PostgreSQL's text cannot hold U+0000, which SQLite stores: it is dropped.
    static func clean(_ text: String) -> String {
        text.contains("\u{0}") ? text.replacingOccurrences(of: "\u{0}", with: "") : text
    }
}

/// A new frontier row, as JSON for `json_to_recordset`.
struct FrontierInsert: Codable, Sendable {
    var u: Int64
    var h: Int64
    var d: Int
    var s: Int
    var b: Int64?
}

/// A changed frontier row.
struct FrontierUpdate: Codable, Sendable {
    var u: Int64
    var d: Int
    var s: Int
    var b: Int64?
}

/// A new link row.
struct LinkInsert: Codable, Sendable {
    var s: Int64
    var t: Int64
    var k: String
    var r: String?
    var n: Bool
    var a: String?
    var c: Int
    /// `lastmod`
    var m: String?
}

/// A new page row, named as the table's columns.
struct PageInsert: Codable, Sendable {
    var url_id: Int64
    var depth: Int
    var status: Int?
    var content_type: String?
    var bytes: Int?
    var title: String?
    var canonical_url: String?
    var noindex: Bool
    var redirect_target_id: Int64?
    var error_kind: String?
    var error_message: String?
    var fetch_seconds: Double?
    var parse_seconds: Double?
    var fetched_at: Double
    var nofollow: Bool

    init(_ record: PageRecord, urlID: Int64, depth: Int, redirectID: Int64?) {
        url_id = urlID
        self.depth = depth
        status = record.status
        content_type = record.contentType.map(CommitPlan.clean)
        bytes = record.bytes
        title = record.title.map(CommitPlan.clean)
        canonical_url = record.canonicalURL?.string
        noindex = record.noindex
        redirect_target_id = redirectID
        error_kind = record.errorKind.map(CommitPlan.clean)
        error_message = record.errorMessage.map(CommitPlan.clean)
        fetch_seconds = record.fetchSeconds
        parse_seconds = record.parseSeconds
        fetched_at = record.fetchedAt.timeIntervalSince1970
        nofollow = record.nofollow
    }
}
