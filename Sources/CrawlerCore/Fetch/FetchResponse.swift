/// What one fetch brought back: the final URL after redirects, status, the headers that
/// matter to a crawler, the body and curl's timings. A 404 or a 500 is a response, not an error.
public struct FetchResponse: Sendable, Hashable {
    /// The URL that was asked for.
    public var requestedURL: NormalizedURL
    /// The URL the body came from, after redirects.
    public var finalURL: NormalizedURL
    /// Every redirect followed before `finalURL`, starting at `requestedURL`; empty without redirects.
    public var redirects: [RedirectHop]
    /// The final HTTP status code.
    public var status: Int
    /// The response headers that matter to a crawler.
    public var headers: ResponseHeaders
    /// The (decompressed) body.
    public var body: [UInt8]
    /// Where the time went, as curl measured it (summed over the redirect hops: see `FetchTimings`).
    public var timings: FetchTimings
    /// Each hop's request and response as they crossed the wire, redirects first; empty unless
    /// the crawl archives (`FetchOptions.captureExchanges`).
    public var exchanges: [HTTPExchange] = []

    /// A response as the fetch engines build it.
    public init(
        requestedURL: NormalizedURL, finalURL: NormalizedURL, redirects: [RedirectHop] = [],
        status: Int, headers: ResponseHeaders = ResponseHeaders(), body: [UInt8] = [],
        timings: FetchTimings = FetchTimings()
    ) {
        self.requestedURL = requestedURL
        self.finalURL = finalURL
        self.redirects = redirects
        self.status = status
        self.headers = headers
        self.body = body
        self.timings = timings
    }
}

/// The response headers a crawler acts on.
public struct ResponseHeaders: Sendable, Hashable, Codable {
    /// `Content-Type` as sent, e.g. `text/html; charset=ISO-8859-1`.
    public var contentType: String?
    /// `Content-Length`, when sent.
    public var contentLength: Int?
    /// `Retry-After`, as sent (seconds or an HTTP date).
    public var retryAfter: String?
    /// `Location` of the last response, when it had one.
    public var location: String?

    /// Headers as parsed from a response.
    public init(contentType: String? = nil, contentLength: Int? = nil, retryAfter: String? = nil, location: String? = nil) {
        self.contentType = contentType
        self.contentLength = contentLength
        self.retryAfter = retryAfter
        self.location = location
    }

    /// The media type without parameters, lower-cased: `text/html`.
    public var mediaType: String? {
        guard let contentType else { return nil }
        let type = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        let trimmed = type.trimmingASCIIWhitespace().lowercased()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The `charset` parameter of `Content-Type`, lower-cased and unquoted, when present.
    public var charset: String? {
        guard let contentType else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingASCIIWhitespace().lowercased() == "charset" else { continue }
            var value = pair[1].trimmingASCIIWhitespace()
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty ? nil : value.lowercased()
        }
        return nil
    }

    /// Whether the body should go to the HTML parser: declared HTML (`declaresHTML`), or a type
    /// that says nothing (`isUnknownType`), whose bytes the parser sniffs.
    public var isHTML: Bool { Self.isHTML(mediaType: mediaType) }

    /// Whether `Content-Type` declares HTML (`text/html`, `application/xhtml+xml`): then the body
    /// is HTML whatever its bytes (WHATWG MIME Sniffing §7: a supplied HTML type is the computed type).
    public var declaresHTML: Bool { Self.declaresHTML(mediaType: mediaType) }

    /// Whether the type says nothing of the body: no `Content-Type` (or no media type in it), or
    /// one of the "unknown" types WHATWG MIME Sniffing sniffs (`unknown/unknown`,
    /// `application/unknown`, `*/*`).
    public var isUnknownType: Bool { Self.isUnknownType(mediaType: mediaType) }

    /// `isHTML` of a media type already taken out of `Content-Type` (`mediaType`).
    public static func isHTML(mediaType: String?) -> Bool {
        declaresHTML(mediaType: mediaType) || isUnknownType(mediaType: mediaType)
    }

    /// `declaresHTML` of a media type already taken out of `Content-Type`.
    public static func declaresHTML(mediaType: String?) -> Bool {
        mediaType == "text/html" || mediaType == "application/xhtml+xml"
    }

    /// `isUnknownType` of a media type already taken out of `Content-Type`.
    public static func isUnknownType(mediaType: String?) -> Bool {
        guard let mediaType else { return true }
        return mediaType == "unknown/unknown" || mediaType == "application/unknown" || mediaType == "*/*"
    }
}

/// Where one transfer's time went, in seconds from its start (curl's `*_TIME_T` figures).
///
/// After redirects (each hop is its own transfer), `total` is the sum of every hop's `total`
/// (the waits for a host's turn between hops are not included), and `dns`, `connect`, `tls`
/// and `firstByte` are the last hop's, from that hop's start.
public struct FetchTimings: Sendable, Hashable, Codable {
    /// Name resolution finished.
    public var dns: Double
    /// TCP connection established.
    public var connect: Double
    /// TLS handshake finished (0 for plain HTTP).
    public var tls: Double
    /// First byte of the response received.
    public var firstByte: Double
    /// Transfer finished.
    public var total: Double

    /// Timings as curl reports them.
    public init(dns: Double = 0, connect: Double = 0, tls: Double = 0, firstByte: Double = 0, total: Double = 0) {
        self.dns = dns
        self.connect = connect
        self.tls = tls
        self.firstByte = firstByte
        self.total = total
    }
}

extension StringProtocol {
    /// The string without leading and trailing ASCII whitespace (space, tab, CR, LF, FF).
    /// Works on bytes, not `Character`s: "\r\n" is one `Character`, equal to neither "\r" nor
    /// "\n", so a CRLF (a Windows sitemap's `<loc>`, a header's end) would stay.
    public func trimmingASCIIWhitespace() -> String {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x0C }
        let bytes = Substring(self).utf8  // bidirectional, whatever the conforming type
        guard let start = bytes.firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = bytes.lastIndex(where: { !isSpace($0) })!
        return String(decoding: bytes[start...end], as: UTF8.self)
    }
}
