import CrawlerCore

/// The HTTP responses of WARC files as a crawler would have fetched them: what
/// `crawl --from-warc` re-parses and `bench --corpus FILE.warc.gz` measures.
public struct ArchivedHTTPResponse: Sendable, Hashable {
    /// `WARC-Target-URI`.
    public var url: NormalizedURL
    /// The HTTP status.
    public var status: Int
    /// The headers a crawler acts on.
    public var headers: ResponseHeaders
    /// The payload as archived.
    public var body: [UInt8]
}

extension WARCRecord {
    /// This record as a response a crawler can parse: a `response` record of an HTTP message
    /// with a URL the crawler accepts; nil otherwise (requests, metadata, revisits, DNS records…).
    public var httpResponse: ArchivedHTTPResponse? {
        guard type == .response, let uri = targetURI, let url = NormalizedURL(uri), let status = httpStatus, let payload = httpPayload else { return nil }
        var headers = ResponseHeaders(contentType: httpHeader("Content-Type"), location: httpHeader("Location"))
        headers.contentLength = httpHeader("Content-Length").flatMap { Int($0) }
        return ArchivedHTTPResponse(url: url, status: status, headers: headers, body: Array(payload))
    }
}

/// Reading every response of a set of WARC files.
public enum WARCResponses {
    /// The HTML responses with a 2xx status in `paths`, in file order; `limit` stops early.
    public static func html(in paths: [String], limit: Int = .max) throws -> [ArchivedHTTPResponse] {
        var found: [ArchivedHTTPResponse] = []
        for path in paths {
            let reader = try WARCReader(path: path)
            while found.count < limit, let record = try reader.next() {
                guard let response = record.httpResponse, (200..<300).contains(response.status), response.headers.isHTML else { continue }
                found.append(response)
            }
        }
        return found
    }
}
