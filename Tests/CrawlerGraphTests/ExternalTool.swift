import Foundation
import TestSupport
import Testing

/// Runs the external programs the export tests validate with (NetworkX under python3, and
/// Graphviz). A missing tool fails the test with what to install, never skips it.
enum ExternalTool {
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// Runs `executable` (looked up on PATH) with `arguments`; nil when it cannot be started.
    /// Waits off the cooperative pool (`ChildProcess`).
    static func run(_ executable: String, _ arguments: [String]) async -> Result? {
        guard let child = try? ChildProcess(URL(fileURLWithPath: "/usr/bin/env"), [executable] + arguments) else { return nil }
        let finished = await child.finish()
        return Result(status: finished.status, standardOutput: finished.standardOutput, standardError: finished.standardError)
    }

    /// The python3 to use: `$CRAWLER_TEST_PYTHON`, or `python3` on PATH.
    static var python: String { ProcessInfo.processInfo.environment["CRAWLER_TEST_PYTHON"] ?? "python3" }

    /// The NetworkX releases `make deps` installs into `.build/python/networkx-VERSION` beside
    /// the one python3 has (the Makefile's `OLDER_NETWORKX`).
    static let olderNetworkX = ["3.2.1", "3.3", "3.4.2", "3.5"]

    /// Where `make deps` puts NetworkX `version`.
    static func networkXDirectory(_ version: String) -> String {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/python/networkx-\(version)").path
    }

    /// Runs `NetworkXProbe.script` on an export and returns what it found, failing the test
    /// with installation advice when python3 or NetworkX is missing. `pythonPath` puts a
    /// NetworkX installed apart (`networkXDirectory`) first on python's path.
    static func networkXProbe(format: String, level: String, path: String, pythonPath: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        try await pythonProbe(
            NetworkXProbe.script, [format, level, path], pythonPath: pythonPath, module: "NetworkX", install: "networkx (3.4 or later)",
            reading: "the \(format) export \(path)", sourceLocation: sourceLocation)
    }

    /// Runs a probe script with `arguments` and decodes the JSON object it prints. Exit status
    /// 3 means `module` is missing: the test fails with how to install it (`install`, a pip
    /// requirement), as it does when python3 itself is missing, never skipped.
    private static func pythonProbe(
        _ script: String, _ arguments: [String], pythonPath: String? = nil, module: String, install: String, reading: String,
        sourceLocation: SourceLocation
    ) async throws -> [String: Any] {
        let command = (pythonPath.map { ["PYTHONPATH=\($0)"] } ?? []) + [python, "-c", script] + arguments
        guard let result = await run(command[0], Array(command.dropFirst())) else {
            Issue.record("python3 is not installed; the export tests need python3 with \(module) (`make deps`, or set CRAWLER_TEST_PYTHON)", sourceLocation: sourceLocation)
            throw ToolMissing()
        }
        if result.status == 3 {
            Issue.record("python3 (\(python)) has no \(module); the export tests need it: `\(python) -m pip install \(install)` (or `make deps`), or set CRAWLER_TEST_PYTHON to a python3 that has it", sourceLocation: sourceLocation)
            throw ToolMissing()
        }
        guard result.status == 0 else {
            Issue.record("\(module) could not read \(reading):\n\(result.standardError)", sourceLocation: sourceLocation)
            throw ToolMissing()
        }
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
        return try #require(object as? [String: Any], sourceLocation: sourceLocation)
    }

    /// Runs a Graphviz program, failing the test with installation advice when it is missing.
    static func graphviz(_ program: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> Result {
        guard let result = await run(program, arguments), result.status != 127 else {
            Issue.record("Graphviz's `\(program)` is not installed; the DOT export test needs it: `apt-get install -y graphviz`", sourceLocation: sourceLocation)
            throw ToolMissing()
        }
        return result
    }

    /// Loads a GraphML export with python-igraph (`Graph.Read_GraphML`, igraph's own C reader)
    /// and returns what it found, failing the test with installation advice when igraph is
    /// missing.
    static func igraphProbe(path: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        try await pythonProbe(
            IgraphProbe.script, [path], module: "python-igraph", install: "python-igraph", reading: "the GraphML export \(path)",
            sourceLocation: sourceLocation)
    }

    struct ToolMissing: Error {}
}

/// A Python program that loads a GraphML export with python-igraph and prints what the tests
/// check as JSON: counts, direction, every node's attributes by GraphML id, every edge as
/// (source id, target id, attributes). Exit status 3: igraph is missing.
enum IgraphProbe {
    static let script = #"""
import sys, json
try:
    import igraph
except ImportError:
    sys.exit(3)
g = igraph.Graph.Read_GraphML(sys.argv[1])
ids = g.vs["id"]
def present(values):  # igraph fills a missing numeric value with NaN, a missing string with ""
    return {k: v for k, v in values.items() if not (isinstance(v, float) and v != v)}
print(json.dumps({"directed": g.is_directed(), "nodes": g.vcount(), "edges": g.ecount(),
    "nodeData": {v["id"]: present(v.attributes()) for v in g.vs},
    "edgeData": [[ids[e.source], ids[e.target], present(e.attributes())] for e in g.es]}))
"""#
}

/// A Python program that loads an export with NetworkX (or the csv module) and prints what the
/// tests check as JSON. Exit status 3: NetworkX is missing.
enum NetworkXProbe {
    static let script = #"""
import sys, json, csv
try:
    import networkx as nx
except ImportError:
    sys.exit(3)
fmt, level, path = sys.argv[1], sys.argv[2], sys.argv[3]
if fmt == "graphml":
    G = nx.read_graphml(path)
elif fmt == "gexf":
    G = nx.read_gexf(path)
elif fmt == "json":
    with open(path, encoding="utf-8") as f:
        G = nx.node_link_graph(json.load(f))
elif fmt == "edgelist":
    G = nx.read_edgelist(path, delimiter="\t", create_using=nx.DiGraph, data=False)
elif fmt == "csv":
    G = nx.DiGraph()
    stem = path[:-4]
    with open(stem + ".nodes.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            node = row.pop("id")
            G.add_node(node, **{k: v for k, v in row.items() if v != ""})
    with open(stem + ".edges.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            G.add_edge(row["source"], row["target"], weight=int(row["weight"]), nofollow=row["nofollow"] == "true")
else:
    sys.exit(2)
out = {"version": nx.__version__, "directed": G.is_directed(), "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
       "nodeData": {str(n): {k: v for k, v in d.items()} for n, d in G.nodes(data=True)},
       "edgeData": [[str(s), str(t), {k: v for k, v in d.items() if k != "id"}] for s, t, d in G.edges(data=True)]}
if level == "page" and fmt in ("graphml", "gexf", "json", "csv"):
    expected = nx.pagerank(G, alpha=0.85, weight=None, tol=1e-13, max_iter=1000)
    out["pagerankError"] = max(abs(float(G.nodes[n]["pagerank"]) - expected[n]) for n in G.nodes)
print(json.dumps(out))
"""#
}
