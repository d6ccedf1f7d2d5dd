import CrawlerCore

/// The wire bytes of one request and its response as `CurlTransfer` collects them, when the
/// crawl archives: the request's header block from curl's debug callback, the response's from
/// the header callback (reset at every status line, so a 1xx interim response is dropped).
struct ExchangeCapture {
    /// Seconds since the epoch when the request started.
    var startedAt: Double = 0
    var requestHeader: [UInt8] = []
    var responseHeader: [UInt8] = []

    /// The exchange, with `body` as received (curl decodes nothing while capturing).
    func exchange(url: NormalizedURL, ipAddress: String?, body: [UInt8], truncated: Bool) -> HTTPExchange {
        HTTPExchange(
            url: url, startedAt: startedAt, ipAddress: ipAddress, requestHeader: requestHeader,
            responseHeader: responseHeader, payload: body, truncated: truncated)
    }
}
