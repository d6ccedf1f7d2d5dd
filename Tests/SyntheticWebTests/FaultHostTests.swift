import Foundation
import CrawlerCore
import Testing
@testable import SyntheticWeb

@Suite("Fault host") struct FaultHostTests {
    private func url(_ server: SyntheticWebServer, _ path: String) -> NormalizedURL {
        NormalizedURL("http://\(server.model.layout.authority(server.model.layout.faultHostIndex!))\(path)")!
    }

    @Test func redirectChainHasThreeHopsToAFinalPage() async throws {
        try await TestWeb.with(TestWeb.config(faults: true)) { server in
            let first = try await server.get(url(server, "/redirect/chain-1"))
            #expect(first.status == 301)
            #expect(first.header("Location") == url(server, "/redirect/chain-2").string)
            let second = try await server.get(url(server, "/redirect/chain-2"))
            #expect(second.status == 302)
            #expect(second.header("Location") == "/redirect/chain-3")
            let third = try await server.get(url(server, "/redirect/chain-3"))
            #expect(third.status == 301)
            #expect(url(server, "/redirect/chain-3").resolve(third.header("Location") ?? "") == url(server, "/redirect/final.html"))
            #expect(try await server.get(url(server, "/redirect/final.html")).status == 200)
            let key = server.answerKey()
            #expect(key.page(url(server, "/redirect/chain-1"))?.expected == .status(301))
            #expect(key.page(url(server, "/redirect/chain-2"))?.expected == .status(302))
            #expect(key.page(url(server, "/redirect/final.html"))?.expected == .status(200))
            #expect(key.page(url(server, "/redirect/final.html"))?.depth == 1)
        }
    }

    @Test func redirectLoopGoesBackAndForth() async throws {
        try await TestWeb.with(TestWeb.config(faults: true)) { server in
            let a = try await server.get(url(server, "/redirect/loop-a"))
            let b = try await server.get(url(server, "/redirect/loop-b"))
            #expect(a.header("Location") == "/redirect/loop-b")
            #expect(b.header("Location") == "/redirect/loop-a")
            #expect(server.answerKey().page(url(server, "/redirect/loop-a"))?.expected == .failure("too-many-redirects"))
        }
    }

    @Test func flakyFailsOnceAndRateLimitAsksToRetry() async throws {
        try await TestWeb.with(TestWeb.config(faults: true)) { server in
            #expect(try await server.get(url(server, "/flaky")).status == 500)
            #expect(try await server.get(url(server, "/flaky")).status == 200)
            let limited = try await server.get(url(server, "/rate-limited"))
            #expect(limited.status == 429)
            #expect(limited.header("Retry-After") == "1")
            #expect(try await server.get(url(server, "/rate-limited")).status == 200)
            server.resetStats()
            #expect(try await server.get(url(server, "/flaky")).status == 500)
            let key = server.answerKey()
            #expect(key.page(url(server, "/flaky"))?.expected == .status(200))
            #expect(key.page(url(server, "/rate-limited"))?.expected == .status(200))
        }
    }

    @Test func slowStallsThenAnswers() async throws {
        try await TestWeb.with(TestWeb.config(faults: true)) { server in
            let clock = ContinuousClock()
            let start = clock.now
            let response = try await server.get(url(server, "/slow"))
            #expect(clock.now - start >= .milliseconds(450))
            #expect(response.status == 200)
            // 0.5 s is less than the crawler's default 30 s timeout; the default 40 s is more.
            #expect(server.answerKey().page(url(server, "/slow"))?.expected == .status(200))
            let defaultModel = SiteModel(config: SyntheticWebConfig(hosts: 2, pages: 20, faults: true), port: 18080)
            let slow = NormalizedURL("http://\(defaultModel.layout.authority(2))/slow")!
            #expect(defaultModel.answerKey().page(slow)?.expected == .failure("timeout"))
        }
    }

    @Test func hugeIsLargerThanTheDefaultCap() async throws {
        try await TestWeb.with(TestWeb.config(faults: true)) { server in
            let head = try await server.get(url(server, "/huge"), method: "HEAD")
            let length = Int(head.header("Content-Length") ?? "") ?? 0
            #expect(length == 12 * 1024 * 1024)
            #expect(length > FetchOptions().maxBodyBytes)
            let full = try await server.get(url(server, "/huge"))
            #expect(full.body.count == length && full.complete)
            #expect(server.answerKey().page(url(server, "/huge"))?.expected == .failure("too-large"))
        }
    }

    @Test func resetClosesMidBody() async throws {
        try await TestWeb.with(TestWeb.config(faults: true)) { server in
            let response = try await server.get(url(server, "/reset"))
            let length = Int(response.header("Content-Length") ?? "") ?? 0
            #expect(length > 0)
            #expect(!response.complete)
            #expect(response.body.count < length)
            #expect(server.answerKey().page(url(server, "/reset"))?.expected == .failure("reset"))
        }
    }

    @Test func contentTypesOfNonHTML() async throws {
        try await TestWeb.with(TestWeb.config(faults: true)) { server in
            let png = try await server.get(url(server, "/image.png"))
            #expect(png.header("Content-Type") == "image/png")
            #expect(png.body.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            let pdf = try await server.get(url(server, "/document.pdf"))
            #expect(pdf.header("Content-Type") == "application/pdf")
            #expect(pdf.body.starts(with: Array("%PDF-".utf8)))
            let binary = try await server.get(url(server, "/binary"))
            #expect(binary.header("Content-Type") == "text/html")
            #expect(!binary.body.contains(UInt8(ascii: "<")))
            #expect(String(validating: binary.body, as: UTF8.self) == nil)
        }
    }

    @Test func deepNestingAndMalformedMarkup() async throws {
        try await TestWeb.with(TestWeb.config(faults: true)) { server in
            let deep = try await server.get(url(server, "/deep.html"))
            #expect(deep.text.components(separatedBy: "<div>").count - 1 == 100_000)
            #expect(deep.text.contains("/deep/after.html"))
            let malformed = try await server.get(url(server, "/malformed.html"))
            for number in 1...MalformedPage.targetCount {
                #expect(malformed.text.contains("/malformed/target-\(number).html"))
                #expect(try await server.get(url(server, "/malformed/target-\(number).html")).status == 200)
            }
            let key = server.answerKey()
            let deepLinks = key.links.filter { $0.source == url(server, "/deep.html") }.map(\.target)
            #expect(Set(deepLinks) == Set(["before", "inside", "after"].map { url(server, "/deep/\($0).html") }))
        }
    }

    @Test func legacyCharsetsAreDeclaredOnlyInMeta() async throws {
        try await TestWeb.with(TestWeb.config(faults: true)) { server in
            let latin1 = try await server.get(url(server, "/latin1.html"))
            #expect(latin1.header("Content-Type") == "text/html")
            #expect(latin1.text.contains("<meta charset=\"ISO-8859-1\">"))
            #expect(latin1.body.contains(0xE9))
            let sjis = try await server.get(url(server, "/shift_jis.html"))
            #expect(sjis.header("Content-Type") == "text/html")
            #expect(sjis.body.starts(with: Array("<!DOCTYPE html>\n<html><head>\n<meta charset=\"Shift_JIS\">".utf8)))
            let key = server.answerKey()
            let cafe = url(server, "/charset/café.html")
            #expect(cafe.path == "/charset/caf%C3%A9.html")
            #expect(key.links.contains { $0.source == url(server, "/latin1.html") && $0.target == cafe })
            let nihongo = url(server, "/charset/日本語.html")
            #expect(key.links.contains { $0.source == url(server, "/shift_jis.html") && $0.target == nihongo })
            #expect(try await server.get(cafe).status == 200)
            #expect(try await server.get(nihongo).status == 200)
        }
    }

    @Test func calendarIsEndlessButTheAnswerKeyIsFinite() async throws {
        try await TestWeb.with(TestWeb.config(faults: true)) { server in
            let page = try await server.get(url(server, "/calendar/3001/07"))
            #expect(page.status == 200)
            var frontier = FrontierOptions()
            frontier.maxDepth = 5
            let key = server.answerKey(frontier: frontier)
            let calendar = key.pages.filter { $0.url.path.hasPrefix("/calendar/") }
            // Start month at depth 1, then 4 more each way within depth 5, and one each way met at depth 6.
            #expect(calendar.filter(\.fetched).count == 9)
            #expect(calendar.filter { !$0.fetched }.allSatisfy { $0.notFetchedReason == "depth" && $0.depth == 6 })
            #expect(calendar.filter { !$0.fetched }.count == 2)
        }
    }

    @Test func faultHomeLinksEveryFault() async throws {
        try await TestWeb.with(TestWeb.config(faults: true)) { server in
            let home = url(server, "/")
            #expect(server.seedURLs.contains(home))
            let found = CrudeLinkExtractor.targets(in: try await server.get(home).text, pageURL: home)
            for fault in FaultResource.homeLinks { #expect(found.contains(url(server, fault.path))) }
        }
    }
}
