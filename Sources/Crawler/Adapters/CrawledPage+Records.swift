import CrawlerCore
import CrawlerGraph
import Foundation

extension CrawledPage {
    /// The store's records for this finished page: one per redirect hop, then the page
    /// itself. Every store commits these (SQLite and PostgreSQL alike).
    package var storeRecords: [PageRecord] {
        let page = self
        let now = Date()
        switch page.outcome {
        case .failed(let error):
            return [PageRecord(url: page.url, depth: page.depth, fetchError: error, fetchSeconds: page.timings.fetch, fetchedAt: now)]
        case .skipped(let reason):
            return [PageRecord(url: page.url, depth: page.depth, errorKind: reason, errorMessage: "not fetched: \(reason)", fetchedAt: now)]
        case .fetched(let fetched):
            var records: [PageRecord] = []
            let hops = page.redirects
            for (index, hop) in hops.enumerated() {
                let target = index + 1 < hops.count ? hops[index + 1].url : fetched.finalURL
                var record = PageRecord.redirect(from: hop.url, to: target, status: hop.status, depth: page.depth, fetchedAt: now)
                record.inheritsDepth = index > 0  // hops of one fetch share the claimed URL's depth
                records.append(record)
            }
            let parsed = fetched.parsed
            var record = PageRecord(
                url: fetched.finalURL, depth: page.depth, status: fetched.status,
                contentType: fetched.mediaType, bytes: fetched.bytes,
                title: parsed?.title, canonicalURL: parsed?.canonicalURL, noindex: parsed?.robots.noindex ?? false,
                redirectTarget: fetched.redirectTarget,
                errorKind: fetched.parseError?.kind, errorMessage: fetched.parseError?.description,
                fetchSeconds: page.timings.fetch, parseSeconds: parsed == nil && fetched.parseError == nil ? nil : page.timings.parse,
                fetchedAt: now, links: page.links, enqueue: page.admitted.map(\.url))
            record.nofollow = parsed?.robots.nofollow ?? false
            record.inheritsDepth = !hops.isEmpty
            records.append(record)
            return records
        }
    }
}
