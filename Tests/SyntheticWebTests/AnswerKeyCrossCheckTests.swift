import Foundation
import CrawlerCore
import Testing
@testable import SyntheticWeb

@Suite("Answer key against served pages") struct AnswerKeyCrossCheckTests {
    @Test func everyLinkInTheAnswerKeyIsInTheServedHTMLAndNothingElse() async throws {
        try await TestWeb.with(TestWeb.config(faults: true)) { server in
            let key = server.answerKey()
            var linksBySource: [NormalizedURL: Set<NormalizedURL>] = [:]
            for link in key.links { linksBySource[link.source, default: []].insert(link.target) }
            var checkedPages = 0
            for page in key.pages where page.fetched {
                guard case .status(let status) = page.expected, page.contentType?.hasPrefix("text/html; charset=utf-8") == true,
                    (200..<300).contains(status)
                else { continue }
                // The malformed and deep pages are checked by the fault tests (a regex does not recover like libxml2).
                if page.url.path == "/malformed.html" || page.url.path == "/deep.html" { continue }
                var response = try await server.get(page.url)
                if response.status == 500 || response.status == 429 {
                    response = try await server.get(page.url)  // the crawler retries these once
                }
                #expect(response.status == status, "\(page.url)")
                let found = CrudeLinkExtractor.targets(in: response.text, pageURL: page.url)
                let expected = linksBySource[page.url] ?? []
                #expect(found == expected, "links of \(page.url): missing \(expected.subtracting(found).sorted()), extra \(found.subtracting(expected).sorted())")
                checkedPages += 1
            }
            #expect(checkedPages > 50)
        }
    }

    @Test func everyPageHasTheStatedStatus() async throws {
        try await TestWeb.with(TestWeb.config()) { server in
            let key = server.answerKey()
            for page in key.pages where page.fetched {
                guard case .status(let status) = page.expected else { continue }
                let response = try await server.get(page.url, method: "HEAD")
                #expect(response.status == status, "\(page.url)")
                #expect(response.header("Content-Type") == page.contentType, "\(page.url)")
            }
            #expect(key.pages.contains { $0.expected == .status(404) && $0.fetched })
        }
    }

    @Test func everyContentPageIsReachableAndShallow() {
        let model = SiteModel(config: TestWeb.config(pages: 400), port: 18080)
        let key = model.answerKey()
        for url in model.contentPageURLs {
            let page = key.page(url)
            #expect(page != nil, "\(url) is not met by a crawl")
            if let page, url.path.hasPrefix("/drafts/") {
                #expect(page.notFetchedReason == "nofollow", "linked only by rel=nofollow from the home page")
            } else if let page, !url.path.hasPrefix("/private/") || url.path.hasPrefix("/private/press/") {
                #expect(page.fetched, "\(url): \(page.notFetchedReason ?? "")")
            }
            #expect((page?.depth ?? 99) < 10)
        }
        var following = FrontierOptions()
        following.followNofollow = true
        let followingKey = model.answerKey(frontier: following)
        #expect(model.contentPageURLs.filter { $0.path.hasPrefix("/drafts/") }.count == 3)
        for url in model.contentPageURLs where url.path.hasPrefix("/drafts/") { #expect(followingKey.page(url)?.fetched == true) }
        let degrees = Dictionary(grouping: key.links, by: \.source).values.map(\.count)
        let mean = Double(degrees.reduce(0, +)) / Double(degrees.count)
        #expect(mean > 12 && mean < 30, "mean out-degree \(mean)")
    }

    @Test func answerKeyFilesHaveHeaders() throws {
        let model = SiteModel(config: TestWeb.config(), port: 18080)
        let key = model.answerKey()
        #expect(key.pagesTSV.hasPrefix("url\texpected\tfetched\treason\tdepth\tcontent_type\n"))
        #expect(key.linksTSV.hasPrefix("source\ttarget\tkind\trel\tnofollow\n"))
        #expect(key.seedsText.split(separator: "\n").count == 1 + 3)
        #expect(key.links == key.links.sorted())
        #expect(Set(key.links.map { "\($0.source) \($0.target) \($0.kind)" }).count == key.links.count)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("answer-key-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try key.write(to: directory)
        let links = try String(contentsOf: directory.appendingPathComponent("links.tsv"), encoding: .utf8)
        #expect(links == key.linksTSV)
        #expect(links.split(separator: "\n").count == key.links.count + 1)
        let pages = try String(contentsOf: directory.appendingPathComponent("pages.tsv"), encoding: .utf8)
        #expect(pages.split(separator: "\n").count == key.pages.count + 1)
        #expect(pages.contains("\t404\ttrue\t-\t"))
    }
}
