import CrawlerArchive
import CrawlerCore
import CrawlerFetch

/// The fetch stage of `crawl --from-warc`: every URL is answered from WARC files instead of the
/// network, so a link graph is rebuilt from an archive (re-parsed, by any parse model) without
/// a request. The files are indexed once (URL → where its response is) and each fetch reads
/// one record back, so an archive of any size fits.
///
/// A `revisit` record answers with its own headers and the payload of the response it refers
/// to. Redirects are not followed: a 3xx is its own page, as it was archived, and its target is
/// answered from its own record. A URL the archive does not hold fails as `not-archived`.
public final class ArchiveFetcher: PageFetcher {
    private struct Entry: Sendable {
        var path: String
        var location: WARCLocation
        /// For a revisit: where the payload is.
        var payload: (path: String, location: WARCLocation)?
    }

    private let index: [NormalizedURL: Entry]
    /// Every archived URL, in the order the files hold them: the crawl's seeds.
    public let urls: [NormalizedURL]

    /// Indexes the response and revisit records of `paths`; the first record of a URL wins.
    public init(paths: [String]) throws {
        var index: [NormalizedURL: Entry] = [:]
        var urls: [NormalizedURL] = []
        var responses: [String: (String, WARCLocation)] = [:]
        for path in paths {
            let reader = try WARCReader(path: path)
            while let record = try reader.next() {
                guard record.type == .response || record.type == .revisit, let uri = record.targetURI, let url = NormalizedURL(uri) else { continue }
                let location = reader.lastRecordLocation
                if record.type == .response, let id = record.id { responses[id] = (path, location) }
                guard index[url] == nil else { continue }
                var entry = Entry(path: path, location: location)
                if record.type == .revisit {
                    guard let refersTo = record["WARC-Refers-To"], let original = responses[refersTo] else { continue }
                    entry.payload = original
                }
                index[url] = entry
                urls.append(url)
            }
        }
        self.index = index
        self.urls = urls
    }

    public func fetch(_ url: NormalizedURL) async -> Result<FetchResponse, FetchError> {
        guard let entry = index[url] else {
            return .failure(.transfer(url: url.string, code: 0, message: "not in the archive (--from-warc fetches nothing)"))
        }
        do {
            let record = try Self.record(entry.path, entry.location)
            guard let status = record.httpStatus, var body = record.httpPayload.map(Array.init) else {
                return .failure(.transfer(url: url.string, code: 0, message: "the archived record is not an HTTP response"))
            }
            if let payload = entry.payload {
                body = try Self.record(payload.path, payload.location).httpPayload.map(Array.init) ?? []
            }
            var headers = ResponseHeaders(contentType: record.httpHeader("Content-Type"), location: record.httpHeader("Location"))
            headers.contentLength = body.count
            return .success(FetchResponse(requestedURL: url, finalURL: url, status: status, headers: headers, body: body))
        } catch {
            return .failure(.transfer(url: url.string, code: 0, message: "cannot read it from the archive: \(error)"))
        }
    }

    private static func record(_ path: String, _ location: WARCLocation) throws -> WARCRecord {
        guard let record = try WARCReader(path: path, at: location).next() else {
            throw WARCError.corrupt(path: path, offset: location.offset, detail: "no record where the index says")
        }
        return record
    }

    public func shutdown() async {}
    // Admission, fetch with a slot and robots.txt: the protocol's defaults (nothing to wait for,
    // no robots.txt to read; sitemaps in the archive are seeds like every archived URL).
}
