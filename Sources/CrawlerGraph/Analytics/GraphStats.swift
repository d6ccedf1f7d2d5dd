/// What `crawler stats` shows about a crawl database: totals, the frontier, pages by status,
/// error, content type, host and depth, the most linked and highest-ranked pages, and the
/// graph's strongly connected components. `renderText()` and `renderJSON()` give the two
/// forms the CLI prints.
public struct GraphStats: Sendable, Hashable, Codable {
    /// A label and how many pages carry it.
    public struct LabeledCount: Sendable, Hashable, Codable {
        /// The status (`200`, `error`), error kind, content type or host.
        public var label: String
        /// Pages with it.
        public var pages: Int
    }

    /// Pages at one depth.
    public struct DepthCount: Sendable, Hashable, Codable {
        /// Hops from a seed.
        public var depth: Int
        /// Pages at that depth.
        public var pages: Int
    }

    /// A node of the graph with its in-degree and PageRank.
    public struct RankedPage: Sendable, Hashable, Codable {
        /// The URL.
        public var url: String
        /// Its title, when it was fetched and had one.
        public var title: String?
        /// Distinct pages linking to it.
        public var inDegree: Int
        /// Its PageRank (all nodes sum to 1).
        public var pagerank: Double
    }

    /// The counts at the top of the report.
    public struct Totals: Sendable, Hashable, Codable {
        /// Page rows (fetched, redirected or failed).
        public var pages: Int
        /// Pages with an HTTP status.
        public var withStatus: Int
        /// Pages with a fetch or parse error.
        public var withError: Int
        /// Distinct (page, target) links.
        public var links: Int
        /// Links counting duplicates on a page.
        public var linkOccurrences: Int
        /// URLs known (pages, link targets, queued).
        public var urls: Int
        /// Hosts known.
        public var hosts: Int
        /// Body bytes downloaded.
        public var bytes: Int
    }

    /// Where the crawl's time went, summed over pages.
    public struct PhaseSeconds: Sendable, Hashable, Codable {
        /// Total seconds fetching.
        public var fetchTotal: Double
        /// Mean seconds per fetched page.
        public var fetchMean: Double
        /// Total seconds parsing.
        public var parseTotal: Double
        /// Mean seconds per parsed page.
        public var parseMean: Double
    }

    /// The graph's shape.
    public struct GraphShape: Sendable, Hashable, Codable {
        /// Nodes: pages plus never-fetched link targets.
        public var nodes: Int
        /// Distinct edges.
        public var edges: Int
        /// PageRank power iterations run.
        public var pagerankIterations: Int
        /// Whether PageRank converged (L1 change below 1e-9) within 100 iterations.
        public var pagerankConverged: Bool
        /// Strongly connected components.
        public var components: Int
        /// Nodes in the largest component.
        public var largestComponent: Int
        /// Components of a single node.
        public var singletonComponents: Int
        /// The sizes of the largest components, largest first.
        public var largestComponentSizes: [Int]
    }

    /// The database the numbers come from.
    public var database: String
    /// Totals.
    public var totals: Totals
    /// The frontier.
    public var frontier: FrontierCounts
    /// Crawl runs recorded.
    public var runs: Int
    /// How the last run ended (`running` while it has no end).
    public var lastRunOutcome: String?
    /// Time per phase.
    public var phaseSeconds: PhaseSeconds
    /// Pages by HTTP status (`error` when the fetch failed), most first.
    public var byStatus: [LabeledCount]
    /// Pages by error kind (`dns`, `timeout`, `not-html`, …), most first.
    public var byError: [LabeledCount]
    /// Pages with a status by media type, most first.
    public var byContentType: [LabeledCount]
    /// Pages by host, the hosts with most pages first (at most `top`).
    public var byHost: [LabeledCount]
    /// Pages by depth, shallowest first.
    public var depthHistogram: [DepthCount]
    /// The most linked-to nodes.
    public var topByInDegree: [RankedPage]
    /// The nodes with the highest PageRank.
    public var topByPageRank: [RankedPage]
    /// PageRank and components.
    public var graph: GraphShape
}
