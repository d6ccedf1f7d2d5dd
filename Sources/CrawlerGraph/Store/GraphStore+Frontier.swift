import CrawlerCore
import GRDB

extension GraphStore {
    /// Puts seed URLs on the frontier at depth 0; URLs the frontier already knows are left as
    /// they are. Returns how many were new.
    @discardableResult
    public func seed(_ urls: [NormalizedURL]) throws -> Int {
        try write { db, caches in
            var writer = CommitWriter(db: db, caches: caches)
            caches = WriterCaches(urlCapacity: 0)  // keep the writer's copy uniquely referenced
            defer { caches = writer.caches }
            var added = 0
            for url in urls where try writer.enqueue(writer.urlID(url), depth: 0, discoveredBy: nil) { added += 1 }
            return added
        }
    }

    /// Claims up to `limit` queued URLs in breadth-first order (lowest depth first, then in the
    /// order they were discovered) and marks them in flight. Empty when nothing is queued.
    public func claim(limit: Int) throws -> [FrontierEntry] {
        guard limit > 0 else { return [] }
        return try write { db, _ in try Self.claim(limit: limit, depth: nil, db: db) }
    }

    /// `claim(limit:)` for async callers, run on the store's writer queue while the task is suspended.
    public func claim(limit: Int) async throws -> [FrontierEntry] {
        guard limit > 0 else { return [] }
        return try await write { db, _ in try Self.claim(limit: limit, depth: nil, db: db) }
    }

    /// Claims up to `limit` queued URLs of exactly `depth`, in discovery order, marking them in
    /// flight. The pipeline claims one depth level at a time so that every URL is stored at its
    /// true breadth-first depth, whatever order concurrent fetches finish in.
    public func claim(limit: Int, depth: Int) throws -> [FrontierEntry] {
        guard limit > 0 else { return [] }
        return try write { db, _ in try Self.claim(limit: limit, depth: depth, db: db) }
    }

    /// `claim(limit:depth:)` for async callers, run on the store's writer queue while the task is suspended.
    public func claim(limit: Int, depth: Int) async throws -> [FrontierEntry] {
        guard limit > 0 else { return [] }
        return try await write { db, _ in try Self.claim(limit: limit, depth: depth, db: db) }
    }

    /// The claim itself: both orders use the partial index `frontier_queued (depth, seq)`.
    private static func claim(limit: Int, depth: Int?, db: Database) throws -> [FrontierEntry] {
        let rows = if let depth {
            try Row.fetchAll(db, sql: """
                SELECT f.seq, f.depth, u.url FROM frontier f JOIN urls u ON u.id = f.url_id
                WHERE f.state = 0 AND f.depth = ? ORDER BY f.seq LIMIT ?
                """, arguments: [depth, limit])
        } else {
            try Row.fetchAll(db, sql: """
                SELECT f.seq, f.depth, u.url FROM frontier f JOIN urls u ON u.id = f.url_id
                WHERE f.state = 0 ORDER BY f.depth, f.seq LIMIT ?
                """, arguments: [limit])
        }
        let mark = try db.cachedStatement(sql: "UPDATE frontier SET state = ? WHERE seq = ?")
        var entries: [FrontierEntry] = []
        entries.reserveCapacity(rows.count)
        for row in rows {
            let seq: Int64 = row[0]
            // A URL that no longer parses (the file was edited by hand) is retired, not retried forever.
            guard let url = NormalizedURL(row[2] as String) else {
                try mark.execute(arguments: [GraphSchema.FrontierState.done.rawValue, seq])
                continue
            }
            try mark.execute(arguments: [GraphSchema.FrontierState.inFlight.rawValue, seq])
            entries.append(FrontierEntry(url: url, depth: row[1]))
        }
        return entries
    }

    /// Puts claimed URLs that will not be committed (the crawl is stopping) back on the queue.
    public func release(_ urls: [NormalizedURL]) throws {
        guard !urls.isEmpty else { return }
        try write { db, _ in
            let statement = try db.cachedStatement(sql: """
                UPDATE frontier SET state = 0
                WHERE state = 1 AND url_id = (SELECT id FROM urls WHERE url = ?)
                """)
            for url in urls { try statement.execute(arguments: [url.string]) }
        }
    }

    /// Whether the frontier knows `url` (queued, in flight or done).
    public func isKnown(_ url: NormalizedURL) throws -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM frontier f JOIN urls u ON u.id = f.url_id WHERE u.url = ?)
                """, arguments: [url.string]) ?? false
        }
    }

    /// The frontier's size by state.
    public func frontierCounts() throws -> FrontierCounts {
        try read { db in try Self.frontierCounts(db) }
    }

    static func frontierCounts(_ db: Database) throws -> FrontierCounts {
        let row = try Row.fetchOne(db, sql: """
            SELECT (SELECT count(*) FROM frontier WHERE state = 0),
                   (SELECT count(*) FROM frontier WHERE state = 1),
                   (SELECT count(*) FROM frontier)
            """)!
        let queued: Int = row[0]
        let inFlight: Int = row[1]
        let total: Int = row[2]
        return FrontierCounts(queued: queued, inFlight: inFlight, done: total - queued - inFlight)
    }

    /// Repairs what a killed crawl left: URLs in flight go back to the queue (their batch was
    /// never committed, so nothing of them is stored) and runs without an end are marked
    /// `interrupted`. Call it once, before claiming, when continuing a crawl (`--resume`).
    @discardableResult
    public func resume() throws -> ResumeSummary {
        try write { db, _ in
            try db.execute(sql: "UPDATE frontier SET state = 0 WHERE state = 1")
            let requeued = db.changesCount
            try db.execute(sql: "UPDATE runs SET outcome = ? WHERE ended_at IS NULL AND outcome IS NULL",
                           arguments: [CrawlOutcome.interrupted.rawValue])
            let interrupted = db.changesCount
            let pages = try Int.fetchOne(db, sql: "SELECT count(*) FROM pages") ?? 0
            return ResumeSummary(requeued: requeued, interruptedRuns: interrupted, counts: try Self.frontierCounts(db), pagesStored: pages)
        }
    }
}
