/// Writes GEXF 1.2 (the version Gephi and NetworkX's `read_gexf` default to): static
/// attributes declared once, the edge weight as GEXF's own `weight`, nofollow as an attribute.
final class GEXFWriter: GraphFormatWriter {
    private let output: BufferedOutput
    private var attributes: [NodeAttribute] = []
    private var edgeAttributes: [EdgeAttribute] = []
    private var edgeCount = 0
    private var inEdges = false

    init(path: String) throws { output = try BufferedOutput(path: path) }

    var files: [String] { [output.path] }

    func begin(level: ExportLevel) throws {
        attributes = NodeAttribute.attributes(for: level)
        edgeAttributes = EdgeAttribute.attributes(for: level)
        var header = """
            <?xml version="1.0" encoding="UTF-8"?>
            <gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">
              <meta><creator>SwiftCrawler</creator><description>crawl link graph, \(level.rawValue) level</description></meta>
              <graph defaultedgetype="directed" mode="static">
                <attributes class="node" mode="static">

            """
        for attribute in attributes {
            let type = switch attribute.kind { case .string: "string"; case .int: "integer"; case .double: "double" }
            header += "      <attribute id=\"\(attribute.rawValue)\" title=\"\(attribute.rawValue)\" type=\"\(type)\"/>\n"
        }
        header += """
                </attributes>
                <attributes class="edge" mode="static">
                  <attribute id="nofollow" title="nofollow" type="boolean"/>

            """
        for attribute in edgeAttributes {
            header += "      <attribute id=\"\(attribute.rawValue)\" title=\"\(attribute.rawValue)\" type=\"string\"/>\n"
        }
        header += """
                </attributes>
                <nodes>

            """
        try output.write(header)
    }

    func node(_ node: ExportNode) throws {
        let label = node.label
        var text = "      <node id=\"\(Escaping.xml(node.id))\" label=\"\(Escaping.xml(label))\"><attvalues>"
        for attribute in attributes {
            guard let value = attribute.value(of: node) else { continue }
            text += "<attvalue for=\"\(attribute.rawValue)\" value=\"\(Escaping.xml(value))\"/>"
        }
        try output.write(text + "</attvalues></node>\n")
    }

    func edge(_ edge: ExportEdge) throws {
        if !inEdges {
            inEdges = true
            try output.write("    </nodes>\n    <edges>\n")
        }
        var text = "      <edge id=\"\(edgeCount)\" source=\"\(Escaping.xml(edge.source))\" target=\"\(Escaping.xml(edge.target))\" weight=\"\(edge.weight)\"><attvalues><attvalue for=\"nofollow\" value=\"\(edge.nofollow)\"/>"
        for attribute in edgeAttributes {
            guard let value = attribute.value(of: edge) else { continue }
            text += "<attvalue for=\"\(attribute.rawValue)\" value=\"\(Escaping.xml(value))\"/>"
        }
        try output.write(text + "</attvalues></edge>\n")
        edgeCount += 1
    }

    func finish() throws {
        if !inEdges { try output.write("    </nodes>\n    <edges>\n") }
        try output.write("    </edges>\n  </graph>\n</gexf>\n")
        try output.finish()
    }

    func discard() { output.discard() }
}
