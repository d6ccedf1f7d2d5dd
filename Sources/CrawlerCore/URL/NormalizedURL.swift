/// An absolute `http` or `https` URL in normal form: the one identity every phase uses
/// (frontier, store, exports, tests). Two spellings of the same resource give equal values.
///
/// Normalization follows RFC 3986 section 6: scheme and host lower-cased, non-ASCII hosts to
/// Punycode (`xn--`), the default port (80, 443) and an empty port dropped, escapes of
/// unreserved characters decoded and other escapes upper-cased, characters a component may
/// not carry escaped (non-ASCII as UTF-8), dot segments removed, an empty path made `/`, an
/// empty query (`?` alone) dropped, and the fragment dropped. Query parameters keep their order.
/// Before parsing, a reference is trimmed of leading and trailing whitespace and control
/// characters, and tabs and newlines inside it are removed (as browsers do).
public struct NormalizedURL: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The whole normalized URL.
    public let string: String
    /// `http` or `https`.
    public let scheme: String
    /// Lower-cased host, Punycode for internationalized names, `[…]` for IPv6.
    public let host: String
    /// The port when it is not the scheme's default.
    public let port: Int?
    /// The path, never empty.
    public let path: String
    /// The query without `?`, when present and not empty.
    public let query: String?

    /// Parses and normalizes an absolute URL; nil if it is not a valid `http`/`https` URL.
    public init?(_ string: String) {
        guard case .success(let url) = Self.normalize(string, relativeTo: nil) else { return nil }
        self = url
    }

    /// Resolves a reference (an `href`) against this URL and normalizes the result; nil if the
    /// result is not a valid `http`/`https` URL.
    public func resolve(_ reference: String) -> NormalizedURL? {
        guard case .success(let url) = Self.normalize(reference, relativeTo: self) else { return nil }
        return url
    }

    /// Resolves and normalizes, saying why a reference was rejected.
    public static func normalize(_ reference: String, relativeTo base: NormalizedURL?) -> Result<NormalizedURL, URLRejection> {
        normalize(reference, against: base?.uriReference)
    }

    /// `normalize(_:relativeTo:)` with the base already split into components (its
    /// `uriReference`), which `ReferenceResolver` does once for all the links of a page.
    static func normalize(_ reference: String, against base: URIReference?) -> Result<NormalizedURL, URLRejection> {
        let cleaned = clean(reference)
        var parsed = URIReference(parsing: cleaned)
        if let base {
            parsed = parsed.resolved(against: base)
        } else if parsed.scheme == nil {
            return .failure(.notAbsolute(reference))
        }
        guard let rawScheme = parsed.scheme else { return .failure(.notAbsolute(reference)) }
        let scheme = rawScheme.lowercased()
        guard scheme == "http" || scheme == "https" else { return .failure(.unsupportedScheme(scheme)) }
        guard let authority = parsed.authority else { return .failure(.invalid(reference, reason: "no host")) }

        // authority = [ userinfo "@" ] host [ ":" port ]
        var hostAndPort = Substring(authority)
        var userinfo: String?
        if let at = authority.utf8.lastIndex(of: UInt8(ascii: "@")) {
            userinfo = PercentEncoding.normalize(authority[..<at], as: .userinfo)
            hostAndPort = authority[authority.utf8.index(after: at)...]
        }
        var rawHost = hostAndPort
        var rawPort: Substring?
        if let colon = hostAndPort.utf8.lastIndex(of: UInt8(ascii: ":")), !hostAndPort.utf8[colon...].contains(UInt8(ascii: "]")) {
            rawHost = hostAndPort[..<colon]
            rawPort = hostAndPort[hostAndPort.utf8.index(after: colon)...]
        }
        guard let host = normalizeHost(rawHost) else { return .failure(.invalid(reference, reason: "bad host")) }
        var port: Int?
        if let rawPort, !rawPort.isEmpty {
            guard rawPort.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                let value = Int(rawPort), value <= 65535
            else { return .failure(.invalid(reference, reason: "bad port")) }
            let isDefault = (scheme == "http" && value == 80) || (scheme == "https" && value == 443)
            port = isDefault ? nil : value
        }
        var path = URIReference.removeDotSegments(PercentEncoding.normalize(parsed.path, as: .path))
        if path.isEmpty { path = "/" }
        var query: String?
        if let rawQuery = parsed.query, !rawQuery.isEmpty { query = PercentEncoding.normalize(rawQuery, as: .query) }

        var string = scheme + "://"
        string.reserveCapacity(scheme.utf8.count + 3 + host.utf8.count + path.utf8.count + (query?.utf8.count ?? 0) + (userinfo?.utf8.count ?? 0) + 8)
        if let userinfo { string += userinfo + "@" }
        string += host
        if let port { string += ":\(port)" }
        string += path
        if let query { string += "?" + query }
        return .success(NormalizedURL(string: string, scheme: scheme, host: host, port: port, path: path, query: query))
    }

    /// A URL from components that already are in normal form, as taken from another
    /// `NormalizedURL` (the parse workers' wire format); nothing is checked.
    package init(string: String, scheme: String, host: String, port: Int?, path: String, query: String?) {
        self.string = string
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.query = query
    }

    /// Strips what browsers strip before parsing: leading and trailing C0 controls and spaces,
    /// and every tab, CR and LF inside.
    private static func clean(_ reference: String) -> String {
        // Fast path (nearly every href): nothing at or below U+0020 anywhere.
        if reference.utf8.allSatisfy({ $0 > 0x20 }) { return reference }
        var scalars = Substring(reference).unicodeScalars
        while let first = scalars.first, first.value <= 0x20 { scalars.removeFirst() }
        while let last = scalars.last, last.value <= 0x20 { scalars.removeLast() }
        var result = String.UnicodeScalarView()
        for scalar in scalars where scalar != "\t" && scalar != "\n" && scalar != "\r" { result.append(scalar) }
        return String(result)
    }

    private static func normalizeHost(_ raw: Substring) -> String? {
        // Fast path: already a lower-case ASCII name, which every step below leaves as it is.
        if !raw.isEmpty, raw.utf8.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }) {
            return String(raw)
        }
        if raw.hasPrefix("[") {
            guard raw.hasSuffix("]"), raw.count > 2 else { return nil }
            return raw.lowercased()
        }
        let decoded = PercentEncoding.decodeAll(raw)
        guard !decoded.isEmpty, let text = String(validating: decoded, as: UTF8.self) else { return nil }
        guard let ascii = Punycode.asciiHost(text) else { return nil }
        let allowed = ascii.utf8.allSatisfy { PercentEncoding.isUnreserved($0) || PercentEncoding.isSubDelimiter($0) }
        return allowed ? ascii : nil
    }

    /// This URL's components as a reference, without parsing the string again: what
    /// `URIReference(parsing: string)` gives (a normalized URL has no fragment, its path
    /// starts with `/` and holds no `?` or `#`).
    var uriReference: URIReference {
        let utf8 = string.utf8
        let authorityStart = utf8.index(utf8.startIndex, offsetBy: scheme.utf8.count + 3)
        let authorityEnd = utf8.index(utf8.endIndex, offsetBy: -(path.utf8.count + (query.map { $0.utf8.count + 1 } ?? 0)))
        return URIReference(scheme: scheme, authority: String(Substring(utf8[authorityStart..<authorityEnd])), path: path, query: query)
    }

    /// `host` or `host:port`: the key for politeness and scope.
    public var authority: String { port.map { "\(host):\($0)" } ?? host }
    /// `scheme://host[:port]`: where robots.txt lives.
    public var origin: String { "\(scheme)://\(authority)" }
    /// Path and query as sent in a request line.
    public var pathAndQuery: String { query.map { "\(path)?\($0)" } ?? path }

    public var description: String { string }

    public static func < (lhs: NormalizedURL, rhs: NormalizedURL) -> Bool { lhs.string < rhs.string }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let url = NormalizedURL(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an http(s) URL: \(text)")
        }
        self = url
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(string)
    }
}

/// Why a reference did not become a `NormalizedURL`.
public enum URLRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// `javascript:`, `mailto:`, `tel:`, `data:`, `ftp:`, … (the scheme, lower-cased).
    case unsupportedScheme(String)
    /// A relative reference with nothing to resolve it against.
    case notAbsolute(String)
    /// Not a valid URL (bad host or port).
    case invalid(String, reason: String)

    public var description: String {
        switch self {
        case .unsupportedScheme(let scheme): "\(scheme): URLs are not crawled; only http and https"
        case .notAbsolute(let reference): "\(reference) is not an absolute URL; write it with http:// or https://"
        case .invalid(let reference, let reason): "\(reference) is not a valid URL (\(reason))"
        }
    }
}
