import GRDB

extension GraphStore {
    /// Computes the statistics of the crawl stored here, from one consistent snapshot.
    /// `top` bounds the host list and the two top-page lists.
    ///
    /// `crawling` says whether a crawler is writing the crawl now (default: whether one holds
    /// this database's lock); `database` is the name shown (default: this file's path), for a
    /// snapshot of another store.
    public func stats(top: Int = 10, crawling: Bool? = nil, database: String? = nil) throws -> GraphStats {
        let crawling = crawling ?? DatabaseLock.isHeld(databasePath: path)
        return try read { db in try StatsQuery(db: db, top: top, crawling: crawling).run(database: database ?? path) }
    }
}

/// The queries behind `GraphStats`.
private struct StatsQuery {
    let db: Database
    let top: Int
    /// A crawler holds the database's lock: a run without an end is running, not killed.
    let crawling: Bool

    func run(database: String) throws -> GraphStats {
        let graph = try LinkGraph(db)
        let pagerank = PageRank(graph: graph)
        let components = StronglyConnectedComponents(graph: graph)
        let inDegrees = graph.inDegrees()
        let sizes = components.sizes.sorted(by: >)
        let lastRun = try Row.fetchOne(db, sql: "SELECT ended_at, outcome FROM runs ORDER BY id DESC LIMIT 1")
        let lastOutcome: String? = lastRun.map { row in
            if let outcome = row[1] as String? { return outcome }
            guard (row[0] as Double?) == nil else { return "unknown" }
            return crawling ? "running" : "interrupted (no crawler holds it: crawler crawl --resume continues it)"
        }

        return GraphStats(
            database: database,
            totals: try totals(),
            frontier: try GraphStore.frontierCounts(db),
            runs: try Int.fetchOne(db, sql: "SELECT count(*) FROM runs") ?? 0,
            lastRunOutcome: lastOutcome,
            phaseSeconds: try phaseSeconds(),
            byStatus: try counts("""
                SELECT coalesce(CAST(status AS TEXT), 'error'), count(*) FROM pages GROUP BY 1 ORDER BY 2 DESC, 1
                """),
            byError: try counts("""
                SELECT error_kind, count(*) FROM pages WHERE error_kind IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1
                """),
            byContentType: try counts("""
                SELECT coalesce(content_type, '(none)'), count(*) FROM pages WHERE status IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1
                """),
            byHost: try counts("""
                SELECT h.name, count(*) FROM pages p JOIN urls u ON u.id = p.url_id JOIN hosts h ON h.id = u.host_id
                GROUP BY u.host_id ORDER BY 2 DESC, 1 LIMIT \(top)
                """),
            depthHistogram: try Row.fetchAll(db, sql: "SELECT depth, count(*) FROM pages GROUP BY depth ORDER BY depth")
                .map { GraphStats.DepthCount(depth: $0[0], pages: $0[1]) },
            topByInDegree: try ranked(Self.topNodes(inDegrees.map(Double.init), count: top), graph, inDegrees, pagerank),
            topByPageRank: try ranked(Self.topNodes(pagerank.scores, count: top), graph, inDegrees, pagerank),
            graph: GraphStats.GraphShape(
                nodes: graph.nodeCount, edges: graph.edgeCount,
                pagerankIterations: pagerank.iterations, pagerankConverged: pagerank.converged,
                components: components.count, largestComponent: sizes.first ?? 0,
                singletonComponents: sizes.reduce(0) { $0 + ($1 == 1 ? 1 : 0) },
                largestComponentSizes: Array(sizes.prefix(top))))
    }

    private func totals() throws -> GraphStats.Totals {
        let pages = try Row.fetchOne(db, sql: """
            SELECT count(*), count(status), count(error_kind), coalesce(sum(bytes), 0) FROM pages
            """)!
        let links = try Row.fetchOne(db, sql: "SELECT count(*), coalesce(sum(count), 0) FROM links")!
        return GraphStats.Totals(
            pages: pages[0], withStatus: pages[1], withError: pages[2],
            links: links[0], linkOccurrences: links[1],
            urls: try Int.fetchOne(db, sql: "SELECT count(*) FROM urls") ?? 0,
            hosts: try Int.fetchOne(db, sql: "SELECT count(*) FROM hosts") ?? 0,
            bytes: pages[3])
    }

    private func phaseSeconds() throws -> GraphStats.PhaseSeconds {
        let row = try Row.fetchOne(db, sql: """
            SELECT coalesce(sum(fetch_seconds), 0), coalesce(avg(fetch_seconds), 0),
                   coalesce(sum(parse_seconds), 0), coalesce(avg(parse_seconds), 0) FROM pages
            """)!
        return GraphStats.PhaseSeconds(fetchTotal: row[0], fetchMean: row[1], parseTotal: row[2], parseMean: row[3])
    }

    private func counts(_ sql: String) throws -> [GraphStats.LabeledCount] {
        try Row.fetchAll(db, sql: sql).map { GraphStats.LabeledCount(label: $0[0], pages: $0[1]) }
    }

    /// The `count` nodes with the largest values, largest first, ties by node order; a bounded
    /// insertion list, so a million nodes cost one pass and no sort.
    static func topNodes(_ values: [Double], count: Int) -> [Int] {
        var best: [Int] = []
        guard count > 0 else { return best }
        for node in values.indices {
            if best.count == count, values[node] <= values[best[best.count - 1]] { continue }
            var position = best.count
            while position > 0, values[best[position - 1]] < values[node] { position -= 1 }
            best.insert(node, at: position)
            if best.count > count { best.removeLast() }
        }
        return best
    }

    private func ranked(_ nodes: [Int], _ graph: LinkGraph, _ inDegrees: [Int], _ pagerank: PageRank) throws -> [GraphStats.RankedPage] {
        let statement = try db.cachedStatement(sql: "SELECT u.url, p.title FROM urls u LEFT JOIN pages p ON p.url_id = u.id WHERE u.id = ?")
        return try nodes.compactMap { node in
            guard let row = try Row.fetchOne(statement, arguments: [graph.urlIDs[node]]) else { return nil }
            return GraphStats.RankedPage(url: row[0], title: row[1], inDegree: inDegrees[node], pagerank: pagerank.scores[node])
        }
    }
}
