/// Writes NetworkX's node-link JSON, one node or edge per line:
/// `{"directed": true, "multigraph": false, "graph": {...}, "nodes": [{"id": ...}], "edges": [...], "links": [...]}`.
/// The edges are written twice, under `edges` (the key `node_link_graph(data)` reads by default
/// from NetworkX 3.6) and under `links` (its default from 2.0 to 3.5), so the default call loads
/// the file in every NetworkX from 3.2 on; the second copy waits in a `SpillFile` while the
/// edges stream. Missing values are left out rather than written as `null`.
final class NodeLinkJSONWriter: GraphFormatWriter {
    private let output: BufferedOutput
    private let links: SpillFile
    private var attributes: [NodeAttribute] = []
    private var edgeAttributes: [EdgeAttribute] = []
    private var nodeCount = 0
    private var edgeCount = 0
    private var inEdges = false

    init(path: String) throws {
        output = try BufferedOutput(path: path)
        do {
            links = try SpillFile(besides: path)
        } catch {
            output.discard()
            throw error
        }
    }

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
        try links.write(text + "}")
        edgeCount += 1
    }

    func finish() throws {
        try startEdges()
        try output.write("\n],\n\"links\": [\n")
        try links.copy(into: output)
        try output.write("\n]}\n")
        try output.finish()
    }

    func discard() { output.discard() }
}
