/// Writes GraphML: one `<key>` per attribute, nodes then edges, directed. Missing values
/// (an unfetched target's status) are left out, as GraphML allows.
final class GraphMLWriter: GraphFormatWriter {
    private let output: BufferedOutput
    private var attributes: [NodeAttribute] = []
    private var edgeAttributes: [EdgeAttribute] = []

    init(path: String) throws { output = try BufferedOutput(path: path) }

    var files: [String] { [output.path] }

    func begin(level: ExportLevel) throws {
        attributes = NodeAttribute.attributes(for: level)
        edgeAttributes = EdgeAttribute.attributes(for: level)
        var header = """
            <?xml version="1.0" encoding="UTF-8"?>
            <graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">

            """
        for attribute in attributes {
            let type = switch attribute.kind { case .string: "string"; case .int: "int"; case .double: "double" }
            header += "  <key id=\"\(attribute.rawValue)\" for=\"node\" attr.name=\"\(attribute.rawValue)\" attr.type=\"\(type)\"/>\n"
        }
        header += """
              <key id="weight" for="edge" attr.name="weight" attr.type="int"/>
              <key id="nofollow" for="edge" attr.name="nofollow" attr.type="boolean"/>

            """
        for attribute in edgeAttributes {
            header += "  <key id=\"edge_\(attribute.rawValue)\" for=\"edge\" attr.name=\"\(attribute.rawValue)\" attr.type=\"string\"/>\n"
        }
        header += """
              <graph id="crawl-\(level.rawValue)" edgedefault="directed">

            """
        try output.write(header)
    }

    func node(_ node: ExportNode) throws {
        var text = "    <node id=\"\(Escaping.xml(node.id))\">"
        for attribute in attributes {
            guard let value = attribute.value(of: node) else { continue }
            text += "<data key=\"\(attribute.rawValue)\">\(Escaping.xml(value))</data>"
        }
        try output.write(text + "</node>\n")
    }

    func edge(_ edge: ExportEdge) throws {
        var text = "    <edge source=\"\(Escaping.xml(edge.source))\" target=\"\(Escaping.xml(edge.target))\"><data key=\"weight\">\(edge.weight)</data><data key=\"nofollow\">\(edge.nofollow)</data>"
        for attribute in edgeAttributes {
            guard let value = attribute.value(of: edge) else { continue }
            text += "<data key=\"edge_\(attribute.rawValue)\">\(Escaping.xml(value))</data>"
        }
        try output.write(text + "</edge>\n")
    }

    func finish() throws {
        try output.write("  </graph>\n</graphml>\n")
        try output.finish()
    }

    func discard() { output.discard() }
}
