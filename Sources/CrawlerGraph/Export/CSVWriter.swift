/// Writes two RFC 4180 files (CRLF line ends, a header row): nodes (`id` then the level's
/// attributes) and edges (`source,target,weight,nofollow`, then at page level
/// `kind,kinds,rel,anchor`). Given `x.csv` the files are
/// `x.nodes.csv` and `x.edges.csv`; given a path not ending in `.csv`, `.nodes.csv` and
/// `.edges.csv` are appended to it.
final class CSVWriter: GraphFormatWriter {
    private let nodesOutput: BufferedOutput
    private let edgesOutput: BufferedOutput
    private var attributes: [NodeAttribute] = []
    private var edgeAttributes: [EdgeAttribute] = []

    /// The two paths an export to `path` writes.
    static func paths(for path: String) -> (nodes: String, edges: String) {
        let stem = path.hasSuffix(".csv") ? String(path.dropLast(4)) : path
        return (stem + ".nodes.csv", stem + ".edges.csv")
    }

    init(path: String) throws {
        let paths = Self.paths(for: path)
        nodesOutput = try BufferedOutput(path: paths.nodes)
        do {
            edgesOutput = try BufferedOutput(path: paths.edges)
        } catch {
            nodesOutput.discard()
            throw error
        }
    }

    var files: [String] { [nodesOutput.path, edgesOutput.path] }

    func begin(level: ExportLevel) throws {
        attributes = NodeAttribute.attributes(for: level)
        try nodesOutput.write((["id"] + attributes.map(\.rawValue)).joined(separator: ",") + "\r\n")
        edgeAttributes = EdgeAttribute.attributes(for: level)
        try edgesOutput.write((["source", "target", "weight", "nofollow"] + edgeAttributes.map(\.rawValue)).joined(separator: ",") + "\r\n")
    }

    func node(_ node: ExportNode) throws {
        let fields = [Escaping.csv(node.id)] + attributes.map { Escaping.csv($0.value(of: node) ?? "") }
        try nodesOutput.write(fields.joined(separator: ",") + "\r\n")
    }

    func edge(_ edge: ExportEdge) throws {
        var text = "\(Escaping.csv(edge.source)),\(Escaping.csv(edge.target)),\(edge.weight),\(edge.nofollow)"
        for attribute in edgeAttributes { text += "," + Escaping.csv(attribute.value(of: edge) ?? "") }
        try edgesOutput.write(text + "\r\n")
    }

    func finish() throws {
        try nodesOutput.finish()
        try edgesOutput.finish()
    }

    func discard() {
        nodesOutput.discard()
        edgesOutput.discard()
    }
}
