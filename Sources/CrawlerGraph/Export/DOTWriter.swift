/// Writes a Graphviz `digraph`: node ids are the quoted URLs (or hosts), the attributes ride
/// along as DOT attributes (Graphviz keeps unknown ones), nofollow edges are dashed, and the
/// edge `weight` (an integer, as `dot` requires) is the link count.
///
/// A page-level graph asks for the `sfdp` layout (a force-directed layout for large graphs):
/// `dot`'s hierarchical layout never finishes on a crawl of 10,000 pages, while `sfdp` draws it
/// in seconds, and `dot -Tsvg FILE` honours the file's `layout`. Host-level graphs are small and
/// keep `dot`'s layout.
final class DOTWriter: GraphFormatWriter {
    private let output: BufferedOutput
    private var attributes: [NodeAttribute] = []
    private var edgeAttributes: [EdgeAttribute] = []

    init(path: String) throws { output = try BufferedOutput(path: path) }

    var files: [String] { [output.path] }

    func begin(level: ExportLevel) throws {
        attributes = NodeAttribute.attributes(for: level)
        edgeAttributes = EdgeAttribute.attributes(for: level)
        try output.write("digraph \(Escaping.dot("crawl-" + level.rawValue)) {\n")
        if level == .page { try output.write("  graph [layout=sfdp, overlap=prism, outputorder=edgesfirst];\n") }
    }

    func node(_ node: ExportNode) throws {
        var pairs = ["label=" + Escaping.dot(node.label)]
        for attribute in attributes {
            guard let value = attribute.value(of: node) else { continue }
            // DOT's `URL` attribute would turn SVG nodes into links; `url` (lower case) is ours.
            pairs.append(attribute.rawValue + "=" + Escaping.dot(value))
        }
        try output.write("  \(Escaping.dot(node.id)) [\(pairs.joined(separator: ", "))];\n")
    }

    func edge(_ edge: ExportEdge) throws {
        var text = "  \(Escaping.dot(edge.source)) -> \(Escaping.dot(edge.target)) [weight=\(edge.weight), nofollow=\(edge.nofollow)"
        for attribute in edgeAttributes {
            guard let value = attribute.value(of: edge) else { continue }
            // DOT's own `label` would draw the anchor text on every edge: ours is `anchor`.
            text += ", \(attribute.rawValue)=" + Escaping.dot(value)
        }
        if edge.nofollow { text += ", style=dashed" }
        try output.write(text + "];\n")
    }

    func finish() throws {
        try output.write("}\n")
        try output.finish()
    }

    func discard() { output.discard() }
}
