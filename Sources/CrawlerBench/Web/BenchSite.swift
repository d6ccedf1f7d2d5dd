import CrawlerCore
import CrawlerParse

/// The pages the bench's embedded web serves: `pages` HTML pages spread over `hosts` loopback
/// hosts (127.0.0.1…), each linking to pages of its own host so a crawl from the home pages
/// reaches every page. Deterministic: the same settings give the same bytes, which lets a parse
/// point rebuild the corpus in its own process instead of receiving it over a pipe.
///
/// A stand-in for SyntheticWeb's model until its server lands in main.
public struct BenchSite: Sendable, Hashable, Codable {
    /// Pages in all.
    public var pages: Int
    /// Loopback hosts (1…200).
    public var hosts: Int
    /// Mean body size in KiB.
    public var meanPageKB: Int
    /// The port every host listens on (0 until the server has one).
    public var port: Int
    /// Seed of the page sizes and links.
    public var seed: UInt64

    /// A site.
    public init(pages: Int, hosts: Int = 4, meanPageKB: Int = 24, port: Int = 0, seed: UInt64 = 7) {
        self.pages = max(pages, hosts)
        self.hosts = max(1, min(hosts, 200))
        self.meanPageKB = max(1, meanPageKB)
        self.port = port
        self.seed = seed
    }

    /// Host of page `index`.
    func host(ofPage index: Int) -> Int { index % hosts }

    /// Page `index`'s URL.
    public func url(ofPage index: Int) -> NormalizedURL {
        NormalizedURL("http://127.0.0.\(host(ofPage: index) + 1):\(port)/p/\(index).html")!
    }

    /// Every page's URL, page 0 first.
    public var pageURLs: [NormalizedURL] { (0..<pages).map(url(ofPage:)) }

    /// The home page of each host: a crawl from these reaches every page.
    public var seedURLs: [NormalizedURL] { (0..<hosts).map(url(ofPage:)) }

    /// The page index a request path names, when it names one.
    func pageIndex(path: String) -> Int? {
        guard path.hasPrefix("/p/"), path.hasSuffix(".html") else { return nil }
        guard let index = Int(path.dropFirst(3).dropLast(5)), (0..<pages).contains(index) else { return nil }
        return index
    }

    /// Page `index`'s body: a head, navigation, paragraphs of text with links to 24 pages of the
    /// same host (the next page among them, so every page is reachable), a footer.
    public func body(ofPage index: Int) -> [UInt8] {
        var random = BenchRandom(seed: seed &+ UInt64(index) &* 0x9E37_79B9)
        let target = meanPageKB * 1024 / 2 + Int(random.next() % UInt64(meanPageKB * 1024))
        let hostIndex = host(ofPage: index)
        var html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Page \(index)</title>"
        html += "<link rel=\"stylesheet\" href=\"/static/site.css\"></head><body>\n<nav>"
        for item in 0..<8 { html += "<a href=\"/p/\(item * hosts + hostIndex).html\">Section \(item)</a> " }
        html += "</nav>\n<main>\n"
        var linksWritten = 0
        var paragraph = 0
        while html.utf8.count < target || linksWritten < 24 {
            paragraph += 1
            html += "<div class=\"block\"><h2>Heading \(paragraph)</h2><p>"
            for _ in 0..<(30 + Int(random.next() % 30)) {
                html += Self.words[Int(random.next() % UInt64(Self.words.count))] + " "
            }
            if linksWritten < 24 {
                // The first link goes to the next page of this host; the others anywhere on it.
                let next = linksWritten == 0 ? index + hosts : Int(random.next() % UInt64(pages))
                let linked = next < pages ? next - next % hosts + hostIndex : hostIndex
                let spelling = linksWritten % 3 == 0 ? "\(linked).html" : "/p/\(linked).html"
                html += "<a href=\"\(spelling)\">page \(linked)</a>"
                linksWritten += 1
            }
            html += "</p></div>\n"
        }
        html += "</main><footer><a href=\"/p/\(hostIndex).html\">Home</a></footer></body></html>\n"
        return Array(html.utf8)
    }

    /// The pages as parse jobs, held in memory.
    public func parseJobs() -> [ParseJob] {
        (0..<pages).map { ParseJob(url: url(ofPage: $0), headers: ResponseHeaders(contentType: "text/html; charset=utf-8"), body: body(ofPage: $0)) }
    }

    private static let words = [
        "crawler", "parse", "thread", "process", "link", "graph", "fetch", "latency", "budget", "measure", "honest",
        "café", "naïve", "über", "pipeline", "worker", "frame", "buffer", "résumé", "données", "throughput", "the", "of", "and",
    ]
}

/// A small deterministic random number generator (SplitMix64; named apart from ParseCorpus's own).
struct BenchRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
