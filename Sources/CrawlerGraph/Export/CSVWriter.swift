/// Writes two RFC 4180 files (CRLF line ends, a header row): nodes (`id` then the level's
/// attributes) and edges (`source,target,weight,nofollow`). Given `x.csv` the files are
/// `x.nodes.csv` and `x.edges.csv`; given a path not ending in `.csv`, `.nodes.csv` and
/// `.edges.csv` are appended to it.
final class CSVWriter: GraphFormatWriter {
    private let nodesOutput: BufferedOutput
    private let edgesOutput: BufferedOutput
    private var attributes: [NodeAttribute] = []

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
        try edgesOutput.write("source,target,weight,nofollow\r\n")
    }

    func node(_ node: ExportNode) throws {
        let fields = [Escaping.csv(node.id)] + attributes.map { Escaping.csv($0.value(of: node) ?? "") }
        try nodesOutput.write(fields.joined(separator: ",") + "\r\n")
    }

    func edge(_ edge: ExportEdge) throws {
        try edgesOutput.write("\(Escaping.csv(edge.source)),\(Escaping.csv(edge.target)),\(edge.weight),\(edge.nofollow)\r\n")
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
