import CrawlerCore
import CrawlerParse
import SyntheticWeb

/// A fixed set of pages held in memory for the parse benchmark: the same bytes every run.
public struct ParseCorpus: Sendable {
    /// The pages.
    public var jobs: [ParseJob]

    /// Pages as given (e.g. the synthetic web's pages).
    public init(jobs: [ParseJob]) {
        self.jobs = jobs
    }

    /// The first `pageCount` content pages of a synthetic web of `profile` (no server: the
    /// bytes come from the site model), served as UTF-8 HTML. The docs profile puts its pages
    /// on 2 hosts, so each host's sidebar lists as many pages as a real documentation site's.
    public static func syntheticWeb(pageCount: Int = 500, meanPageKB: Double = 32, seed: UInt64 = 1, profile: SiteProfile = .mixed) -> ParseCorpus {
        let port = 8080
        let hosts = profile == .docs ? min(docsHosts, pageCount) : 8
        let config = SyntheticWebConfig(seed: seed, hosts: hosts, pages: pageCount, meanPageKB: meanPageKB, port: port, profile: profile)
        let model = SiteModel(config: config, port: port)
        let jobs = model.contentPageURLs.prefix(pageCount).compactMap { url in
            model.body(for: url).map { ParseJob(url: url, headers: ResponseHeaders(contentType: "text/html; charset=utf-8"), body: $0) }
        }
        return ParseCorpus(jobs: jobs)
    }

    /// Hosts a docs corpus is spread over: few, so each host's sidebar lists as many pages as
    /// a real documentation site's (the bench's parse phase uses it too).
    static let docsHosts = 2

    /// Total body bytes.
    public var byteCount: Int { jobs.reduce(0) { $0 + $1.body.count } }

    /// `pageCount` generated pages of realistic shape (head with stylesheets and a canonical
    /// link, navigation, paragraphs with inline links in every reference form, scripts,
    /// comments, tables, images, an iframe and an image map), about `averageBytes` each.
    /// Deterministic: the same arguments give the same bytes.
    public static func generated(pageCount: Int = 500, averageBytes: Int = 30_000, seed: UInt64 = 42) -> ParseCorpus {
        var random = SplitMix64(seed: seed)
        var jobs: [ParseJob] = []
        jobs.reserveCapacity(pageCount)
        for index in 0..<pageCount {
            let host = "site\(index % 8).test"
            let url = NormalizedURL("http://\(host)/section\(index % 13)/page\(index).html")!
            jobs.append(ParseJob(url: url, headers: ResponseHeaders(contentType: "text/html; charset=utf-8"), body: Array(page(index: index, host: host, targetBytes: averageBytes / 2 + Int(random.next() % UInt64(averageBytes)), random: &random).utf8)))
        }
        return ParseCorpus(jobs: jobs)
    }

    private static let words = [
        "crawler", "parse", "thread", "process", "link", "graph", "fetch", "latency", "budget", "measure", "honest",
        "café", "naïve", "über", "pipeline", "worker", "frame", "buffer", "résumé", "données", "日本語", "throughput",
    ]

    private static func page(index: Int, host: String, targetBytes: Int, random: inout SplitMix64) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>Page \(index) — \(words[index % words.count]) &amp; more</title>
            <link rel="stylesheet" href="/static/site.css?v=\(index % 5)">
            <link rel="canonical" href="http://\(host)/section\(index % 13)/page\(index).html">
            <link rel="alternate" type="application/rss+xml" href="/feed.xml">
            <meta name="robots" content="\(index % 17 == 0 ? "noindex, nofollow" : "index, follow")">
            <script>window.analytics = { id: \(index), track: function(e) { return '<a href="/not-a-link">' + e; } };</script>
            <style>body { font: 14px sans-serif } a:hover { color: red }</style>
            </head><body>
            <header><nav><ul>
            """
        for item in 0..<12 { html += "<li><a href=\"/section\(item)/\">Section \(item)</a></li>" }
        html += "</ul></nav></header>\n<main>\n"
        var paragraph = 0
        while html.utf8.count < targetBytes {
            paragraph += 1
            html += "<div class=\"block b\(paragraph)\"><h2>Heading \(paragraph)</h2>\n<p>"
            for sentence in 0..<6 {
                for _ in 0..<(8 + Int(random.next() % 10)) { html += words[Int(random.next() % UInt64(words.count))] + " " }
                let target = Int(random.next() % 2000)
                switch (sentence + paragraph) % 7 {
                case 0: html += "<a href=\"page\(target).html\">relative \(target)</a>"
                case 1: html += "<a href=\"../section\(target % 13)/page\(target).html#part\(sentence)\" title=\"t\">dotted <em>link</em></a>"
                case 2: html += "<a href=\"/search?q=\(words[target % words.count])&amp;page=\(target % 9)\">search</a>"
                case 3: html += "<a href=\"http://site\(target % 8).test/section\(target % 13)/page\(target).html\" rel=\"nofollow\">absolute</a>"
                case 4: html += "<a href=\"//site\(target % 8).test/page\(target).html\">protocol-relative</a>"
                case 5: html += "<a href=\"mailto:someone\(target)@\(host)\">mail</a>"
                default: html += "<a href=\"/Section\(target % 13)/./Page%7e\(target).html\">  spaced\n   text  </a>"
                }
                html += ". "
            }
            html += "</p>\n<!-- <a href=\"/commented-out\">no</a> -->\n"
            if paragraph % 3 == 0 {
                html += "<table><tr><td><img src=\"/img/\(paragraph).png\" alt=\"image\"></td><td><a href=\"/table/\(paragraph)\">cell</a></td></tr></table>\n"
            }
            if paragraph % 5 == 0 {
                html += "<map name=\"m\(paragraph)\"><area shape=\"rect\" coords=\"0,0,10,10\" href=\"/area/\(paragraph)\" alt=\"Area \(paragraph)\"></map>\n"
                html += "<iframe src=\"/embed/\(paragraph)\" width=\"300\"></iframe>\n"
            }
            html += "<script>var data\(paragraph) = [\(paragraph), \(paragraph * 2)]; // <a href=\"/in-script\"></script>\n</div>\n"
        }
        html += "</main><footer><a href=\"/about\">About</a> <a href=\"javascript:void(0)\">js</a> <a href=\"/contact\">Contact</a></footer></body></html>\n"
        return html
    }
}
