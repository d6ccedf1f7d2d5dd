import CrawlerCore
import Foundation
import GRDB
@testable import CrawlerGraph

/// A URL literal that must parse.
func url(_ string: String) -> NormalizedURL {
    guard let url = NormalizedURL(string) else { fatalError("bad test URL \(string)") }
    return url
}

/// A fetched HTML page record with links to `targets` (each followed).
func page(_ source: String, depth: Int = 0, title: String? = nil, links targets: [String], follow: Bool = true) -> PageRecord {
    let links = targets.map { Link(target: url($0), kind: .a, anchorText: "to \($0)") }
    return PageRecord(
        url: url(source), depth: depth, status: 200, contentType: "text/html", bytes: 1000, title: title,
        fetchSeconds: 0.01, parseSeconds: 0.001, links: links, enqueue: follow ? links.map(\.target) : [])
}

extension GraphStore {
    /// Runs a query on a reader connection (tests look at the tables directly).
    func count(_ sql: String) throws -> Int {
        try read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }
}
