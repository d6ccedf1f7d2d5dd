import CrawlerCore
import Foundation
import TestSupport
import Testing
@testable import CrawlerGraph

@Suite struct PageRankTests {
    private func rank(_ nodeCount: Int, _ edges: [(Int, Int)]) -> PageRank {
        PageRank(graph: LinkGraph(nodeCount: nodeCount, edges: edges))
    }

    @Test func aCycleIsUniform() {
        let result = rank(3, [(0, 1), (1, 2), (2, 0)])
        for score in result.scores { #expect(abs(score - 1.0 / 3) < 1e-12) }
        #expect(result.converged)
    }

    @Test func aStarOfLeavesLinkingToADanglingCentre() {
        // Leaves x = 1 / (n + d k), centre 1 - k x (solve the two balance equations by hand).
        let leaves = 4
        let result = rank(leaves + 1, (1...leaves).map { ($0, 0) })
        let leaf = 1 / (Double(leaves + 1) + 0.85 * Double(leaves))
        #expect(abs(result.scores[0] - (1 - Double(leaves) * leaf)) < 1e-9)
        for node in 1...leaves { #expect(abs(result.scores[node] - leaf) < 1e-9) }
    }

    @Test func danglingMassIsSpreadOverAllNodes() {
        // a → b, b has no out-link: a = 1 / (2 + d), b = 1 - a.
        let result = rank(2, [(0, 1)])
        #expect(abs(result.scores[0] - 1 / 2.85) < 1e-9)
        #expect(abs(result.scores[1] - (1 - 1 / 2.85)) < 1e-9)
    }

    @Test func scoresSumToOneOnAnIrregularGraph() {
        var generator = SplitMix64(seed: 7)
        let nodes = 500
        let edges = (0..<3000).map { _ in (Int(generator.next() % UInt64(nodes)), Int(generator.next() % UInt64(nodes))) }
        let result = rank(nodes, edges)
        #expect(abs(result.scores.reduce(0, +) - 1) < 1e-9)
        #expect(result.converged)
        #expect(result.iterations <= 100)
    }

    @Test func anEmptyGraphHasNoScores() {
        #expect(rank(0, []).scores.isEmpty)
    }
}

@Suite struct ComponentTests {
    @Test func findsCyclesAndSingletons() {
        // 0→1→2→0 is one component; 3⇄4 another; 5 alone; 2→3 joins them one way only.
        let graph = LinkGraph(nodeCount: 6, edges: [(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 3)])
        let components = StronglyConnectedComponents(graph: graph)
        #expect(components.count == 3)
        #expect(components.sizes.sorted() == [1, 2, 3])
        let c = components.componentOfNode
        #expect(c[0] == c[1] && c[1] == c[2])
        #expect(c[3] == c[4] && c[3] != c[0])
        // Tarjan completes a component before any component that reaches it.
        #expect(c[3] < c[0])
    }

    @Test func aDAGIsAllSingletons() {
        let graph = LinkGraph(nodeCount: 4, edges: [(0, 1), (0, 2), (1, 3), (2, 3)])
        #expect(StronglyConnectedComponents(graph: graph).sizes == [1, 1, 1, 1])
    }

    @Test func longChainsNeedNoRecursion() {
        let count = 200_000
        let chain = LinkGraph(nodeCount: count, edges: (0..<(count - 1)).map { ($0, $0 + 1) })
        #expect(StronglyConnectedComponents(graph: chain).count == count)
        let ring = LinkGraph(nodeCount: count, edges: (0..<count).map { ($0, ($0 + 1) % count) })
        #expect(StronglyConnectedComponents(graph: ring).sizes == [count])
    }
}

@Suite struct StatsTests {
    @Test func summarizesTheNastyGraph() throws {
        let graph = try NastyGraph()
        let stats = try graph.store.stats(top: 3)
        #expect(stats.totals.pages == 5)
        #expect(stats.totals.withError == 1)
        #expect(stats.totals.links == 7)
        #expect(stats.totals.linkOccurrences == 8)
        #expect(stats.byStatus == [.init(label: "200", pages: 3), .init(label: "301", pages: 1), .init(label: "error", pages: 1)])
        #expect(stats.byError == [.init(label: "dns", pages: 1)])
        #expect(stats.byContentType.first == .init(label: "text/html", pages: 3))
        #expect(stats.byHost.first == .init(label: "a.test", pages: 3))
        #expect(stats.depthHistogram == [.init(depth: 0, pages: 2), .init(depth: 1, pages: 3)])
        #expect(stats.topByInDegree.first?.url == NastyGraph.x)
        #expect(stats.topByInDegree.first?.inDegree == 3)
        #expect(stats.topByPageRank.count == 3)
        #expect(stats.topByPageRank.map(\.pagerank) == stats.topByPageRank.map(\.pagerank).sorted(by: >))
        #expect(stats.graph.nodes == 6)
        #expect(stats.graph.edges == 7)
        // a → c → x → a is the only cycle (a → a is a self-loop inside it); the 3 others are alone.
        #expect(stats.graph.components == 4)
        #expect(stats.graph.largestComponent == 3)
        #expect(stats.graph.pagerankConverged)

        let text = stats.renderText()
        #expect(text.contains("Pages by status\n  status  pages  share\n  ------  -----  -----\n  200         3  60.0%\n"))
        #expect(text.contains("strongly connected components: 4; largest 3 nodes (50.0%); 3 single nodes"))
        #expect(!text.contains("\r") && !text.contains("\u{01}"), "titles are flattened in the text report")

        let decoded = try JSONDecoder().decode(GraphStats.self, from: Data(try stats.renderJSON().utf8))
        #expect(decoded == stats)
    }

    /// A run without an end is running while a crawler holds the database's lock, and was
    /// killed when none does.
    @Test func aRunWithoutAnEndIsRunningOnlyWhileItsLockIsHeld() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("crawl.sqlite")
        let store = try GraphStore(path: path)
        _ = try store.beginRun(settings: ["a": 1], fetchModel: .async, parseModel: .inline)
        #expect(try store.stats().lastRunOutcome?.hasPrefix("interrupted") == true)
        let lock = try DatabaseLock(databasePath: path)
        #expect(try store.stats().lastRunOutcome == "running")
        lock.release()
        #expect(try store.stats().lastRunOutcome?.hasPrefix("interrupted") == true)
    }

    @Test func anEmptyDatabaseHasAReportToo() throws {
        let directory = TemporaryDirectory()
        let store = try GraphStore(path: directory.file("empty.sqlite"))
        let stats = try store.stats()
        #expect(stats.totals.pages == 0)
        #expect(stats.renderText().contains("pages    0 "))
    }

}

