import CrawlerCore
import Foundation
import SyntheticWeb
import TestSupport
import Testing

@testable import CrawlerParse

/// The extractor against the synthetic web's answer key, without HTTP: for every fetched 2xx
/// page with a body, the distinct targets found are exactly the answer key's targets for that
/// source, with the same kind (of the first occurrence) and nofollow (every occurrence).
@Suite(.serialized) struct SyntheticWebAnswerKeyTests {
    static let port = 18_080
    static let model = SiteModel(config: SyntheticWebConfig(seed: 7, hosts: 3, pages: 150, meanPageKB: 8, port: port, faults: true), port: port)
    /// Documentation pages: a sidebar of `../` links on every page, fragments, repeated targets.
    static let docsModel = SiteModel(config: SyntheticWebConfig(seed: 7, hosts: 2, pages: 150, meanPageKB: 16, port: port, profile: .docs), port: port)

    /// Distinct links of a page as the answer key lists them: one per (target, kind), with the
    /// first `rel` of a `<link>` (the key gives no rel for other elements).
    static func distinct(_ page: ParsedPage) -> [AnswerKeyLink] {
        struct Key: Hashable {
            var target: NormalizedURL
            var kind: LinkKind
        }
        var first: [Key: String?] = [:]
        var allNofollow: [Key: Bool] = [:]
        for link in page.links {
            let key = Key(target: link.target, kind: link.kind)
            if first[key] == nil { first[key] = link.kind == .link ? link.rel : nil }
            allNofollow[key] = (allNofollow[key] ?? true) && link.nofollow
        }
        return first.map { AnswerKeyLink(source: page.url, target: $0.key.target, kind: $0.key.kind, rel: $0.value, nofollow: allNofollow[$0.key]!) }.sorted()
    }

    @Test(arguments: SiteProfile.allCases)
    func extractedLinksAreExactlyTheAnswerKeys(profile: SiteProfile) throws {
        let model = profile == .docs ? Self.docsModel : Self.model
        let key = model.answerKey()
        let expectedBySource = Dictionary(grouping: key.links, by: \.source)
        let jobs = model.parseJobs(of: key)
        #expect(jobs.count > 100)
        let extractor = LinkExtractor()
        var parsedCount = 0
        var sourcesSeen = Set<NormalizedURL>()
        for job in jobs {
            sourcesSeen.insert(job.url)
            switch extractor.extract(job) {
            case .success(let page):
                parsedCount += 1
                let expected = (expectedBySource[job.url] ?? []).sorted()
                let found = Self.distinct(page)
                #expect(found == expected, "links of \(job.url): missing \(Set(expected).subtracting(found).map { "\($0.kind) \($0.target.string)" }.sorted().prefix(5)), extra \(Set(found).subtracting(expected).map { "\($0.kind) \($0.target.string)" }.sorted().prefix(5))")
            case .failure(let error):
                // Only bodies that are not HTML may fail, and the answer key has no links from them.
                #expect(error.kind == "not-html", "\(job.url): \(error)")
                #expect(expectedBySource[job.url] == nil, "\(job.url) failed (\(error)) but has links in the answer key")
            }
        }
        #expect(parsedCount > 100)
        // Every source of the answer key was parsed.
        let unparsedSources = Set(expectedBySource.keys).subtracting(sourcesSeen)
        #expect(unparsedSources.isEmpty, "answer-key sources without a body: \(unparsedSources.map(\.string).sorted().prefix(5))")
    }

    @Test func faultPagesGiveLinksOrAClearError() throws {
        let key = Self.model.answerKey()
        let extractor = LinkExtractor()
        let faultPages = Self.model.parseJobs(of: key).filter { ["/binary", "/malformed.html", "/deep.html", "/latin1.html", "/shift_jis.html"].contains($0.url.path) }
        #expect(faultPages.count == 5)
        for job in faultPages {
            let result = extractor.extract(job)
            switch job.url.path {
            case "/binary":
                // Served as text/html, so parsed as HTML (as browsers do): its random bytes hold
                // no markup, and no garbage link comes out of them.
                #expect(try result.get().links.isEmpty, "\(job.url)")
            default:
                let page = try result.get()
                #expect(!page.links.isEmpty, "\(job.url) gave no links")
            }
        }
    }
}
