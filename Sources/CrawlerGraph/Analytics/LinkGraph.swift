import CrawlerCore
import GRDB

/// The link graph as integer arrays (compressed sparse rows), built from the `links` table for
/// the algorithms that need random access (PageRank, components, degrees).
///
/// Nodes are every page row plus every link target that was never fetched, numbered densely
/// `0..<nodeCount` in URL-id order. Edges are the distinct (source page, target URL) pairs of
/// the hyperlink graph (see `init(_:fetchedOnly:selection:)`), duplicates on a page counted
/// once, self-links kept. Memory: 4 bytes per edge plus about 16 bytes per URL id.
public struct LinkGraph: Sendable {
    /// Node index of each URL id, -1 for URL ids that are not nodes (e.g. queued seeds).
    let nodeOfURLID: [Int32]
    /// URL id of each node.
    public let urlIDs: [Int64]
    /// `targets[offsets[node]..<offsets[node + 1]]` are the node's successors.
    let offsets: [Int32]
    let targets: [Int32]

    /// Number of nodes.
    public var nodeCount: Int { urlIDs.count }
    /// Only pages that got a response are nodes (`init(_:fetchedOnly:)`).
    public private(set) var fetchedOnly = false
    /// Number of distinct edges.
    public var edgeCount: Int { targets.count }

    /// A graph from explicit edges over nodes `0..<nodeCount` (tests, and callers with their own data).
    public init(nodeCount: Int, edges: [(Int, Int)]) {
        var outDegree = [Int32](repeating: 0, count: nodeCount + 1)
        for (source, _) in edges { outDegree[source + 1] += 1 }
        for node in 0..<nodeCount { outDegree[node + 1] += outDegree[node] }
        var fill = outDegree
        var targets = [Int32](repeating: 0, count: edges.count)
        for (source, target) in edges {
            targets[Int(fill[source])] = Int32(target)
            fill[source] += 1
        }
        self.offsets = outDegree
        self.targets = targets
        self.urlIDs = (0..<nodeCount).map { Int64($0) }
        self.nodeOfURLID = (0..<nodeCount).map { Int32($0) }
    }

    /// Reads the graph from the store's tables, in the caller's read transaction.
    ///
    /// Nodes: every page row, plus the targets of the `selection`'s links; with `fetchedOnly`,
    /// only the pages that got a response (any status), without the targets never fetched.
    /// Edges: the distinct (source, target) pairs between nodes linked by a selected link
    /// whose role a crawl follows by default (`LinkRole.isFollowedByDefault`: hyperlinks,
    /// canonical, redirects): the hyperlink graph PageRank and in-degrees are computed on, so a
    /// stylesheet every page loads does not top them.
    ///
    /// `keeps`, when given, decides from its URL whether a node stays (`--internal-only`).
    init(_ db: Database, fetchedOnly: Bool = false, selection: LinkSelection = .all, keeps: ((String) -> Bool)? = nil) throws {
        let maxID = Int(try Int64.fetchOne(db, sql: "SELECT max(id) FROM urls") ?? 0)
        var isNode = [Bool](repeating: false, count: maxID + 1)
        let rel = try GraphSchema.linkRelExpression(db)
        var classifier = LinkClassifier()
        let pageQuery = fetchedOnly ? "SELECT url_id FROM pages WHERE status IS NOT NULL" : "SELECT url_id FROM pages"
        let pages = try Int64.fetchCursor(db, sql: pageQuery)
        while let id = try pages.next() { isNode[Int(id)] = true }
        if !fetchedOnly {
            let targets = try Row.fetchCursor(db, sql: "SELECT l.target_id, l.kind, \(rel) FROM links l")
            while let row = try targets.next() {
                let link = classifier.classify(kind: row[1], rel: row[2])
                if selection.includes(link.kind, role: link.role) { isNode[Int(row[0] as Int64)] = true }
            }
        }
        if let keeps {
            let urls = try Row.fetchCursor(db, sql: "SELECT id, url FROM urls")
            while let row = try urls.next() {
                let id = Int(row[0] as Int64)
                if isNode[id], !keeps(row[1]) { isNode[id] = false }
            }
        }
        var nodeOfURLID = [Int32](repeating: -1, count: maxID + 1)
        var urlIDs: [Int64] = []
        for id in 0...maxID where isNode[id] {
            nodeOfURLID[id] = Int32(urlIDs.count)
            urlIDs.append(Int64(id))
        }
        // `links` is a WITHOUT ROWID table keyed by (source_id, target_id, kind): scanning it
        // yields edges sorted by source, and sources in URL-id order are sources in node order;
        // the rows of one pair are adjacent, so a pair is counted once.
        var offsets = [Int32](repeating: 0, count: urlIDs.count + 1)
        var targets: [Int32] = []
        var lastPair: (Int64, Int64) = (-1, -1)
        let edges = try Row.fetchCursor(db, sql: "SELECT l.source_id, l.target_id, l.kind, \(rel) FROM links l ORDER BY l.source_id, l.target_id")
        while let row = try edges.next() {
            let sourceID: Int64 = row[0], targetID: Int64 = row[1]
            guard (sourceID, targetID) != lastPair else { continue }
            let link = classifier.classify(kind: row[2], rel: row[3])
            guard link.role.isFollowedByDefault, selection.includes(link.kind, role: link.role) else { continue }
            let source = nodeOfURLID[Int(sourceID)], target = nodeOfURLID[Int(targetID)]
            guard source >= 0, target >= 0 else { continue }  // an end left out (fetchedOnly)
            lastPair = (sourceID, targetID)
            targets.append(target)
            offsets[Int(source) + 1] += 1
        }
        for node in 0..<urlIDs.count { offsets[node + 1] += offsets[node] }
        self.nodeOfURLID = nodeOfURLID
        self.urlIDs = urlIDs
        self.offsets = offsets
        self.targets = targets
        self.fetchedOnly = fetchedOnly
    }

    /// The node of a URL id, nil when that URL is not a node.
    public func node(ofURLID id: Int64) -> Int? {
        guard id >= 0, id < nodeOfURLID.count else { return nil }
        let node = nodeOfURLID[Int(id)]
        return node < 0 ? nil : Int(node)
    }

    /// Successors of `node`.
    func successors(of node: Int) -> ArraySlice<Int32> {
        targets[Int(offsets[node])..<Int(offsets[node + 1])]
    }

    /// Distinct pages linking to each node.
    public func inDegrees() -> [Int] {
        var degrees = [Int](repeating: 0, count: nodeCount)
        for target in targets { degrees[Int(target)] += 1 }
        return degrees
    }
}
