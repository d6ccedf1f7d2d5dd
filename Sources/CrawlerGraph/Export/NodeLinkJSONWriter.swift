/// Writes NetworkX's node-link JSON, one node or edge per line:
/// `{"directed": true, "multigraph": false, "graph": {...}, "nodes": [{"id": ...}], "edges": [{"source": ..., "target": ...}]}`.
/// NetworkX 3.4+ reads it with `node_link_graph(data)` (its default edges key is `edges`).
/// Missing values are left out rather than written as `null`.
final class NodeLinkJSONWriter: GraphFormatWriter {
    private let output: BufferedOutput
    private var attributes: [NodeAttribute] = []
    private var edgeAttributes: [EdgeAttribute] = []
    private var nodeCount = 0
    private var edgeCount = 0
    private var inEdges = false

    init(path: String) throws { output = try BufferedOutput(path: path) }

    var files: [String] { [output.path] }

    func begin(level: ExportLevel) throws {
        attributes = NodeAttribute.attributes(for: level)
        edgeAttributes = EdgeAttribute.attributes(for: level)
        try output.write("{\"directed\": true, \"multigraph\": false, \"graph\": {\"level\": \(Escaping.json(level.rawValue))},\n\"nodes\": [\n")
    }

    func node(_ node: ExportNode) throws {
        var text = nodeCount == 0 ? "" : ",\n"
        text += "{\"id\": \(Escaping.json(node.id))"
        for attribute in attributes {
            guard let value = attribute.value(of: node) else { continue }
            let encoded = attribute.kind == .string ? Escaping.json(value) : value
            text += ", \"\(attribute.rawValue)\": \(encoded)"
        }
        try output.write(text + "}")
        nodeCount += 1
    }

    private func startEdges() throws {
        guard !inEdges else { return }
        inEdges = true
        try output.write("\n],\n\"edges\": [\n")
    }

    func edge(_ edge: ExportEdge) throws {
        try startEdges()
        let separator = edgeCount == 0 ? "" : ",\n"
        var text = "\(separator){\"source\": \(Escaping.json(edge.source)), \"target\": \(Escaping.json(edge.target)), \"weight\": \(edge.weight), \"nofollow\": \(edge.nofollow)"
        for attribute in edgeAttributes {
            guard let value = attribute.value(of: edge) else { continue }
            text += ", \"\(attribute.rawValue)\": \(Escaping.json(value))"
        }
        try output.write(text + "}")
        edgeCount += 1
    }

    func finish() throws {
        try startEdges()
        try output.write("\n]}\n")
        try output.finish()
    }

    func discard() { output.discard() }
}
