/// The node attributes an export carries, by level, with their types; one list serves every
/// format so they cannot disagree.
enum NodeAttribute: String, CaseIterable {
    case url, host, status, depth, title, contentType = "content_type", errorKind = "error_kind",
        errorMessage = "error_message", canonical, noindex, pages, pagerank

    enum Kind { case string, int, double }

    var kind: Kind {
        switch self {
        case .url, .host, .title, .contentType, .errorKind, .errorMessage, .canonical: .string
        case .status, .depth, .pages, .noindex: .int
        case .pagerank: .double
        }
    }

    static func attributes(for level: ExportLevel) -> [NodeAttribute] {
        switch level {
        case .page: [.url, .host, .status, .depth, .title, .contentType, .errorKind, .errorMessage, .canonical, .noindex, .pagerank]
        case .host: [.host, .pages, .pagerank]
        }
    }

    /// The node's value, as text not yet escaped; nil when the node has none (never fetched, no title).
    func value(of node: ExportNode) -> String? {
        switch self {
        case .url: node.url
        case .host: node.host
        case .status: node.status.map(String.init)
        case .depth: node.depth.map(String.init)
        case .title: node.title
        case .contentType: node.contentType
        case .errorKind: node.errorKind
        case .errorMessage: node.errorMessage
        case .canonical: node.canonical
        case .noindex: node.noindex.map(String.init)
        case .pages: node.pages.map(String.init)
        case .pagerank: String(node.pagerank)
        }
    }
}
