/// Writes `source<TAB>target` lines, one per distinct edge; nodes without edges do not appear.
final class EdgeListWriter: GraphFormatWriter {
    private let output: BufferedOutput

    init(path: String) throws { output = try BufferedOutput(path: path) }

    var files: [String] { [output.path] }

    func begin(level: ExportLevel) throws {}

    func node(_ node: ExportNode) throws {}

    func edge(_ edge: ExportEdge) throws {
        try output.write(Escaping.tsv(edge.source) + "\t" + Escaping.tsv(edge.target) + "\n")
    }

    func finish() throws { try output.finish() }

    func discard() { output.discard() }
}
