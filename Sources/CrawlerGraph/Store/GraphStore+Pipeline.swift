import CrawlerCore
import GRDB

extension GraphStore {
    /// Claims up to `limit` queued URLs of exactly `depth`, in discovery order, marking them in
    /// flight. The pipeline claims one depth level at a time so that every URL is stored at its
    /// true breadth-first depth, whatever order concurrent fetches finish in.
    /// Runs on the store's writer queue while the calling task is suspended.
    public func claim(limit: Int, depth: Int) async throws -> [FrontierEntry] {
        guard limit > 0 else { return [] }
        return try await write { db, _ in
            let rows = try Row.fetchAll(db, sql: """
                SELECT f.seq, u.url FROM frontier f JOIN urls u ON u.id = f.url_id
                WHERE f.state = 0 AND f.depth = ? ORDER BY f.seq LIMIT ?
                """, arguments: [depth, limit])
            let mark = try db.cachedStatement(sql: "UPDATE frontier SET state = ? WHERE seq = ?")
            var entries: [FrontierEntry] = []
            entries.reserveCapacity(rows.count)
            for row in rows {
                let seq: Int64 = row[0]
                // A URL that no longer parses (the file was edited by hand) is retired, not retried forever.
                guard let url = NormalizedURL(row[1] as String) else {
                    try mark.execute(arguments: [GraphSchema.FrontierState.done.rawValue, seq])
                    continue
                }
                try mark.execute(arguments: [GraphSchema.FrontierState.inFlight.rawValue, seq])
                entries.append(FrontierEntry(url: url, depth: depth))
            }
            return entries
        }
    }

    /// The smallest depth with queued or in-flight URLs; nil when the frontier is exhausted.
    public func lowestPendingDepth() throws -> Int? {
        try read { db in
            let queued = try Int.fetchOne(db, sql: "SELECT min(depth) FROM frontier WHERE state = 0")
            let inFlight = try Int.fetchOne(db, sql: "SELECT min(depth) FROM frontier WHERE state = 1")
            return [queued, inFlight].compactMap { $0 }.min()
        }
    }

    /// Pages fetched per host (`host[:port]`), redirect hops and pages skipped by the per-host
    /// cap not counted: what the per-host page cap compares against after a resume.
    public func fetchedPagesPerHost() throws -> [String: Int] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT h.name, count(*) FROM pages p JOIN urls u ON u.id = p.url_id JOIN hosts h ON h.id = u.host_id
                WHERE p.redirect_target_id IS NULL AND coalesce(p.error_kind, '') <> 'host-page-cap'
                GROUP BY h.name
                """)
            return Dictionary(uniqueKeysWithValues: rows.map { ($0[0] as String, $0[1] as Int) })
        }
    }
}
