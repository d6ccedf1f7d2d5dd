import CrawlerCore
import Foundation
import GRDB

extension GraphStore {
    /// Stores completed URLs with their links and the frontier changes they cause, in ONE
    /// transaction: for each record its page row, its links (duplicates on the page merged into
    /// one row with a count), its frontier row marked done (inserted if the URL was never
    /// queued, as for the final URL of a redirect), and its `enqueue` URLs queued at `depth + 1`
    /// unless the frontier already knows them. A crawl killed before this returns loses the
    /// whole batch (its URLs are still in flight and go back to the queue on resume); after it
    /// returns, nothing of it can be lost or stored twice.
    ///
    /// A record whose URL already has a page row is skipped (counted in `duplicatePages`).
    ///
    /// - Throws: `GraphStoreError` `.diskFull` (the batch was rolled back; the database is intact), `.sqlite`.
    @discardableResult
    public func commit(_ records: [PageRecord], run: CrawlRunID? = nil) throws -> CommitSummary {
        guard !records.isEmpty else { return CommitSummary() }
        return try write { db, caches in try CommitWriter.commit(records, run: run, db: db, caches: &caches) }
    }

    /// `commit(_:run:)` for async callers: the same single transaction, run on the store's
    /// writer queue while the task is suspended.
    @discardableResult
    public func commit(_ records: [PageRecord], run: CrawlRunID? = nil) async throws -> CommitSummary {
        guard !records.isEmpty else { return CommitSummary() }
        return try await write { db, caches in try CommitWriter.commit(records, run: run, db: db, caches: &caches) }
    }
}

/// The statements of one write transaction, with the writer's caches moved in for its duration.
struct CommitWriter {
    let db: Database
    var caches: WriterCaches

    /// Stores a batch with `caches` moved in for the duration.
    static func commit(_ records: [PageRecord], run: CrawlRunID?, db: Database, caches: inout WriterCaches) throws -> CommitSummary {
        var writer = CommitWriter(db: db, caches: caches)
        caches = WriterCaches(urlCapacity: 0)  // drop this reference so the dictionaries are mutated in place, not copied
        defer { caches = writer.caches }
        var summary = CommitSummary()
        for record in records { try writer.store(record, run: run, into: &summary) }
        return summary
    }

    /// The id of `url`, inserting it (and its host) when new.
    mutating func urlID(_ url: NormalizedURL) throws -> Int64 {
        if let id = caches.urlID(url.string) { return id }
        let select = try db.cachedStatement(sql: "SELECT id FROM urls WHERE url = ?")
        if let id = try Int64.fetchOne(select, arguments: [url.string]) {
            caches.remember(url: url.string, id: id)
            return id
        }
        let hostID = try hostID(url.authority)
        let insert = try db.cachedStatement(sql: "INSERT INTO urls (url, host_id) VALUES (?, ?)")
        try insert.execute(arguments: [url.string, hostID])
        let id = db.lastInsertedRowID
        caches.remember(url: url.string, id: id)
        return id
    }

    private mutating func hostID(_ host: String) throws -> Int64 {
        if let id = caches.hostID(host) { return id }
        let select = try db.cachedStatement(sql: "SELECT id FROM hosts WHERE name = ?")
        let id: Int64
        if let existing = try Int64.fetchOne(select, arguments: [host]) {
            id = existing
        } else {
            let insert = try db.cachedStatement(sql: "INSERT INTO hosts (name) VALUES (?)")
            try insert.execute(arguments: [host])
            id = db.lastInsertedRowID
        }
        caches.remember(host: host, id: id)
        return id
    }

    /// Queues `urlID` at `depth` unless the frontier knows it; true when it was new.
    mutating func enqueue(_ urlID: Int64, depth: Int, discoveredBy: Int64?) throws -> Bool {
        if caches.isInFrontier(urlID) { return false }
        defer { caches.rememberInFrontier(urlID) }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO frontier (url_id, depth, state, discovered_by) VALUES (?, ?, 0, ?)
            ON CONFLICT (url_id) DO NOTHING
            """)
        try insert.execute(arguments: [urlID, depth, discoveredBy])
        return db.changesCount > 0
    }

    mutating func store(_ record: PageRecord, run: CrawlRunID?, into summary: inout CommitSummary) throws {
        let pageID = try urlID(record.url)
        let redirectID = try record.redirectTarget.map { try urlID($0) }
        let insertPage = try db.cachedStatement(sql: """
            INSERT INTO pages (url_id, run_id, depth, status, content_type, bytes, title, canonical_url, noindex,
                redirect_target_id, error_kind, error_message, fetch_seconds, parse_seconds, fetched_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (url_id) DO NOTHING
            """)
        try insertPage.execute(arguments: [
            pageID, run?.rawValue, record.depth, record.status, record.contentType, record.bytes, record.title,
            record.canonicalURL?.string, record.noindex, redirectID, record.errorKind, record.errorMessage,
            record.fetchSeconds, record.parseSeconds, record.fetchedAt.timeIntervalSince1970,
        ])
        let isNew = db.changesCount > 0

        let markDone = try db.cachedStatement(sql: """
            INSERT INTO frontier (url_id, depth, state) VALUES (?, ?, 2)
            ON CONFLICT (url_id) DO UPDATE SET state = 2 WHERE state <> 2
            """)
        try markDone.execute(arguments: [pageID, record.depth])
        caches.rememberInFrontier(pageID)
        guard isNew else {
            summary.duplicatePages += 1
            return
        }
        summary.pagesStored += 1

        let insertLink = try db.cachedStatement(sql: """
            INSERT INTO links (source_id, target_id, kind, nofollow, anchor, count) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for link in MergedLink.merge(record.links, redirectTarget: record.redirectTarget) {
            let targetID = try urlID(link.target)  // the redirect target's id is cached by now
            try insertLink.execute(arguments: [pageID, targetID, link.kind, link.nofollow, link.anchor, link.count])
            summary.linksStored += 1
        }
        for url in record.enqueue where try enqueue(urlID(url), depth: record.depth + 1, discoveredBy: pageID) {
            summary.newlyQueued += 1
        }
    }
}

/// The links of one page to one target, merged: the first occurrence's kind, nofollow only when
/// every occurrence is nofollow (one followable link makes the edge followable), the first
/// non-empty anchor text, and how many times the page links there.
struct MergedLink {
    /// `links.kind` of a redirect hop's edge.
    static let redirectKind = "redirect"

    var target: NormalizedURL
    var kind: String
    var nofollow: Bool
    var anchor: String?
    var count: Int

    /// Merges in document order; a redirect target comes first as a `redirect` edge.
    static func merge(_ links: [Link], redirectTarget: NormalizedURL?) -> [MergedLink] {
        var merged: [MergedLink] = []
        // Keyed by the URL's string: hashing one string is cheaper than hashing every component.
        var index: [String: Int] = [:]
        index.reserveCapacity(links.count + 1)
        merged.reserveCapacity(links.count + 1)
        if let redirectTarget {
            index[redirectTarget.string] = 0
            merged.append(MergedLink(target: redirectTarget, kind: redirectKind, nofollow: false, anchor: nil, count: 1))
        }
        for link in links {
            if let position = index[link.target.string] {
                merged[position].count += 1
                merged[position].nofollow = merged[position].nofollow && link.nofollow
                if merged[position].anchor == nil, !link.anchorText.isEmpty { merged[position].anchor = link.anchorText }
            } else {
                index[link.target.string] = merged.count
                merged.append(MergedLink(
                    target: link.target, kind: link.kind.rawValue, nofollow: link.nofollow,
                    anchor: link.anchorText.isEmpty ? nil : link.anchorText, count: 1))
            }
        }
        return merged
    }
}
