import GRDB

extension GraphStore {
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
