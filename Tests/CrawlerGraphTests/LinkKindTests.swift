import CrawlerCore
import Foundation
import GRDB
import TestSupport
import Testing
@testable import CrawlerGraph

/// Every kind a page links a target by is kept, exports say which, and PageRank is the
/// hyperlink graph's.
@Suite struct LinkKindTests {
    static let docs = "http://docs.test/"
    static let io = "http://docs.test/io.html"
    static let css = "http://docs.test/static/site.css"

    /// A Sphinx page: `<link rel=next href=io.html>` in the head, a stylesheet, and seven
    /// `<a href=io.html>` in the body.
    static func sphinxPage() -> PageRecord {
        var links = [
            Link(target: url(io), kind: .link, rel: "next"),
            Link(target: url(css), kind: .link, rel: "stylesheet"),
        ]
        for index in 0..<7 { links.append(Link(target: url(io), kind: .a, anchorText: index == 0 ? "" : "I/O \(index)")) }
        return PageRecord(
            url: url(docs), depth: 0, status: 200, contentType: "text/html", bytes: 1000, title: "Docs",
            fetchSeconds: 0.01, parseSeconds: 0.001, links: links, enqueue: [url(io)])
    }

    @Test func aPairLinkedSeveralWaysKeepsEveryKindWithItsCount() throws {
        let directory = TemporaryDirectory()
        let store = try GraphStore(path: directory.file("crawl.sqlite"))
        let summary = try store.commit([Self.sphinxPage()])
        #expect(summary.linksStored == 3)
        let links = try store.storedLinks()
        #expect(links == [
            StoredLink(source: Self.docs, target: Self.io, kind: "a", rel: nil, nofollow: false, count: 7),
            StoredLink(source: Self.docs, target: Self.io, kind: "link", rel: "next", nofollow: false, count: 1),
            StoredLink(source: Self.docs, target: Self.css, kind: "link", rel: "stylesheet", nofollow: false, count: 1),
        ].sorted { ($0.target, $0.kind) < ($1.target, $1.kind) })
    }

    @Test func mergingKeepsTheRelTokensOfEveryOccurrence() {
        let target = url(Self.io)
        let merged = MergedLink.merge([
            Link(target: target, kind: .a, rel: "nofollow", nofollow: true),
            Link(target: target, kind: .a, rel: "external nofollow", anchorText: "x", nofollow: true),
            Link(target: target, kind: .a),
            Link(target: target, kind: .link, rel: "alternate"),
        ], redirectTarget: nil, id: { $0 == target ? 7 : 8 })
        #expect(merged.map(\.kind) == [.a, .link])
        #expect(merged.map(\.targetID) == [7, 7])
        #expect(merged[0].rel == "nofollow external")
        #expect(merged[0].count == 3)
        #expect(merged[0].nofollow == false, "one followable occurrence makes the edge followable")
        #expect(merged[0].anchor == "x")
        #expect(merged[1].rel == "alternate")
    }

    /// Depth passes along followed links only: a stylesheet's link does not make its target
    /// shallower unless the crawl follows resources.
    @Test func relaxationFollowsOnlyTheLinksACrawlFollows() {
        let rules = FrontierRules(maxDepth: 10)
        let resources = FrontierRules(maxDepth: 10, followResources: true)
        let nofollow = FrontierRules(maxDepth: 10, followNofollow: true)
        func step(_ rules: FrontierRules, _ kind: String, _ rel: String? = nil, nofollow: Bool = false, page: Bool = false, target: Int = 5, old: Int = 3) -> Int? {
            rules.relaxationStep(kind: kind, rel: rel, nofollow: nofollow, pageNofollow: page, targetDepth: target, oldDepth: old)
        }
        #expect(step(rules, "a") == 1)
        #expect(step(rules, "link", "next") == 1)
        #expect(step(rules, "link", "canonical") == 1)
        #expect(step(rules, "refresh") == 1)
        #expect(step(rules, "link", "stylesheet") == nil)
        #expect(step(rules, "img") == nil)
        #expect(step(rules, "link", "alternate") == nil)
        #expect(step(resources, "link", "stylesheet") == 1)
        #expect(step(resources, "img") == 1)
        #expect(step(rules, "a", nofollow: true) == nil)
        #expect(step(rules, "a", page: true) == nil)
        #expect(step(nofollow, "a", nofollow: true) == 1)
        #expect(step(rules, "redirect", target: 3, old: 3) == 0, "a hop the fetcher followed is at its source's depth")
        #expect(step(rules, "redirect", target: 5, old: 3) == 1)
    }

    /// The edge carries the strongest kind, every kind, rel and anchor; its weight counts every
    /// occurrence; the stylesheet every page loads gets no PageRank from them.
    @Test func exportsSayHowAPageLinksAndRankByHyperlinks() throws {
        let directory = TemporaryDirectory()
        let store = try GraphStore(path: directory.file("crawl.sqlite"))
        var records = [Self.sphinxPage()]
        // A ring of pages, each linking to the next and loading the stylesheet.
        for index in 0..<10 {
            let source = index == 0 ? Self.io : "http://docs.test/p\(index).html"
            let next = index == 9 ? Self.docs : "http://docs.test/p\(index + 1).html"
            records.append(PageRecord(
                url: url(source), depth: 1, status: 200, contentType: "text/html", bytes: 1000, title: "P\(index)",
                fetchSeconds: 0.01, parseSeconds: 0.001,
                links: [Link(target: url(Self.css), kind: .link, rel: "stylesheet"), Link(target: url(next), kind: .a, anchorText: "next")],
                enqueue: []))
        }
        try store.commit(records)
        let path = directory.file("graph.csv")
        let summary = try store.export(format: .csv, level: .page, to: path)
        #expect(summary.nodes == 12, "ten pages, the docs home and the stylesheet")
        #expect(summary.edges == 22, "docs→io, docs→css, and two from each ring page")
        let edges = try String(contentsOfFile: CSVWriter.paths(for: path).edges, encoding: .utf8)
        let lines = edges.components(separatedBy: "\r\n")
        #expect(lines.first == "source,target,weight,nofollow,kind,kinds,rel,anchor")
        #expect(lines.contains("\(Self.docs),\(Self.io),8,false,a,a link,next,I/O 1"))
        #expect(lines.contains("\(Self.docs),\(Self.css),1,false,link,link,stylesheet,"))

        let stats = try store.stats(top: 3)
        #expect(!stats.topByPageRank.map(\.url).contains(Self.css), "a stylesheet is not a page: \(stats.topByPageRank.map(\.url))")
        #expect(!stats.topByInDegree.map(\.url).contains(Self.css))
    }

    /// `--kinds` keeps the links named and the nodes they reach.
    @Test func kindsSelectTheLinksAndTheirTargets() throws {
        let directory = TemporaryDirectory()
        let store = try GraphStore(path: directory.file("crawl.sqlite"))
        try store.commit([Self.sphinxPage()])
        let hyperlinks = try store.export(format: .edgelist, level: .page, to: directory.file("a.tsv"), selection: LinkSelection(parsing: "hyperlink"))
        #expect(hyperlinks.edges == 1)
        #expect(try String(contentsOfFile: directory.file("a.tsv"), encoding: .utf8) == "\(Self.docs)\t\(Self.io)\n")
        let resources = try store.export(format: .csv, level: .page, to: directory.file("r.csv"), selection: LinkSelection(parsing: "resource"))
        #expect(resources.edges == 1)
        #expect(resources.nodes == 2, "the page and the stylesheet; io is reached by hyperlinks only")
        let byElement = try store.export(format: .csv, level: .page, to: directory.file("l.csv"), selection: LinkSelection(parsing: " link "))
        #expect(byElement.edges == 2)
        let edges = try String(contentsOfFile: CSVWriter.paths(for: directory.file("l.csv")).edges, encoding: .utf8)
        #expect(edges.contains("\(Self.io),1,false,link,link,next,"), "only the <link> of the pair: \(edges)")
        #expect(throws: LinkSelectionError.self) { try LinkSelection(parsing: "a,stylesheets") }
        #expect(throws: LinkSelectionError.self) { try LinkSelection(parsing: ",") }
    }

    /// A schema 2 database gains the rel column and the per-kind key (3), then lastmod (4); its
    /// links keep their rows.
    @Test func aVersionTwoDatabaseIsMigrated() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("crawl.sqlite")
        do {
            let pool = try DatabasePool(path: path)
            try GraphSchema.migrator.migrate(pool, upTo: "v2: per-host frontier, parked URLs, page nofollow")
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO hosts (id, name) VALUES (1, 'docs.test');
                    INSERT INTO urls (id, url, host_id) VALUES (1, '\(Self.docs)', 1), (2, '\(Self.io)', 1);
                    INSERT INTO pages (url_id, depth, status, fetched_at) VALUES (1, 0, 200, 0);
                    INSERT INTO links (source_id, target_id, kind, nofollow, anchor, count) VALUES (1, 2, 'link', 0, NULL, 8);
                    PRAGMA application_id = \(GraphSchema.applicationID);
                    """)
            }
            try pool.close()
        }
        // Read-only (export, stats), it is read as it is.
        let reader = try GraphStore(path: path, createIfMissing: false, options: .readOnly)
        #expect(try reader.storedLinks() == [StoredLink(source: Self.docs, target: Self.io, kind: "link", rel: nil, nofollow: false, count: 8)])
        #expect(try reader.export(format: .edgelist, level: .page, to: directory.file("old.tsv")).edges == 1)
        // Opened to write, it is migrated.
        let store = try GraphStore(path: path)
        #expect(try store.count("PRAGMA user_version") == GraphSchema.currentVersion)
        // Through schema 4 too: the old link has the lastmod column, empty (it is no sitemap entry).
        #expect(try store.count("SELECT count(*) FROM links WHERE lastmod IS NULL") == 1)
        #expect(try store.storedLinks() == [StoredLink(source: Self.docs, target: Self.io, kind: "link", rel: nil, nofollow: false, count: 8)])
        try store.commit([Self.sphinxPage()].map { record in
            var record = record
            record.url = url("http://docs.test/other")
            return record
        })
        #expect(try store.count("SELECT count(*) FROM links WHERE target_id = 2") == 3, "the old row, and a and link from the new page")
    }
}
