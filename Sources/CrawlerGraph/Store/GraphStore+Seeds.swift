import CrawlerCore
import GRDB

/// A seed that was tried and not fetched, and why.
public struct SeedFailure: Sendable, Hashable {
    /// The seed.
    public var url: String
    /// Its page's failure, as stored (`FetchError.description`).
    public var message: String
}

extension GraphStore {
    /// The failures of `urls` when none of them was fetched: each has a page row without an HTTP
    /// status (its fetch failed, or robots.txt kept it out). Nil as soon as one was fetched (any
    /// status, a redirect too) or not yet tried (still queued): the crawl did reach something,
    /// or may yet.
    public func failuresIfNoneFetched(_ urls: [NormalizedURL]) throws -> [SeedFailure]? {
        if urls.isEmpty { return nil }
        return try read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT p.status, p.error_message FROM pages p JOIN urls u ON u.id = p.url_id WHERE u.url = ?
                """)
            var failures: [SeedFailure] = []
            for url in urls {
                guard let row = try Row.fetchOne(statement, arguments: [url.string]) else { return nil }
                if (row[0] as Int?) != nil { return nil }
                failures.append(SeedFailure(url: url.string, message: row[1] ?? "not fetched"))
            }
            return failures
        }
    }
}
