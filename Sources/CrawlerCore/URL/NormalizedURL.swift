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
///
/// A value is one string and where its parts lie in it (UTF-8 offsets): at most one
/// allocation per URL. A part is cut from the string when asked for (a new string, which
/// needs no allocation when it has at most 15 UTF-8 bytes).
public struct NormalizedURL: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The whole normalized URL.
    public let string: String
    /// Where the host starts in `string` (UTF-8 offset): after `scheme://` and any `userinfo@`.
    private let hostStart: UInt32
    /// Where the host ends: at `:port`, or else at the path.
    private let hostEnd: UInt32
    /// Where the path starts (its `/`).
    private let pathStart: UInt32
    /// Where the query starts (after its `?`); 0 when there is none.
    private let queryStart: UInt32
    /// The port, when `flags` has `portFlag`.
    private let portNumber: UInt16
    /// `httpsFlag` for an `https` URL, `portFlag` when there is a port.
    private let flags: UInt8

    private static let httpsFlag: UInt8 = 1, portFlag: UInt8 = 2

    /// Parses and normalizes an absolute URL; nil if it is not a valid `http`/`https` URL.
    public init?(_ string: String) {
        guard case .success(let url) = Self.normalize(string, relativeTo: nil) else { return nil }
        self = url
    }

    /// Resolves a reference (an `href`) against this URL and normalizes the result; nil if the
    /// result is not a valid `http`/`https` URL. A user name and password in the reference
    /// (`http://user:pass@host/`) are dropped: `http://host/`.
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
            // A reference found in a page or a Location (resolved against a base) loses its
            // user name and password: the crawler never sends credentials, and a URL is stored
            // in the database and every export. An absolute URL keeps them, so that a seed
            // holding them can be refused (SeedList).
            if base == nil { userinfo = PercentEncoding.normalize(authority[..<at], as: .userinfo) }
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
        let hostStart = string.utf8.count
        string += host
        let hostEnd = string.utf8.count
        if let port { string += ":\(port)" }
        let pathStart = string.utf8.count
        string += path
        var queryStart: Int?
        if let query {
            string += "?"
            queryStart = string.utf8.count
            string += query
        }
        let offsets = Offsets(hostStart: hostStart, hostEnd: hostEnd, pathStart: pathStart, queryStart: queryStart)
        return .success(NormalizedURL(string: string, offsets: offsets, port: port))
    }

    /// Where the parts of a normalized URL lie in its string, as UTF-8 offsets. Code that
    /// builds the string (the normalizer, `ReferenceResolver`, the parse workers' wire
    /// format) gives them with it, so the parts are never made as strings of their own.
    package struct Offsets: Sendable, Hashable {
        /// Where the host starts: after `scheme://` and any `userinfo@`.
        package var hostStart: Int
        /// Where the host ends: at `:port`, or else at the path.
        package var hostEnd: Int
        /// Where the path starts (its `/`).
        package var pathStart: Int
        /// Where the query starts (after its `?`); nil when there is none.
        package var queryStart: Int?

        package init(hostStart: Int, hostEnd: Int, pathStart: Int, queryStart: Int?) {
            self.hostStart = hostStart
            self.hostEnd = hostEnd
            self.pathStart = pathStart
            self.queryStart = queryStart
        }
    }

    /// A URL from a string already in normal form and where its parts lie in it (with
    /// `port`, the port written in it); nothing is checked in release builds.
    package init(string: String, offsets: Offsets, port: Int?) {
        assert(
            {
                var copy = string
                guard case .valid(let written) = copy.withUTF8({ Self.layout(of: $0, offsets) }) else { return false }
                return written == port
            }(), "\(string) does not have its parts at \(offsets)")
        self.init(storing: string, offsets, port: port)
    }

    /// A URL from a string that should be in normal form and where its parts should lie in
    /// it, as read from a parse worker: nil unless the offsets fit the string (`http://` or
    /// `https://`, an optional `userinfo@`, a host that is not empty, an optional `:port` in
    /// decimal, a path starting with `/`, then nothing or `?` and a query that is not empty).
    /// The port is read from the string. The string is not normalized again.
    package init?(validating string: String, offsets: Offsets) {
        var string = string
        guard case .valid(let port) = string.withUTF8({ Self.layout(of: $0, offsets) }) else { return nil }
        self.init(storing: string, offsets, port: port)
    }

    private init(storing string: String, _ offsets: Offsets, port: Int?) {
        self.string = string
        hostStart = UInt32(truncatingIfNeeded: offsets.hostStart)
        hostEnd = UInt32(truncatingIfNeeded: offsets.hostEnd)
        pathStart = UInt32(truncatingIfNeeded: offsets.pathStart)
        queryStart = UInt32(truncatingIfNeeded: offsets.queryStart ?? 0)
        portNumber = UInt16(truncatingIfNeeded: port ?? 0)
        let utf8 = string.utf8
        let isHTTPS = utf8.count > 4 && utf8[utf8.index(utf8.startIndex, offsetBy: 4)] == UInt8(ascii: "s")
        flags = (isHTTPS ? Self.httpsFlag : 0) | (port != nil ? Self.portFlag : 0)
    }

    /// What `layout(of:_:)` finds.
    private enum Layout {
        case invalid
        /// The offsets fit; the port written in the string, if any.
        case valid(port: Int?)
    }

    /// Whether `offsets` say where the parts of the URL in `utf8` lie (see
    /// `init?(validating:offsets:)`), and its port. Each part is checked to hold no delimiter
    /// that would end it (`/`, `?`, `#`; `@` before the path; `:` in a host not in `[…]`), so
    /// the parts are those a parse of the string finds, and every offset accepted falls next
    /// to an ASCII delimiter, on a boundary between characters.
    private static func layout(of utf8: UnsafeBufferPointer<UInt8>, _ offsets: Offsets) -> Layout {
        let count = utf8.count
        let slash = UInt8(ascii: "/"), question = UInt8(ascii: "?"), hash = UInt8(ascii: "#"), at = UInt8(ascii: "@"), colon = UInt8(ascii: ":")
        func has(_ literal: StaticString) -> Bool {
            let length = literal.utf8CodeUnitCount
            guard count >= length else { return false }
            for index in 0..<length where utf8[index] != literal.utf8Start[index] { return false }
            return true
        }
        /// Whether no byte of `range` is one of those `stops` says.
        func holdsNo(_ range: Range<Int>, _ stops: (UInt8) -> Bool) -> Bool {
            for index in range where stops(utf8[index]) { return false }
            return true
        }
        let schemeEnd = has("http://") ? 7 : has("https://") ? 8 : 0
        let (hostStart, hostEnd, pathStart) = (offsets.hostStart, offsets.hostEnd, offsets.pathStart)
        guard schemeEnd > 0, count <= Int(UInt32.max),
            hostStart >= schemeEnd, hostStart < hostEnd, hostEnd <= pathStart, pathStart < count,
            utf8[pathStart] == slash,
            hostStart == schemeEnd || (utf8[hostStart - 1] == at && holdsNo(schemeEnd..<(hostStart - 1)) { $0 == slash || $0 == question || $0 == hash || $0 == at })
        else { return .invalid }
        let isBracketed = utf8[hostStart] == UInt8(ascii: "[")
        guard !isBracketed || (hostEnd - hostStart > 2 && utf8[hostEnd - 1] == UInt8(ascii: "]")),
            holdsNo(hostStart..<hostEnd, { $0 == slash || $0 == question || $0 == hash || $0 == at || (!isBracketed && $0 == colon) })
        else { return .invalid }
        var port: Int?
        if hostEnd < pathStart {
            // ":" and the port as the normalizer writes it: 1 to 5 digits, no leading zero.
            let digits = (hostEnd + 1)..<pathStart
            guard utf8[hostEnd] == colon, (1...5).contains(digits.count), digits.count == 1 || utf8[digits.lowerBound] != UInt8(ascii: "0")
            else { return .invalid }
            var value = 0
            for index in digits {
                let digit = utf8[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return .invalid }
                value = value * 10 + Int(digit)
            }
            guard value <= 65535 else { return .invalid }
            port = value
        }
        var pathEnd = count
        if let queryStart = offsets.queryStart {
            guard queryStart >= pathStart + 2, queryStart < count, utf8[queryStart - 1] == question, holdsNo(queryStart..<count, { $0 == hash })
            else { return .invalid }
            pathEnd = queryStart - 1
        }
        guard holdsNo(pathStart..<pathEnd, { $0 == question || $0 == hash }) else { return .invalid }
        return .valid(port: port)
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
        URIReference(scheme: scheme, authority: String(slice(schemeLength + 3, pathStart)), path: path, query: query)
    }

    /// `http` or `https`.
    public var scheme: String { isHTTPS ? "https" : "http" }
    /// Lower-cased host, Punycode for internationalized names, `[…]` for IPv6.
    public var host: String { String(slice(hostStart, hostEnd)) }
    /// The port when it is not the scheme's default.
    public var port: Int? { flags & Self.portFlag != 0 ? Int(portNumber) : nil }
    /// The path, never empty.
    public var path: String { String(slice(pathStart, queryStart == 0 ? end : queryStart - 1)) }
    /// The query without `?`, when present and not empty.
    public var query: String? { queryStart == 0 ? nil : String(slice(queryStart, end)) }

    /// `host` or `host:port`: the key for politeness and scope.
    public var authority: String { String(slice(hostStart, pathStart)) }
    /// `scheme://host[:port]`: where robots.txt lives.
    public var origin: String {
        // The string up to the path, unless userinfo lies between the scheme and the host.
        hostStart == schemeLength + 3 ? String(slice(0, pathStart)) : scheme + "://" + authority
    }
    /// Path and query as sent in a request line.
    public var pathAndQuery: String { String(slice(pathStart, end)) }

    /// `authority` without making a string: for lookups per link (scope).
    package var authoritySubstring: Substring { slice(hostStart, pathStart) }

    /// Where the parts lie in `string`.
    package var offsets: Offsets {
        Offsets(hostStart: Int(hostStart), hostEnd: Int(hostEnd), pathStart: Int(pathStart), queryStart: queryStart == 0 ? nil : Int(queryStart))
    }

    private var isHTTPS: Bool { flags & Self.httpsFlag != 0 }
    private var schemeLength: UInt32 { isHTTPS ? 5 : 4 }
    private var end: UInt32 { UInt32(truncatingIfNeeded: string.utf8.count) }

    /// `string`'s UTF-8 code units `start..<end`, which fall on character boundaries.
    private func slice(_ start: UInt32, _ end: UInt32) -> Substring {
        let utf8 = string.utf8
        let lower = utf8.index(utf8.startIndex, offsetBy: Int(start))
        let upper = utf8.index(utf8.startIndex, offsetBy: Int(end))
        return Substring(utf8[lower..<upper])
    }

    public var description: String { string }

    public static func < (lhs: NormalizedURL, rhs: NormalizedURL) -> Bool { lhs.string < rhs.string }

    /// Equal strings: the string determines every part.
    public static func == (lhs: NormalizedURL, rhs: NormalizedURL) -> Bool { lhs.string == rhs.string }

    public func hash(into hasher: inout Hasher) { hasher.combine(string) }

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
