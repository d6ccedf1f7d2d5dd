import CrawlerCore
import CrawlerGraph
import Foundation
import PostgresNIO

extension PostgresGraphStore {
    /// Puts seeds on the frontier at depth 0; known URLs are left as they are. Returns how many were new.
    @discardableResult
    public func seed(_ urls: [NormalizedURL]) async throws -> Int {
        guard !urls.isEmpty else { return 0 }
        let (urlIDs, hostIDs) = try await intern(urls)
        let entries = urls.map { FrontierInsert(u: urlIDs[$0.string]!, h: hostIDs[$0.authority]!, d: 0, s: 0, b: nil) }
        let json = String(decoding: try JSONEncoder().encode(entries), as: UTF8.self)
        return try await rows("""
            INSERT INTO frontier (url_id, host_id, depth, state)
            SELECT u, h, d, s FROM json_to_recordset(\(json)::json) AS x(u bigint, h bigint, d int, s smallint) ORDER BY u
            ON CONFLICT (url_id) DO NOTHING RETURNING seq
            """).count
    }

    /// The ids of `urls` and of their hosts, inserting those not yet known. Runs in its own
    /// short transactions, sorted, so nodes interning the same URLs at once never deadlock; a
    /// URL interned by a commit that then fails is harmless (no page, link or frontier row
    /// names it, so no export shows it).
    func intern(_ urls: [NormalizedURL]) async throws -> (urls: [String: Int64], hosts: [String: Int64]) {
        let hostNames = Array(Set(urls.map(\.authority))).sorted()
        _ = try await rows("INSERT INTO hosts (name) SELECT n FROM unnest(\(hostNames)::text[]) AS n ORDER BY n ON CONFLICT (name) DO NOTHING")
        var hostIDs: [String: Int64] = [:]
        for row in try await rows("SELECT id, name FROM hosts WHERE name = ANY(\(hostNames))") {
            let (id, name) = try row.decode((Int64, String).self)
            hostIDs[name] = id
        }
        var seen: Set<String> = []
        var strings: [String] = [], hosts: [Int64] = []
        for url in urls where seen.insert(url.string).inserted {
            strings.append(url.string)
            hosts.append(hostIDs[url.authority]!)
        }
        _ = try await rows("""
            INSERT INTO urls (url, host_id) SELECT * FROM unnest(\(strings)::text[], \(hosts)::bigint[]) AS x(url, host_id)
            ORDER BY url ON CONFLICT (url) DO NOTHING
            """)
        var urlIDs: [String: Int64] = [:]
        urlIDs.reserveCapacity(strings.count)
        for row in try await rows("SELECT id, url FROM urls WHERE url = ANY(\(strings))") {
            let (id, url) = try row.decode((Int64, String).self)
            urlIDs[url] = id
        }
        return (urlIDs, hostIDs)
    }

    /// Stores finished pages, their links and the URLs they queue, in one transaction, under
    /// the SQLite store's rules (see `GraphStore.commit`): depths exact by relaxation, a page
    /// stored once whichever nodes committed it. `node` and `run` are recorded with each page.
    public func commit(_ records: [PageRecord], node: NodeID?, run: CrawlRunID?, rules: FrontierRules) async throws -> CommitSummary {
        guard !records.isEmpty else { return CommitSummary() }
        var urls: [NormalizedURL] = []
        for record in records {
            urls.append(record.url)
            if let target = record.redirectTarget { urls.append(target) }
            urls.append(contentsOf: record.links.map(\.target))
            urls.append(contentsOf: record.enqueue)
        }
        let (urlIDs, hostIDs) = try await intern(urls)
        var involved: Set<Int64> = []
        for record in records {
            involved.insert(urlIDs[record.url.string]!)
            if let target = record.redirectTarget { involved.insert(urlIDs[target.string]!) }
            for url in record.enqueue { involved.insert(urlIDs[url.string]!) }
        }
        let recordIDs = records.map { urlIDs[$0.url.string]! }
        let prefetch = involved
        // No writer CPU is reported: the commit's work is the server's, and the client's part
        // hops threads at every await, where a thread's clock would not measure it.
        // Rows are read without locks and only the rows the plan changes are locked, then the
        // plan is made again; it stands once every row it changes was locked before it was read.
        // Sound because a frontier row's depth only ever shrinks: a row this commit leaves alone
        // (known at the same depth or shallower) needs no change whatever others commit
        // meanwhile. Locking every link target instead made the nodes' commits wait on one
        // another for the URLs every page links to (navigation), and the fleet ran one commit
        // at a time. The records' own rows always change (done): they are locked first.
        let own = Set(recordIDs + records.compactMap { $0.redirectTarget.map { urlIDs[$0.string]! } })
        return try await transaction { [logger] connection in
            let loader = CommitLoader(
                frontierRows: { ids in try await Self.frontierRows(ids, connection: connection, logger: logger) },
                links: { ids in try await Self.links(of: ids, connection: connection, logger: logger) })
            var locked: Set<Int64> = []
            var toLock = own
            // New rows inserted by an earlier round (they read as existing rows in later ones).
            var queuedEarlier = 0
            var hostsQueuedEarlier: Set<String> = []
            while true {
                if !toLock.isEmpty {
                    try await Self.lock(toLock.sorted(), connection: connection, logger: logger)
                    locked.formUnion(toLock)
                }
                let frontier = try await loader.frontierRows(Array(prefetch))
                var stored: Set<Int64> = []
                for try await id in try await connection.query("SELECT url_id FROM pages WHERE url_id = ANY(\(recordIDs))", logger: logger).decode(Int64.self) {
                    stored.insert(id)
                }
                var plan = CommitPlan(rules: rules, urlIDs: urlIDs, hostIDs: hostIDs, frontier: frontier, looked: prefetch, storedPages: stored, loader: loader)
                try await plan.plan(records)
                toLock = Set(plan.frontierUpdates.keys).subtracting(locked)
                guard toLock.isEmpty else { continue }
                // Rows the plan inserts did not exist when read; another commit may have
                // inserted some since. Those are locked and the plan made again; the rows
                // inserted here are this transaction's own.
                let landed = try await Self.insertFrontier(plan, connection: connection, logger: logger)
                locked.formUnion(landed)
                toLock = Set(plan.frontierInserts.keys).subtracting(landed)
                if toLock.isEmpty {
                    var summary = try await Self.write(plan, node: node, run: run, connection: connection, logger: logger)
                    summary.newlyQueued += queuedEarlier
                    summary.queuedHosts.formUnion(hostsQueuedEarlier)
                    return summary
                }
                for id in landed where plan.frontierInserts[id]?.s == GraphSchema.FrontierState.queued.rawValue {
                    queuedEarlier += 1
                    if let host = plan.frontier[id]?.host { hostsQueuedEarlier.insert(host) }
                }
            }
        }
    }

    /// Inserts the plan's new frontier rows that no other commit has inserted meanwhile;
    /// returns the ids inserted.
    static func insertFrontier(_ plan: CommitPlan, connection: PostgresConnection, logger: Logger) async throws -> Set<Int64> {
        guard !plan.frontierInserts.isEmpty else { return [] }
        let json = String(decoding: try JSONEncoder().encode(Array(plan.frontierInserts.values)), as: UTF8.self)
        var landed: Set<Int64> = []
        for try await id in try await connection.query("""
            INSERT INTO frontier (url_id, host_id, depth, state, discovered_by)
            SELECT u, h, d, s, b FROM json_to_recordset(\(json)::json)
                AS x(u bigint, h bigint, d int, s smallint, b bigint) ORDER BY u
            ON CONFLICT (url_id) DO NOTHING RETURNING url_id
            """, logger: logger).decode(Int64.self)
        {
            landed.insert(id)
        }
        return landed
    }

    /// Locks the frontier rows of `ids` (in id order, so two commits lock in the same order).
    static func lock(_ ids: [Int64], connection: PostgresConnection, logger: Logger) async throws {
        for try await _ in try await connection.query("SELECT url_id FROM frontier WHERE url_id = ANY(\(ids)) ORDER BY url_id FOR UPDATE", logger: logger) {}
    }

    /// The frontier rows of `ids` with their hosts, as committed now (not locked).
    static func frontierRows(_ ids: [Int64], connection: PostgresConnection, logger: Logger) async throws -> [Int64: PlannedFrontierRow] {
        var rows: [Int64: PlannedFrontierRow] = [:]
        guard !ids.isEmpty else { return rows }
        for try await (id, depth, state, host) in try await connection.query("""
            SELECT f.url_id, f.depth, f.state::int, h.name FROM frontier f JOIN hosts h ON h.id = f.host_id
            WHERE f.url_id = ANY(\(ids))
            """, logger: logger).decode((Int64, Int, Int, String).self)
        {
            rows[id] = PlannedFrontierRow(depth: depth, state: state, host: host)
        }
        return rows
    }

    static func links(of pages: [Int64], connection: PostgresConnection, logger: Logger) async throws -> [Int64: [(target: Int64, kind: String, rel: String?, nofollow: Bool, pageNofollow: Bool)]] {
        var links: [Int64: [(target: Int64, kind: String, rel: String?, nofollow: Bool, pageNofollow: Bool)]] = [:]
        for try await (source, target, kind, rel, nofollow, pageNofollow) in try await connection.query("""
            SELECT l.source_id, l.target_id, l.kind, l.rel, l.nofollow, p.nofollow FROM links l JOIN pages p ON p.url_id = l.source_id
            WHERE l.source_id = ANY(\(pages))
            """, logger: logger).decode((Int64, Int64, String, String?, Bool, Bool).self)
        {
            links[source, default: []].append((target, kind, rel, nofollow, pageNofollow))
        }
        return links
    }

    /// Writes a plan's rows but its new frontier rows: a statement per table, each batch one JSON document.
    private static func write(_ plan: CommitPlan, node: NodeID?, run: CrawlRunID?, connection: PostgresConnection, logger: Logger) async throws -> CommitSummary {
        let encoder = JSONEncoder()
        func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        var summary = plan.summary
        // The plan's new frontier rows are in already (insertFrontier).
        if !plan.frontierUpdates.isEmpty {
            try await connection.query("""
                UPDATE frontier f SET depth = x.d, state = x.s, discovered_by = coalesce(x.b, f.discovered_by)
                FROM json_to_recordset(\(try json(Array(plan.frontierUpdates.values)))::json) AS x(u bigint, d int, s smallint, b bigint)
                WHERE f.url_id = x.u
                """, logger: logger)
        }
        var inserted: [Int64] = []
        if !plan.pages.isEmpty {
            for try await id in try await connection.query("""
                INSERT INTO pages (url_id, run_id, node_id, depth, status, content_type, bytes, title, canonical_url, noindex,
                    redirect_target_id, error_kind, error_message, fetch_seconds, parse_seconds, fetched_at, nofollow)
                SELECT x.url_id, \(run?.rawValue), \(node?.rawValue), x.depth, x.status, x.content_type, x.bytes, x.title,
                    x.canonical_url, x.noindex, x.redirect_target_id, x.error_kind, x.error_message, x.fetch_seconds,
                    x.parse_seconds, x.fetched_at, x.nofollow
                FROM json_to_recordset(\(try json(plan.pages))::json) AS x(url_id bigint, depth int, status int, content_type text,
                    bytes bigint, title text, canonical_url text, noindex boolean, redirect_target_id bigint, error_kind text,
                    error_message text, fetch_seconds double precision, parse_seconds double precision, fetched_at double precision,
                    nofollow boolean)
                ORDER BY x.url_id
                ON CONFLICT (url_id) DO NOTHING RETURNING url_id
                """, logger: logger).decode(Int64.self)
            {
                inserted.append(id)
            }
        }
        // Another node stored some of these pages first (its lease had moved): they are kept once.
        let lost = plan.pages.count - inserted.count
        if lost > 0 {
            summary.pagesStored -= lost
            summary.duplicatePages += lost
            let kept = Set(inserted)
            summary.linksStored = plan.links.filter { kept.contains($0.s) }.count
        }
        if !plan.links.isEmpty, !inserted.isEmpty {
            try await connection.query("""
                INSERT INTO links (source_id, target_id, kind, rel, nofollow, anchor, count, lastmod)
                SELECT s, t, k, r, n, a, c, m FROM json_to_recordset(\(try json(plan.links))::json)
                    AS x(s bigint, t bigint, k text, r text, n boolean, a text, c int, m text)
                WHERE x.s = ANY(\(inserted))
                ON CONFLICT (source_id, target_id, kind) DO NOTHING
                """, logger: logger)
        }
        if !plan.loweredPages.isEmpty {
            let ids = Array(plan.loweredPages.keys), depths = ids.map { plan.loweredPages[$0]! }
            try await connection.query("""
                UPDATE pages p SET depth = x.d FROM unnest(\(ids)::bigint[], \(depths)::bigint[]) AS x(u, d)
                WHERE p.url_id = x.u AND p.depth > x.d
                """, logger: logger)
        }
        if let node, !inserted.isEmpty {
            try await connection.query("UPDATE nodes SET pages = pages + \(inserted.count) WHERE id = \(node.rawValue)", logger: logger)
        }
        return summary
    }
}
