/// The file formats `GraphStore.export(format:level:to:)` writes.
public enum ExportFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// GraphML (XML) for Gephi, NetworkX (`read_graphml`), igraph, yEd.
    case graphml
    /// GEXF 1.2 (XML) for Gephi and NetworkX (`read_gexf`); the edge weight is GEXF's own `weight`.
    case gexf
    /// Graphviz DOT (`digraph`).
    case dot
    /// Two RFC 4180 files (CRLF line ends): given `x.csv`, `x.nodes.csv` and `x.edges.csv`.
    case csv
    /// NetworkX's node-link JSON: `{"directed", "multigraph", "graph", "nodes", "edges", "links"}`,
    /// the edges under both keys, so `networkx.node_link_graph(data)` loads it in NetworkX 3.2
    /// to 3.5 (which read `links`) and 3.6 on (which read `edges`).
    case json
    /// One `source<TAB>target` line per distinct link (URLs, or hosts at host level).
    case edgelist

    /// The usual file extension.
    public var fileExtension: String {
        switch self {
        case .graphml: "graphml"
        case .gexf: "gexf"
        case .dot: "dot"
        case .csv: "csv"
        case .json: "json"
        case .edgelist: "tsv"
        }
    }
}

/// The edge attributes an export carries beyond `weight` and `nofollow`, by level; one list
/// serves every format so they cannot disagree. All are strings.
enum EdgeAttribute: String, CaseIterable {
    case kind, kinds, rel, anchor

    static func attributes(for level: ExportLevel) -> [EdgeAttribute] {
        switch level {
        case .page: allCases
        case .host: []
        }
    }

    /// The edge's value, as text not yet escaped; nil when it has none.
    func value(of edge: ExportEdge) -> String? {
        switch self {
        case .kind: edge.kind
        case .kinds: edge.kinds
        case .rel: edge.rel
        case .anchor: edge.anchor
        }
    }
}

/// What a node of an export stands for.
public enum ExportLevel: String, Sendable, Hashable, CaseIterable, Codable {
    /// One node per URL: every page row (fetched or failed) plus every link target that was
    /// never fetched (its `status` is empty); one edge per distinct (page, target) link, its
    /// weight the number of times the page links there.
    case page
    /// One node per host (`host[:port]`) holding any page-level node; one edge per pair of
    /// hosts with links between their pages, its weight the number of distinct page-level
    /// links (self-loops are the links inside a host).
    case host
}

/// What an export wrote.
public struct ExportSummary: Sendable, Hashable, Codable {
    /// Nodes written.
    public var nodes: Int
    /// Edges written.
    public var edges: Int
    /// The files written.
    public var files: [String]
}

/// One node as the exporters see it. Page level: `id` is the URL; host level: the host.
struct ExportNode {
    var id: String
    var url: String?
    var host: String
    var status: Int?
    var depth: Int?
    var title: String?
    /// The media type the page was served as.
    var contentType: String? = nil
    /// Why the page failed or was skipped (`FetchError.kind`, `http-404` is in `status`), and how.
    var errorKind: String? = nil
    var errorMessage: String? = nil
    /// `<link rel=canonical>`.
    var canonical: String? = nil
    /// `<meta name=robots content=noindex>` (1) or not (0); nil when never fetched.
    var noindex: Int? = nil
    /// Host level: pages fetched on the host.
    var pages: Int?
    var pagerank: Double

    /// What a viewer shows for the node: the page's title where it has one, else its URL (host
    /// level: the host).
    var label: String {
        if let title, !title.isEmpty { return title }
        return url ?? host
    }
}

/// One edge as the exporters see it: one per (source, target) pair, whatever the ways the
/// page links there.
struct ExportEdge {
    var source: String
    var target: String
    /// How many links: occurrences on the page (host level: distinct page-level pairs).
    var weight: Int
    var nofollow: Bool
    /// Page level: the link's kind (`LinkKind`), the strongest when a page links there several ways.
    var kind: String? = nil
    /// Page level: every kind the page links there by, space-separated (`a link`).
    var kinds: String? = nil
    /// Page level: the `rel` tokens of those links, when any.
    var rel: String? = nil
    /// Page level: the first non-empty anchor text.
    var anchor: String? = nil
}

/// A format's writer: the exporter feeds it every node, then every edge, streaming.
protocol GraphFormatWriter: AnyObject {
    func begin(level: ExportLevel) throws
    func node(_ node: ExportNode) throws
    func edge(_ edge: ExportEdge) throws
    /// Completes the files; nothing is visible at the destination before this returns.
    func finish() throws
    /// Removes partial output after a failure.
    func discard()
    var files: [String] { get }
}
