import CrawlerCore
import Foundation
import TestSupport
import Testing
@testable import CrawlerGraph

/// A small crawl with every awkward string an export must survive.
struct NastyGraph {
    static let title = "Q \"quoted\" <tag> & amp 'apos'\nnew line\ttab\r\u{01}ctrl\u{7F} 日本語 🎉 back\\slash, comma "
    static let a = "http://a.test/"
    static let x = "http://a.test/x"
    static let never = "http://b.test/never"
    static let c = "http://c.test:8080/p?q=1&r='2'"
    static let old = "http://a.test/old"
    static let failed = "http://d.test/"

    let directory = TemporaryDirectory()
    let store: GraphStore

    init() throws {
        store = try GraphStore(path: directory.file("crawl.sqlite"))
        var pageA = page(Self.a, title: Self.title, links: [Self.x, Self.x, Self.never, Self.a, Self.c])
        pageA.links[2].nofollow = true
        try store.commit([
            pageA,
            page(Self.x, depth: 1, title: "X & Y", links: [Self.a]),
            page(Self.c, depth: 1, title: "C <c>", links: [Self.x]),
            PageRecord.redirect(from: url(Self.old), to: url(Self.x), status: 301, depth: 1),
            PageRecord(url: url(Self.failed), depth: 0, fetchError: .dns(host: "d.test")),
        ])
    }

    func export(_ format: ExportFormat, _ level: ExportLevel = .page) throws -> (ExportSummary, String) {
        let path = directory.file("graph-\(level).\(format.fileExtension)")
        return (try store.export(format: format, level: level, to: path), path)
    }
}

@Suite struct ExportTests {
    /// XML cannot carry U+0001: it becomes U+FFFD; everything else survives exactly.
    static let xmlTitle = NastyGraph.title.replacingOccurrences(of: "\u{01}", with: "\u{FFFD}")

    private func checkPageGraph(_ probe: [String: Any], title: String, weightsAreFloats: Bool = false) throws {
        #expect(probe["directed"] as? Bool == true)
        #expect(probe["nodes"] as? Int == 6)
        #expect(probe["edges"] as? Int == 7)
        let nodes = try #require(probe["nodeData"] as? [String: [String: Any]])
        let a = try #require(nodes[NastyGraph.a])
        #expect(a["title"] as? String == title)
        #expect("\(a["status"] ?? "")" == "200")
        #expect("\(a["depth"] ?? "")" == "0")
        #expect(a["host"] as? String == "a.test")
        #expect(nodes[NastyGraph.never]?["status"] == nil, "a never-fetched target has no status")
        #expect(nodes[NastyGraph.c]?["host"] as? String == "c.test:8080")
        #expect("\(nodes[NastyGraph.old]?["status"] ?? "")" == "301")
        // What the store knows of each page travels with it.
        #expect(a["content_type"] as? String == "text/html")
        #expect("\(a["noindex"] ?? "")" == "0")
        #expect(nodes[NastyGraph.failed]?["error_kind"] as? String == "dns")
        #expect((nodes[NastyGraph.failed]?["error_message"] as? String)?.contains("d.test") == true)
        #expect(nodes[NastyGraph.never]?["noindex"] == nil, "never fetched: nothing known")
        let edges = try #require(probe["edgeData"] as? [[Any]])
        func edge(_ source: String, _ target: String) -> [String: Any]? {
            edges.first { $0[0] as? String == source && $0[1] as? String == target }?[2] as? [String: Any]
        }
        #expect((edge(NastyGraph.a, NastyGraph.x)?["weight"] as? NSNumber)?.doubleValue == 2)
        #expect(edge(NastyGraph.a, NastyGraph.x)?["nofollow"] as? Bool == false)
        #expect(edge(NastyGraph.a, NastyGraph.never)?["nofollow"] as? Bool == true)
        #expect(edge(NastyGraph.a, NastyGraph.a) != nil, "self-links are kept")
        #expect(edge(NastyGraph.old, NastyGraph.x) != nil, "a redirect is an edge")
        if let error = probe["pagerankError"] as? Double {
            #expect(error < 1e-9, "our PageRank agrees with networkx.pagerank")
        } else {
            Issue.record("the probe computed no PageRank comparison")
        }
    }

    @Test func graphMLLoadsInNetworkX() async throws {
        let graph = try NastyGraph()
        let (summary, path) = try graph.export(.graphml)
        #expect(summary.nodes == 6 && summary.edges == 7)
        try checkPageGraph(try await ExternalTool.networkXProbe(format: "graphml", level: "page", path: path), title: Self.xmlTitle)
    }

    @Test func gexfLoadsInNetworkX() async throws {
        let graph = try NastyGraph()
        let (_, path) = try graph.export(.gexf)
        try checkPageGraph(try await ExternalTool.networkXProbe(format: "gexf", level: "page", path: path), title: Self.xmlTitle)
    }

    @Test func nodeLinkJSONLoadsInNetworkX() async throws {
        let graph = try NastyGraph()
        let (_, path) = try graph.export(.json)
        try checkPageGraph(try await ExternalTool.networkXProbe(format: "json", level: "page", path: path), title: NastyGraph.title)
        // And it is plain JSON any parser accepts.
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        #expect(object?["multigraph"] as? Bool == false)
        #expect((object?["edges"] as? [Any])?.count == 7)
        #expect((object?["links"] as? [Any])?.count == 7, "the same edges under the key NetworkX before 3.6 reads")
    }

    /// The default call, `node_link_graph(data)`, reads `links` up to NetworkX 3.5 and `edges`
    /// from 3.6: the export carries both, and loads the same graph in each release.
    @Test(arguments: ExternalTool.olderNetworkX)
    func nodeLinkJSONLoadsInOlderNetworkX(version: String) async throws {
        let directory = ExternalTool.networkXDirectory(version)
        guard FileManager.default.fileExists(atPath: directory + "/networkx") else {
            Issue.record("NetworkX \(version) is not in \(directory); `make deps` installs it (pip install --no-deps --target \(directory) networkx==\(version))")
            return
        }
        let graph = try NastyGraph()
        let (_, path) = try graph.export(.json)
        let probe = try await ExternalTool.networkXProbe(format: "json", level: "page", path: path, pythonPath: directory)
        #expect(probe["version"] as? String == version, "the NetworkX loaded is the one asked for")
        try checkPageGraph(probe, title: NastyGraph.title)
    }

    /// igraph reads GraphML with its own C reader, stricter about key declarations and types
    /// than NetworkX.
    @Test func graphMLLoadsInIgraph() async throws {
        let graph = try NastyGraph()
        let (_, path) = try graph.export(.graphml)
        let probe = try await ExternalTool.igraphProbe(path: path)
        #expect(probe["directed"] as? Bool == true)
        #expect(probe["nodes"] as? Int == 6)
        #expect(probe["edges"] as? Int == 7)
        let nodes = try #require(probe["nodeData"] as? [String: [String: Any]])
        let a = try #require(nodes[NastyGraph.a])
        #expect(a["title"] as? String == Self.xmlTitle)
        #expect((a["status"] as? NSNumber)?.intValue == 200)
        #expect(a["host"] as? String == "a.test")
        #expect(nodes[NastyGraph.failed]?["error_kind"] as? String == "dns")
        #expect(nodes[NastyGraph.never]?["status"] == nil, "a never-fetched target has no status")
        let edges = try #require(probe["edgeData"] as? [[Any]])
        let ax = edges.first { $0[0] as? String == NastyGraph.a && $0[1] as? String == NastyGraph.x }?[2] as? [String: Any]
        #expect((ax?["weight"] as? NSNumber)?.doubleValue == 2)
        #expect(ax?["kind"] as? String == "a")
        #expect(edges.contains { $0[0] as? String == NastyGraph.old && $0[1] as? String == NastyGraph.x }, "a redirect is an edge")
    }

    @Test func csvRoundTripsThroughAnRFC4180Reader() async throws {
        let graph = try NastyGraph()
        let (summary, path) = try graph.export(.csv)
        #expect(summary.files == [graph.directory.file("graph-page.nodes.csv"), graph.directory.file("graph-page.edges.csv")])
        #expect(!FileManager.default.fileExists(atPath: path), "x.csv itself is not written")
        try checkPageGraph(try await ExternalTool.networkXProbe(format: "csv", level: "page", path: path), title: NastyGraph.title)
    }

    @Test func edgeListHasOneLinePerDistinctLink() async throws {
        let graph = try NastyGraph()
        let (_, path) = try graph.export(.edgelist)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 7)
        #expect(lines.contains("\(NastyGraph.a)\t\(NastyGraph.x)"))
        let probe = try await ExternalTool.networkXProbe(format: "edgelist", level: "page", path: path)
        #expect(probe["edges"] as? Int == 7)
        #expect(probe["nodes"] as? Int == 5, "the failed page has no edge, so no line")
    }

    @Test func dotIsAcceptedByGraphviz() async throws {
        let graph = try NastyGraph()
        let (_, path) = try graph.export(.dot)
        let render = try await ExternalTool.graphviz("dot", ["-Tsvg", "-o", graph.directory.file("graph.svg"), path])
        #expect(render.status == 0, "dot rejected the file: \(render.standardError)")
        // A page graph asks for sfdp (dot's own layout never finishes on 10,000 pages); the
        // rendering above used it, and the titles are the labels.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("graph [layout=sfdp"))
        let svg = try String(contentsOfFile: graph.directory.file("graph.svg"), encoding: .utf8)
        #expect(svg.contains("X &amp; Y"), "the title of x labels its node")
        let nodes = try await ExternalTool.graphviz("gc", ["-n", path])
        #expect(nodes.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("6"), "gc counted: \(nodes.standardOutput)")
        let edges = try await ExternalTool.graphviz("gc", ["-e", path])
        #expect(edges.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("7"), "gc counted: \(edges.standardOutput)")
    }

    @Test(arguments: [ExportFormat.graphml, .gexf, .json, .csv])
    func hostLevelMergesPagesIntoWeightedHostEdges(format: ExportFormat) async throws {
        let graph = try NastyGraph()
        let (summary, path) = try graph.export(format, .host)
        #expect(summary.nodes == 4)
        #expect(summary.edges == 4)
        let probe = try await ExternalTool.networkXProbe(format: format.rawValue, level: "host", path: path)
        #expect(probe["nodes"] as? Int == 4)
        #expect(probe["edges"] as? Int == 4)
        let nodes = try #require(probe["nodeData"] as? [String: [String: Any]])
        #expect("\(nodes["a.test"]?["pages"] ?? "")" == "3")
        let total = nodes.values.compactMap { ($0["pagerank"] as? NSNumber)?.doubleValue ?? Double($0["pagerank"] as? String ?? "") }.reduce(0, +)
        #expect(abs(total - 1) < 1e-9, "the host graph's PageRank sums to 1")
        let edges = try #require(probe["edgeData"] as? [[Any]])
        let inside = edges.first { $0[0] as? String == "a.test" && $0[1] as? String == "a.test" }?[2] as? [String: Any]
        #expect((inside?["weight"] as? NSNumber)?.doubleValue == 4, "a→x, a→a, x→a and the redirect old→x")
    }

    /// Host PageRank is the host graph's: an uncrawled host that every page links to with a
    /// URL of its own (each a dangling node at page level, whose summed scores would rank it
    /// first) ranks below the crawled host that links to it and to which other hosts link.
    @Test func hostPageRankIsTheHostGraphs() async throws {
        let directory = TemporaryDirectory()
        let store = try GraphStore(path: directory.file("crawl.sqlite"))
        var records: [PageRecord] = []
        for index in 0..<20 {
            // Five links out to URLs of their own on ext.test for one to the next hub page: summed
            // page scores put ext.test far ahead; in the host graph it is one of hub's three links.
            let external = (0..<5).map { "http://ext.test/u\(index)-\($0)" }
            records.append(page("http://hub.test/p\(index)", links: ["http://hub.test/p\((index + 1) % 20)"] + external))
        }
        records.append(page("http://hub.test/links", links: ["http://a.test/", "http://b.test/"]))
        records.append(page("http://a.test/", links: ["http://hub.test/p0"]))
        records.append(page("http://b.test/", links: ["http://hub.test/p0", "http://a.test/"]))
        try await store.commit(records)
        let path = directory.file("hosts.json")
        _ = try store.export(format: .json, level: .host, to: path)
        let probe = try await ExternalTool.networkXProbe(format: "json", level: "host", path: path)
        let nodes = try #require(probe["nodeData"] as? [String: [String: Any]])
        func rank(_ host: String) -> Double { (nodes[host]?["pagerank"] as? NSNumber)?.doubleValue ?? -1 }
        #expect(rank("hub.test") > rank("ext.test"), "hub \(rank("hub.test")), ext \(rank("ext.test"))")
        #expect(rank("hub.test") > rank("b.test"))
    }

    /// --fetched-only: the pages that got a response and the links between them; the failed
    /// page and the target never fetched are left out, at page and at host level.
    @Test func fetchedOnlyLeavesOutWhatWasNeverFetched() async throws {
        let graph = try NastyGraph()
        let path = graph.directory.file("fetched.json")
        let summary = try graph.store.export(format: .json, level: .page, to: path, fetchedOnly: true)
        #expect(summary.nodes == 4, "a, x, c and the redirect old")
        #expect(summary.edges == 6, "all but a→never")
        let probe = try await ExternalTool.networkXProbe(format: "json", level: "page", path: path)
        let nodes = try #require(probe["nodeData"] as? [String: [String: Any]])
        #expect(Set(nodes.keys) == [NastyGraph.a, NastyGraph.x, NastyGraph.c, NastyGraph.old])
        let total = nodes.values.compactMap { ($0["pagerank"] as? NSNumber)?.doubleValue }.reduce(0, +)
        #expect(abs(total - 1) < 1e-9)
        let hosts = try graph.store.export(format: .json, level: .host, to: graph.directory.file("fetched-hosts.json"), fetchedOnly: true)
        #expect(hosts.nodes == 2, "a.test and c.test:8080; not d.test (failed) nor b.test (never fetched)")
        #expect(hosts.edges == 3)
    }

    @Test func aFailedExportLeavesNothingBehind() throws {
        let graph = try NastyGraph()
        let path = graph.directory.file("no/such/dir/graph.graphml")
        let error = try #require(throws: GraphStoreError.self) { try graph.store.export(format: .graphml, level: .page, to: path) }
        #expect(error.code == .exportFailed)
        #expect(error.description.hasPrefix("could not write the export \(path)"))
    }
}

@Suite struct EscapingTests {
    @Test func xmlEscapesEntitiesAndReplacesForbiddenCharacters() {
        #expect(Escaping.xml("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&apos;")
        #expect(Escaping.xml("x\u{01}y\u{FFFE}") == "x\u{FFFD}y\u{FFFD}")
        #expect(Escaping.xml("l1\nl2\tt\rr") == "l1&#10;l2&#9;t&#13;r")
        #expect(Escaping.xml("日本🎉") == "日本🎉")
    }

    @Test func dotQuotesAndBackslashes() {
        #expect(Escaping.dot("say \"hi\"") == #""say \"hi\"""#)
        #expect(Escaping.dot(#"ends with \"#) == #""ends with \\""#)
        #expect(Escaping.dot("a\nb\u{01}") == #""a\nb""#)
    }

    @Test func csvQuotesOnlyWhenNeeded() {
        #expect(Escaping.csv("plain") == "plain")
        #expect(Escaping.csv("a,b") == "\"a,b\"")
        #expect(Escaping.csv("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(Escaping.csv("l1\r\nl2") == "\"l1\r\nl2\"")
    }

    @Test func jsonEscapesControlCharacters() {
        #expect(Escaping.json("a\"b\\c\n\u{01}\u{1F}") == #""a\"b\\c\n\u0001\u001f""#)
    }
}
