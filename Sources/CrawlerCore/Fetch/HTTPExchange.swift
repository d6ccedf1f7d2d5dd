#if canImport(Glibc)
import Glibc
#endif

/// One HTTP request and its response, byte for byte as they crossed the wire, for an archive
/// (WARC). Captured only when the crawl archives (`FetchOptions.captureExchanges`): the
/// request's header block as libcurl sent it, the response's header block and body as received
/// (chunked transfer encoding removed, any content encoding kept, as WARC 1.1 §6.3 asks).
public struct HTTPExchange: Sendable, Hashable {
    /// The URL that was requested.
    public var url: NormalizedURL
    /// When the request started, in seconds since 1970-01-01 UTC (`WARC-Date`).
    public var startedAt: Double
    /// The address of the server that answered (`WARC-IP-Address`), when curl knows it.
    public var ipAddress: String?
    /// The request line and headers, ending with the blank line (`GET / HTTP/1.1\r\n…\r\n\r\n`).
    public var requestHeader: [UInt8]
    /// The status line and headers of the final response, ending with the blank line (1xx
    /// interim responses are not kept).
    public var responseHeader: [UInt8]
    /// The entity body as received: the same bytes as `FetchResponse.body` unless the server
    /// sent a `Content-Encoding`, or the body was cut at `--max-bytes` (`truncated`).
    public var payload: [UInt8]
    /// Whether the body was cut at a truncating limit (`WARC-Truncated: length`).
    public var truncated: Bool

    /// An exchange as a fetch engine captured it.
    public init(url: NormalizedURL, startedAt: Double, ipAddress: String? = nil, requestHeader: [UInt8], responseHeader: [UInt8], payload: [UInt8], truncated: Bool = false) {
        self.url = url
        self.startedAt = startedAt
        self.ipAddress = ipAddress
        self.requestHeader = requestHeader
        self.responseHeader = responseHeader
        self.payload = payload
        self.truncated = truncated
    }
}

/// The wall clock, for dates written in archives (the crawl's timings use monotonic clocks).
public enum WallClock {
    /// Seconds since 1970-01-01 UTC, now.
    public static func secondsSince1970() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
