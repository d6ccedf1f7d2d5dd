import CrawlerCore
import GRDB

extension GraphStore {
    /// Exports the link graph to `path` in `format`, at page or host level (see `ExportLevel`
    /// for which nodes and edges). Nodes carry url, host, status, depth, title, content type,
    /// error kind and message, canonical, noindex and PageRank, labelled with their title
    /// (host level: host, pages fetched, and the PageRank of the host graph itself); edges carry a
    /// weight and nofollow, and at page level the link's kind, every kind, rel and anchor text
    /// (see `EdgeAttribute`). Node ids are the URLs (host level: the hosts).
    ///
    /// `selection` (`--kinds`) keeps only the links of some kinds or roles, and the nodes they
    /// reach. PageRank is computed on the hyperlink graph among them (see `LinkGraph`), so
    /// stylesheets and images every page loads do not outrank the pages.
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
    ///
    /// `keeps`, when given, decides from its URL which nodes stay (`--internal-only` passes the
    /// crawl's scope); edges to or from a node left out go with it.
    public func export(
        format: ExportFormat, level: ExportLevel, to path: String, fetchedOnly: Bool = false, selection: LinkSelection = .all,
        keeps: ((String) -> Bool)? = nil
    ) throws -> ExportSummary {
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
                let graph = try LinkGraph(db, fetchedOnly: fetchedOnly, selection: selection, keeps: keeps)
                let pagerank = PageRank(graph: graph)
                var exporter = GraphStreamer(db: db, graph: graph, pagerank: pagerank, selection: selection, writer: writer)
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
    let selection: LinkSelection
    let writer: any GraphFormatWriter
    var classifier = LinkClassifier()
    var nodes = 0
    var edges = 0

    init(db: Database, graph: LinkGraph, pagerank: PageRank, selection: LinkSelection, writer: any GraphFormatWriter) {
        self.db = db
        self.graph = graph
        self.pagerank = pagerank
        self.selection = selection
        self.writer = writer
    }

    /// The selected link rows of one (source, target) pair, merged as they stream by (the rows
    /// of a pair are adjacent in `links`' key order).
    struct PairLinks {
        var sourceID: Int64
        var targetID: Int64
        var best: (kind: LinkKind, role: LinkRole, count: Int)
        var kinds: [LinkKind] = []
        var rels: [String] = []
        var anchor: String?
        var weight = 0
        var nofollow = true
        var followed = false

        /// The edge's `kind`: the one a reader would call the link (a hyperlink before a
        /// canonical before a redirect before a resource; the most frequent among equals).
        mutating func add(kind: LinkKind, role: LinkRole, rel: String?, nofollow: Bool, anchor: String?, count: Int) {
            if kinds.isEmpty || Self.rank(role) < Self.rank(best.role) || (role == best.role && count > best.count) {
                best = (kind, role, count)
                if let anchor { self.anchor = anchor }
            }
            if self.anchor == nil { self.anchor = anchor }
            kinds.append(kind)
            if let rel, !rels.contains(rel) { rels.append(rel) }
            weight += count
            self.nofollow = self.nofollow && nofollow
            followed = followed || role.isFollowedByDefault
        }

        private static func rank(_ role: LinkRole) -> Int {
            switch role {
            case .hyperlink: 0
            case .canonical: 1
            case .redirect: 2
            case .refresh: 3
            case .sitemap: 4
            case .alternate: 5
            case .resource: 6
            }
        }
    }

    /// Streams the selected links grouped by pair, in (source, target) order.
    mutating func forEachPair(extraColumns: String = "", joins: String = "", _ body: (PairLinks, Row) throws -> Void) throws {
        let rel = try GraphSchema.linkRelExpression(db)
        let rows = try Row.fetchCursor(db, sql: """
            SELECT l.source_id, l.target_id, l.kind, \(rel), l.nofollow, l.anchor, l.count\(extraColumns)
            FROM links l \(joins)
            ORDER BY l.source_id, l.target_id, l.kind
            """)
        var pending: (PairLinks, Row)?
        while let row = try rows.next() {
            let sourceID: Int64 = row[0], targetID: Int64 = row[1]
            let link = classifier.classify(kind: row[2], rel: row[3])
            guard selection.includes(link.kind, role: link.role) else { continue }
            if let current = pending, current.0.sourceID != sourceID || current.0.targetID != targetID {
                try body(current.0, current.1)
                pending = nil
            }
            if pending == nil {
                pending = (PairLinks(sourceID: sourceID, targetID: targetID, best: (link.kind, link.role, 0)), row.copy())
            }
            pending!.0.add(kind: link.kind, role: link.role, rel: row[3], nofollow: row[4], anchor: row[5], count: row[6])
        }
        if let last = pending { try body(last.0, last.1) }
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
        let graph = self.graph, writer = self.writer
        var written = 0
        try forEachPair(extraColumns: ", s.url, t.url", joins: "JOIN urls s ON s.id = l.source_id JOIN urls t ON t.id = l.target_id") { pair, row in
            guard graph.node(ofURLID: pair.sourceID) != nil, graph.node(ofURLID: pair.targetID) != nil else { return }
            try writer.edge(ExportEdge(
                source: row[7], target: row[8], weight: pair.weight, nofollow: pair.nofollow,
                kind: pair.best.kind.rawValue, kinds: pair.kinds.map(\.rawValue).joined(separator: " "),
                rel: pair.rels.isEmpty ? nil : pair.rels.joined(separator: " "), anchor: pair.anchor))
            written += 1
        }
        edges += written
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
        // Host pairs: distinct page-level pairs between them (nofollow when all are), and whether
        // any of them is a followed link (the host graph PageRank is computed on).
        struct HostPair: Hashable {
            var source: Int64
            var target: Int64
        }
        var pairs: [HostPair: (weight: Int, nofollow: Bool, followed: Bool)] = [:]
        let graph = self.graph
        try forEachPair(extraColumns: ", s.host_id, t.host_id", joins: "JOIN urls s ON s.id = l.source_id JOIN urls t ON t.id = l.target_id") { pair, row in
            guard graph.node(ofURLID: pair.sourceID) != nil, graph.node(ofURLID: pair.targetID) != nil else { return }
            let key = HostPair(source: row[7], target: row[8])
            var totals = pairs[key] ?? (0, true, false)
            totals.weight += 1
            totals.nofollow = totals.nofollow && pair.nofollow
            totals.followed = totals.followed || pair.followed
            pairs[key] = totals
        }
        let orderedPairs = pairs.keys.sorted { ($0.source, $0.target) < ($1.source, $1.target) }
        let hostEdges = orderedPairs.compactMap { pair -> (Int, Int)? in
            guard pairs[pair]!.followed, let source = index[pair.source], let target = index[pair.target], source != target else { return nil }
            return (source, target)
        }
        let hostRank = PageRank(graph: LinkGraph(nodeCount: hosts.count, edges: hostEdges))
        for (position, host) in hosts.enumerated() {
            let name = names[host] ?? "host-\(host)"
            try writer.node(ExportNode(id: name, url: nil, host: name, pages: totals[host]!.pages, pagerank: hostRank.scores[position]))
            nodes += 1
        }
        for pair in orderedPairs {
            let source = names[pair.source] ?? "host-\(pair.source)"
            let target = names[pair.target] ?? "host-\(pair.target)"
            let totals = pairs[pair]!
            try writer.edge(ExportEdge(source: source, target: target, weight: totals.weight, nofollow: totals.nofollow))
            edges += 1
        }
    }
}
