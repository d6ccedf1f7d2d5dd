import Foundation
import CrawlerCore
import CrawlerGraph
import SyntheticWeb

/// Compares what a crawl stored with the synthetic web's answer key: which pages were
/// fetched (and with which outcome) and which links were found. Exact, not statistical.
struct AnswerKeyCheck {
    /// Pages the answer key says a crawl fetches.
    var expectedPages = 0
    /// Of those, pages the crawl stored with the expected outcome.
    var matchedPages = 0
    /// Distinct links the answer key lists.
    var expectedLinks = 0
    /// Of those, links the crawl stored.
    var matchedLinks = 0
    /// Up to a few differences a person can look into.
    var differences: [String] = []

    /// The check of `pages` and `links` (as stored) against `key`.
    init(key: AnswerKey, pages: [StoredPage], links: [StoredLink]) {
        let stored = Dictionary(pages.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
        let fetched = key.pages.filter(\.fetched)
        expectedPages = fetched.count
        for page in fetched {
            guard let row = stored[page.url.string] else {
                note("missing page \(page.url) (expected \(page.expected))")
                continue
            }
            let outcome = row.status.map(String.init) ?? row.errorKind ?? "nothing"
            if let depth = page.depth, row.depth != depth {
                note("\(page.url): stored at depth \(row.depth), its breadth-first depth is \(depth)")
            } else if outcome == page.expected.description || (row.errorKind != nil && row.errorKind == page.expected.description) {
                matchedPages += 1
            } else {
                note("\(page.url): stored \(outcome), expected \(page.expected)")
            }
        }
        let expectedFetched = Set(fetched.map(\.url.string))
        // URLs robots.txt forbids are stored too (with error `robots`, never fetched).
        let forbidden = Set(key.pages.filter { $0.notFetchedReason == "robots" }.map(\.url.string))
        for row in pages where !expectedFetched.contains(row.url) && !(row.errorKind == "robots" && forbidden.contains(row.url)) {
            note("unexpected page \(row.url) (\(row.status.map(String.init) ?? row.errorKind ?? "?"))")
        }
        // One per (source, target, kind), as both list them.
        let storedLinks = Set(links.filter { $0.kind != "redirect" }.map { "\($0.source)\t\($0.target)\t\($0.kind)" })
        let keyLinks = Set(key.links.map { "\($0.source.string)\t\($0.target.string)\t\($0.kind.rawValue)" })
        expectedLinks = keyLinks.count
        matchedLinks = keyLinks.intersection(storedLinks).count
        for link in keyLinks.subtracting(storedLinks).sorted().prefix(3) { note("missing link \(Self.describe(link))") }
        for link in storedLinks.subtracting(keyLinks).sorted().prefix(3) { note("unexpected link \(Self.describe(link))") }
    }

    /// "source -> target (kind)" of a "source<TAB>target<TAB>kind" key.
    private static func describe(_ link: String) -> String {
        let parts = link.split(separator: "\t", omittingEmptySubsequences: false)
        return parts.count == 3 ? "\(parts[0]) -> \(parts[1]) (\(parts[2]))" : link
    }

    private mutating func note(_ difference: String) {
        if differences.count < 12 { differences.append(difference) }
    }

    /// Whether the crawl found exactly the answer key.
    var isExact: Bool { differences.isEmpty && matchedPages == expectedPages && matchedLinks == expectedLinks }

    /// Two lines a person reads.
    var report: String {
        var lines = [
            "Answer key: \(Formatting.count(matchedPages)) of \(Formatting.count(expectedPages)) expected pages stored with the expected status and depth, "
                + "\(Formatting.count(matchedLinks)) of \(Formatting.count(expectedLinks)) links found"
                + (isExact ? " (exact match)" : ""),
        ]
        lines += differences.map { "  difference: \($0)" }
        return lines.joined(separator: "\n")
    }
}
