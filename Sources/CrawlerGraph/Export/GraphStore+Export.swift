import GRDB

extension GraphStore {
    /// Exports the link graph to `path` in `format`, at page or host level (see `ExportLevel`
    /// for which nodes and edges). Nodes carry url, host, status, depth, title, content type,
    /// error kind and message, canonical, noindex and PageRank, labelled with their title
    /// (host level: host, pages fetched, and the PageRank of the host graph itself); edges carry a
    /// weight and nofollow. Node ids are the URLs (host level: the hosts).
    ///
    /// The export reads one consistent snapshot (a crawl may be writing meanwhile) and streams
    /// rows from the database to a buffered file: only the PageRank computation holds the graph
    /// in memory, as integer arrays. Files appear at their final path only when complete (a temporary file renamed into place),
    /// and only a regular file that is not one of the database's files is ever replaced.
    /// `.csv` writes two files (see `ExportFormat.csv`); `summary.files` lists what was written.
    ///
    /// - Throws: `GraphStoreError` `.exportRefused` (a directory, link, device or the database is in
    ///   the way), `.exportFailed` (the file cannot be written), `.sqlite`.
    ///
    /// With `fetchedOnly`, only pages that got a response are nodes (targets never fetched,
    /// often most of a crawl's URLs, are left out with their edges) and PageRank is computed
    /// on that graph.
    @discardableResult
    public func export(format: ExportFormat, level: ExportLevel, to path: String, fetchedOnly: Bool = false) throws -> ExportSummary {
        let destinations = format == .csv ? [CSVWriter.paths(for: path).nodes, CSVWriter.paths(for: path).edges] : [path]
        for destination in destinations { try ExportDestination.check(destination, database: self.path) }
        let writer: any GraphFormatWriter = switch format {
        case .graphml: try GraphMLWriter(path: path)
        case .gexf: try GEXFWriter(path: path)
        case .dot: try DOTWriter(path: path)
        case .csv: try CSVWriter(path: path)
        case .json: try NodeLinkJSONWriter(path: path)
        case .edgelist: try EdgeListWriter(path: path)
        }
        do {
            let (nodes, edges) = try read { db in
                let graph = try LinkGraph(db, fetchedOnly: fetchedOnly)
                let pagerank = PageRank(graph: graph)
                var exporter = GraphStreamer(db: db, graph: graph, pagerank: pagerank, writer: writer)
                try writer.begin(level: level)
                switch level {
                case .page: try exporter.streamPages()
                case .host: try exporter.streamHosts()
                }
                return (exporter.nodes, exporter.edges)
            }
            try writer.finish()
            return ExportSummary(nodes: nodes, edges: edges, files: writer.files)
        } catch {
            writer.discard()
            throw error
        }
    }
}

/// Feeds a format writer from database cursors, nodes first, then edges.
private struct GraphStreamer {
    let db: Database
    let graph: LinkGraph
    let pagerank: PageRank
    let writer: any GraphFormatWriter
    var nodes = 0
    var edges = 0

    init(db: Database, graph: LinkGraph, pagerank: PageRank, writer: any GraphFormatWriter) {
        self.db = db
        self.graph = graph
        self.pagerank = pagerank
        self.writer = writer
    }

    mutating func streamPages() throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT u.id, u.url, h.name, p.status, coalesce(p.depth, f.depth), p.title,
                p.content_type, p.error_kind, p.error_message, p.canonical_url, p.noindex
            FROM urls u JOIN hosts h ON h.id = u.host_id
            LEFT JOIN pages p ON p.url_id = u.id
            LEFT JOIN frontier f ON f.url_id = u.id
            ORDER BY u.id
            """)
        while let row = try rows.next() {
            guard let node = graph.node(ofURLID: row[0]) else { continue }
            let url: String = row[1]
            try writer.node(ExportNode(
                id: url, url: url, host: row[2], status: row[3], depth: row[4], title: row[5],
                contentType: row[6], errorKind: row[7], errorMessage: row[8], canonical: row[9], noindex: row[10],
                pages: nil, pagerank: pagerank.scores[node]))
            nodes += 1
        }
        let links = try Row.fetchCursor(db, sql: """
            SELECT s.url, t.url, l.count, l.nofollow, l.source_id, l.target_id
            FROM links l JOIN urls s ON s.id = l.source_id JOIN urls t ON t.id = l.target_id
            ORDER BY l.source_id, l.target_id
            """)
        while let row = try links.next() {
            guard graph.node(ofURLID: row[4]) != nil, graph.node(ofURLID: row[5]) != nil else { continue }
            try writer.edge(ExportEdge(source: row[0], target: row[1], weight: row[2], nofollow: row[3]))
            edges += 1
        }
    }

    /// Host level keeps one small record per host, and the host edges, in memory (hosts are few
    /// next to URLs). A host's PageRank is that of the host graph (distinct host-to-host links,
    /// a host's links to itself left out), not the sum of its pages' scores: summed, an
    /// uncrawled host that many pages link to once each (every URL of it a dangling node)
    /// outranks the hosts that were crawled.
    mutating func streamHosts() throws {
        struct HostTotals {
            var isNode = false
            var pages = 0
        }
        var names: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, name FROM hosts") { names[row[0]] = row[1] }
        var totals: [Int64: HostTotals] = [:]
        let urls = try Row.fetchCursor(db, sql: """
            SELECT u.id, u.host_id, p.url_id IS NOT NULL FROM urls u LEFT JOIN pages p ON p.url_id = u.id
            """)
        while let row = try urls.next() {
            guard graph.node(ofURLID: row[0]) != nil else { continue }
            let host: Int64 = row[1]
            totals[host, default: HostTotals()].isNode = true
            if row[2] as Bool { totals[host]!.pages += 1 }
        }
        let hosts = totals.keys.sorted()
        let index = Dictionary(uniqueKeysWithValues: hosts.enumerated().map { ($1, $0) })
        let pairs = try Row.fetchAll(db, sql: """
            SELECT s.host_id, t.host_id, count(*), min(l.nofollow)
            FROM links l JOIN urls s ON s.id = l.source_id JOIN urls t ON t.id = l.target_id
            \(graph.fetchedOnly ? "JOIN pages tp ON tp.url_id = l.target_id AND tp.status IS NOT NULL JOIN pages sp ON sp.url_id = l.source_id AND sp.status IS NOT NULL" : "")
            GROUP BY s.host_id, t.host_id ORDER BY s.host_id, t.host_id
            """)
        let hostEdges = pairs.compactMap { row -> (Int, Int)? in
            guard let source = index[row[0]], let target = index[row[1]], source != target else { return nil }
            return (source, target)
        }
        let hostRank = PageRank(graph: LinkGraph(nodeCount: hosts.count, edges: hostEdges))
        for (position, host) in hosts.enumerated() {
            let name = names[host] ?? "host-\(host)"
            try writer.node(ExportNode(id: name, url: nil, host: name, pages: totals[host]!.pages, pagerank: hostRank.scores[position]))
            nodes += 1
        }
        for row in pairs {
            let source = names[row[0]] ?? "host-\(row[0] as Int64)"
            let target = names[row[1]] ?? "host-\(row[1] as Int64)"
            try writer.edge(ExportEdge(source: source, target: target, weight: row[2], nofollow: row[3]))
            edges += 1
        }
    }
}
