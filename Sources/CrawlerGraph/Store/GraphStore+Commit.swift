import CrawlerCore
import Foundation
import GRDB

/// The frontier rules the store applies itself when it queues URLs, because they depend on
/// the depth, and a URL's depth can shrink after it was found (depth relaxation).
public struct FrontierRules: Sendable, Hashable {
    /// `--max-depth`: URLs deeper than this are parked, not queued, until a shorter path is found.
    public var maxDepth: Int
    /// `--follow-nofollow`: nofollow links and pages pass depth on like any other.
    public var followNofollow: Bool
    /// `--follow-resources`: resource and alternate links pass depth on too (see `LinkRole`).
    public var followResources: Bool

    /// Rules; the defaults park nothing.
    public init(maxDepth: Int = .max, followNofollow: Bool = false, followResources: Bool = false) {
        self.maxDepth = maxDepth
        self.followNofollow = followNofollow
        self.followResources = followResources
    }

    /// How much deeper than its source a stored link puts its target, when the source's depth
    /// shrank from `oldDepth`: 0 for a redirect hop the fetcher followed (stored at its source's
    /// depth, so `targetDepth == oldDepth`), 1 for a followed link, nil for a link the crawl does
    /// not follow (its role, or nofollow). One rule for every store.
    package func relaxationStep(kind: String, rel: String?, nofollow: Bool, pageNofollow: Bool, targetDepth: Int, oldDepth: Int) -> Int? {
        if kind == MergedLink.redirectKind { return targetDepth == oldDepth ? 0 : 1 }
        guard let linkKind = LinkKind(rawValue: kind),
            LinkRole(kind: linkKind, rel: rel).isFollowed(followResources: followResources)
        else { return nil }
        guard followNofollow || !(nofollow || pageNofollow) else { return nil }
        return 1
    }
}

extension GraphStore {
    /// Stores completed URLs with their links and the frontier changes they cause, in ONE
    /// transaction: for each record its page row, its links (duplicates on the page merged into
    /// one row with a count), its frontier row marked done (inserted if the URL was never
    /// queued, as for the final URL of a redirect), and its `enqueue` URLs queued at `depth + 1`
    /// (parked when deeper than `rules.maxDepth`). A crawl killed before this returns loses the
    /// whole batch (its URLs are still in flight and go back to the queue on resume); after it
    /// returns, nothing of it can be lost or stored twice.
    ///
    /// Depths are exact breadth-first distances whatever order pages finish in (depth
    /// relaxation): a URL found at a smaller depth than the frontier holds takes the smaller
    /// one; if it was parked and now fits `--max-depth` it is queued; if its page is already
    /// stored, the page's depth is lowered and the same is done along its followed links.
    /// A record's depth is the frontier's when that is smaller (it shrank while in flight).
    ///
    /// A record whose URL already has a page row is skipped (counted in `duplicatePages`).
    ///
    /// - Throws: `GraphStoreError` `.diskFull` (the batch was rolled back; the database is intact), `.sqlite`.
    @discardableResult
    public func commit(_ records: [PageRecord], run: CrawlRunID? = nil, rules: FrontierRules = FrontierRules()) throws -> CommitSummary {
        guard !records.isEmpty else { return CommitSummary() }
        return try write { db, caches in try CommitWriter.commit(records, run: run, rules: rules, db: db, caches: &caches) }
    }

    /// `commit(_:run:rules:)` for async callers: the same single transaction, run on the store's
    /// writer queue while the task is suspended.
    @discardableResult
    public func commit(_ records: [PageRecord], run: CrawlRunID? = nil, rules: FrontierRules = FrontierRules()) async throws -> CommitSummary {
        guard !records.isEmpty else { return CommitSummary() }
        return try await write { db, caches in try CommitWriter.commit(records, run: run, rules: rules, db: db, caches: &caches) }
    }
}

/// The statements of one write transaction, with the writer's caches moved in for its duration.
struct CommitWriter {
    let db: Database
    var caches: WriterCaches
    var rules = FrontierRules()
    var summary = CommitSummary()
    /// Stored pages whose depth shrank, whose followed links must be relaxed in turn.
    private var relaxQueue: [(pageID: Int64, oldDepth: Int, newDepth: Int)] = []

    init(db: Database, caches: WriterCaches) {
        self.db = db
        self.caches = caches
    }

    /// Stores a batch with `caches` moved in for the duration.
    static func commit(_ records: [PageRecord], run: CrawlRunID?, rules: FrontierRules, db: Database, caches: inout WriterCaches) throws -> CommitSummary {
        let cpuStart = CPUTime.currentThread()
        var writer = CommitWriter(db: db, caches: caches)
        writer.rules = rules
        caches = WriterCaches(urlCapacity: 0)  // drop this reference so the dictionaries are mutated in place, not copied
        defer { caches = writer.caches }
        var previousDepth: Int?
        for record in records {
            previousDepth = try writer.store(record, inheritedDepth: record.inheritsDepth ? previousDepth : nil, run: run)
        }
        writer.summary.writerCPUSeconds = CPUTime.currentThread() - cpuStart
        return writer.summary
    }

    /// The id of `url`, inserting it (and its host) when new.
    mutating func urlID(_ url: NormalizedURL) throws -> Int64 {
        if let id = caches.urlID(url.string) { return id }
        if let id = try DirectStatement(db, sql: "SELECT id FROM urls WHERE url = ?").fetchInt64(url.string) {
            caches.remember(url: url.string, id: id)
            return id
        }
        let hostID = try hostID(url.authority)
        try DirectStatement(db, sql: "INSERT INTO urls (url, host_id) VALUES (?, ?)").execute(url.string, hostID)
        let id = db.lastInsertedRowID
        caches.remember(url: url.string, id: id)
        return id
    }

    private mutating func hostID(_ host: String) throws -> Int64 {
        if let id = caches.hostID(host) { return id }
        let id: Int64
        if let existing = try DirectStatement(db, sql: "SELECT id FROM hosts WHERE name = ?").fetchInt64(host) {
            id = existing
        } else {
            try DirectStatement(db, sql: "INSERT INTO hosts (name) VALUES (?)").execute(host)
            id = db.lastInsertedRowID
        }
        caches.remember(host: host, id: id)
        return id
    }

    /// The frontier row of `urlID`: its depth and state, nil when the frontier does not know it.
    private func frontierRow(_ urlID: Int64) throws -> (depth: Int, state: Int)? {
        try DirectStatement(db, sql: "SELECT depth, state FROM frontier WHERE url_id = ?").fetchOne(urlID) { row in
            (depth: row.int(0), state: row.int(1))
        }
    }

    /// Queues `url` at `depth` (parked when deeper than `--max-depth`) unless the frontier knows
    /// it; a known URL found at a smaller depth is relaxed. True when it became queued.
    mutating func enqueue(_ url: NormalizedURL, depth: Int, discoveredBy: Int64?) throws -> Bool {
        let id = try urlID(url)
        if let known = caches.frontierDepth(id), known <= depth { return false }
        guard let row = try frontierRow(id) else {
            let parked = depth > rules.maxDepth
            let state = parked ? GraphSchema.FrontierState.parked : .queued
            let insert = try DirectStatement(db, sql: """
                INSERT INTO frontier (url_id, host_id, depth, state, discovered_by) VALUES (?, ?, ?, ?, ?)
                """)
            try insert.execute(id, hostID(url.authority), depth, state.rawValue, discoveredBy)
            caches.rememberInFrontier(id, depth: depth)
            if parked { return false }
            noteQueued(host: url.authority)
            return true
        }
        return try relax(id, row: row, to: depth, discoveredBy: discoveredBy, host: url.authority)
    }

    /// Lowers a known URL's depth to `depth` if that is smaller; true when it became queued
    /// (it was parked). A stored page whose depth shrank has its links relaxed in turn.
    private mutating func relax(_ id: Int64, row: (depth: Int, state: Int), to depth: Int, discoveredBy: Int64?, host: String?) throws -> Bool {
        guard depth < row.depth else {
            caches.rememberInFrontier(id, depth: row.depth)
            return false
        }
        let unparks = row.state == GraphSchema.FrontierState.parked.rawValue && depth <= rules.maxDepth
        let state = unparks ? GraphSchema.FrontierState.queued.rawValue : row.state
        let update = try DirectStatement(db, sql: "UPDATE frontier SET depth = ?, state = ?, discovered_by = coalesce(?, discovered_by) WHERE url_id = ?")
        try update.execute(depth, state, discoveredBy, id)
        caches.rememberInFrontier(id, depth: depth)
        summary.depthsRelaxed += 1
        if row.state == GraphSchema.FrontierState.done.rawValue {
            try DirectStatement(db, sql: "UPDATE pages SET depth = ? WHERE url_id = ? AND depth > ?").execute(depth, id, depth)
            relaxQueue.append((id, row.depth, depth))
        }
        guard unparks else { return false }
        let hostName = try db.cachedStatement(sql: "SELECT h.name FROM urls u JOIN hosts h ON h.id = u.host_id WHERE u.id = ?")
        noteQueued(host: try host ?? String.fetchOne(hostName, arguments: [id]) ?? "")
        return true
    }

    /// Relaxes the followed links of stored pages whose depth shrank, transitively. A link's
    /// target is relaxed only if the frontier knows it: a target it does not know was refused
    /// for a reason that does not depend on depth (scope, patterns, length). A redirect hop
    /// followed by the fetcher is at the same depth as its source; any other link is one deeper.
    private mutating func drainRelaxQueue() throws {
        let links = try db.cachedStatement(sql: """
            SELECT l.target_id, l.kind, l.rel, l.nofollow, p.nofollow FROM links l JOIN pages p ON p.url_id = l.source_id
            WHERE l.source_id = ?
            """)
        while let page = relaxQueue.popLast() {
            for row in try Row.fetchAll(links, arguments: [page.pageID]) {
                let target: Int64 = row[0]
                guard let targetRow = try frontierRow(target),
                    let step = rules.relaxationStep(kind: row[1], rel: row[2], nofollow: row[3], pageNofollow: row[4], targetDepth: targetRow.depth, oldDepth: page.oldDepth)
                else { continue }
                if try relax(target, row: targetRow, to: page.newDepth + step, discoveredBy: page.pageID, host: nil) {
                    summary.newlyQueued += 1
                }
            }
        }
    }

    private mutating func noteQueued(host: String) {
        summary.queuedHosts.insert(host)
    }

    /// Stores one record; returns the depth it was stored at (a redirect chain's next hop inherits it).
    mutating func store(_ record: PageRecord, inheritedDepth: Int?, run: CrawlRunID?) throws -> Int {
        let pageID = try urlID(record.url)
        var depth = min(record.depth, inheritedDepth ?? .max)
        if let row = try frontierRow(pageID) {
            if row.depth < depth {
                depth = row.depth  // found by a shorter path while this page was in flight
            } else if row.depth > depth, try relax(pageID, row: row, to: depth, discoveredBy: nil, host: record.url.authority) {
                summary.newlyQueued += 1
            }
        }
        let redirectID = try record.redirectTarget.map { try urlID($0) }
        let insertPage = try DirectStatement(db, sql: """
            INSERT INTO pages (url_id, run_id, depth, status, content_type, bytes, title, canonical_url, noindex,
                redirect_target_id, error_kind, error_message, fetch_seconds, parse_seconds, fetched_at, nofollow)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (url_id) DO NOTHING
            """)
        try insertPage.execute(
            pageID, run?.rawValue, depth, record.status, record.contentType, record.bytes, record.title,
            record.canonicalURL?.string, record.noindex, redirectID, record.errorKind, record.errorMessage,
            record.fetchSeconds, record.parseSeconds, record.fetchedAt.timeIntervalSince1970, record.nofollow)
        let isNew = db.changesCount > 0

        let markDone = try DirectStatement(db, sql: """
            INSERT INTO frontier (url_id, host_id, depth, state) VALUES (?, ?, ?, 2)
            ON CONFLICT (url_id) DO UPDATE SET state = 2 WHERE state <> 2
            """)
        try markDone.execute(pageID, hostID(record.url.authority), depth)
        caches.rememberInFrontier(pageID, depth: depth)
        guard isNew else {
            summary.duplicatePages += 1
            try drainRelaxQueue()
            return depth
        }
        summary.pagesStored += 1

        let insertLink = try DirectStatement(db, sql: """
            INSERT INTO links (source_id, target_id, kind, rel, nofollow, anchor, count, lastmod) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for link in try MergedLink.merge(record.links, redirectTarget: record.redirectTarget, id: { try urlID($0) }) {
            try insertLink.execute(pageID, link.targetID, link.kind.rawValue, link.rel, link.nofollow, link.anchor, link.count, link.lastmod)
            summary.linksStored += 1
        }
        for url in record.enqueue where try enqueue(url, depth: depth + 1, discoveredBy: pageID) {
            summary.newlyQueued += 1
        }
        try drainRelaxQueue()
        return depth
    }
}

/// The links of one page to one target by one kind, merged: nofollow only when every occurrence
/// is nofollow (one followable link makes the edge followable), the `rel` tokens of every
/// occurrence (first seen first), the first non-empty anchor text, and how many times the page
/// links there that way. A pair linked in several ways keeps one row per kind:
/// `<link rel=next href=io.html>` in the head does not hide the seven `<a href=io.html>` of the body.
package struct MergedLink {
    /// `links.kind` of a redirect hop's edge.
    package static let redirectKind = LinkKind.redirect.rawValue

    /// The target's id in the store (`urls.id`).
    package var targetID: Int64
    package var kind: LinkKind
    /// The `rel` tokens, lower-cased, space-separated; nil when no occurrence has one.
    package var rel: String?
    package var nofollow: Bool
    package var anchor: String?
    package var count: Int
    /// A sitemap entry's `<lastmod>` (the first one given, when the sitemap lists the URL twice).
    package var lastmod: String?
    /// The next merged link to the same target, if any (a short chain per target).
    private var nextSameTarget: Int?

    /// Merges in document order; a redirect target comes first as a `redirect` edge. `id` gives
    /// a target's id in the store (inserting the URL when new), once per link: the merge is
    /// keyed by ids, so a target URL's string is hashed once, by the store's own lookup.
    package static func merge(_ links: [Link], redirectTarget: NormalizedURL?, id: (NormalizedURL) throws -> Int64) rethrows -> [MergedLink] {
        var merged: [MergedLink] = []
        // The few kinds one page links to one target by are a chain from the first.
        var index: [Int64: Int] = [:]
        index.reserveCapacity(links.count + 1)
        merged.reserveCapacity(links.count + 1)
        if let redirectTarget {
            let targetID = try id(redirectTarget)
            index[targetID] = 0
            merged.append(MergedLink(targetID: targetID, kind: .redirect, rel: nil, nofollow: false, anchor: nil, count: 1))
        }
        for link in links {
            let targetID = try id(link.target)
            var position = index[targetID]
            var last: Int?
            while let current = position, merged[current].kind != link.kind {
                last = current
                position = merged[current].nextSameTarget
            }
            if let position {
                merged[position].count += 1
                merged[position].nofollow = merged[position].nofollow && link.nofollow
                if merged[position].anchor == nil, !link.anchorText.isEmpty { merged[position].anchor = link.anchorText }
                if let rel = link.rel, rel != merged[position].rel { merged[position].rel = Self.union(merged[position].rel, rel) }
                if merged[position].lastmod == nil { merged[position].lastmod = link.lastmod }
                continue
            }
            if let last { merged[last].nextSameTarget = merged.count } else { index[targetID] = merged.count }
            merged.append(MergedLink(
                targetID: targetID, kind: link.kind, rel: link.rel, nofollow: link.nofollow,
                anchor: link.anchorText.isEmpty ? nil : link.anchorText, count: 1, lastmod: link.lastmod))
        }
        return merged
    }

    /// The tokens of `existing`, then those of `added` it lacks.
    private static func union(_ existing: String?, _ added: String) -> String {
        guard let existing, !existing.isEmpty else { return added }
        var tokens = existing.split(separator: " ")
        for token in added.htmlTokens where !tokens.contains(token) {
            tokens.append(token)
        }
        return tokens.joined(separator: " ")
    }
}
