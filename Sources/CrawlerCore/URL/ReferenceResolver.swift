/// Resolves the references of one document (its links) against one base URL and normalizes
/// them: exactly what `base.resolve(_:)` gives, for a fraction of the cost per reference.
///
/// What depends only on the base is worked out once, by the general code itself
/// (`NormalizedURL.normalize`), so it cannot disagree with it: the base split into
/// components, its normalized `scheme://[userinfo@]host[:port]`, the directory a relative path
/// is merged into, and the result of a reference without a path (`""`, `#top`, `?q`).
///
/// A reference then takes a fast path when it has the shape nearly every `href` has (see
/// `fastResolve`): no byte at or below U+0020 (nothing to clean), printable ASCII in the
/// path with only valid escapes (nothing to escape), a lower-case `http`/`https` scheme and
/// a lower-case name for a host, if any, without userinfo. It is merged and normalized in the
/// one buffer that becomes the URL's string, by the same in-place dot-segment removal and
/// escape normalization, in the same order, as the general code (and the query by the same
/// escaping loop). Anything else
/// (and any rejection but an unsupported scheme) goes the general way, each distinct
/// reference once.
package struct ReferenceResolver: Sendable {
    /// The URL references are resolved against.
    package let base: NormalizedURL
    /// `base` split into components, for the general path.
    private let baseReference: URIReference
    /// What the fast path needs of the base; nil when the general code rejects the base's
    /// authority (then every reference goes the general way).
    private let fast: FastBase?
    /// What references that went the general way gave. Pages repeat references (navigation,
    /// footers), and the general way costs more than a lookup; the fast path costs less, so
    /// its results are not kept.
    private var generalResults: [String: NormalizedURL?] = [:]

    private struct FastBase: Sendable {
        /// The normalized `scheme://[userinfo@]host[:port]` of a path-absolute reference.
        var prefix: [UInt8]
        /// `scheme://` for a network-path reference (`//host/path`): the base's scheme.
        var schemePrefix: [UInt8]
        /// Whether the base's scheme is `https` (what a port is the default of).
        var isHTTPS: Bool
        /// Where the host lies in `prefix`.
        var hostStart: Int, hostEnd: Int
        var port: Int?
        /// What a relative path is appended to (RFC 3986 section 5.2.3); nil when it holds a
        /// byte that escape normalization would change other than by decoding.
        var directory: [UInt8]?
        /// The result of a reference with neither path nor query.
        var sameDocument: NormalizedURL?
        /// The path of a reference with a query but no path.
        var pathForQuery: [UInt8]?
    }

    /// A resolver for references against `base`.
    package init(base: NormalizedURL) {
        self.base = base
        let reference = base.uriReference
        baseReference = reference
        func general(_ text: String) -> NormalizedURL? {
            guard case .success(let url) = NormalizedURL.normalize(text, against: reference) else { return nil }
            return url
        }
        // The general code's authority, from a reference that keeps only it: "/" (its
        // normalized string is the prefix and "/").
        guard let root = general("/") else {
            fast = nil
            return
        }
        var directory: [UInt8]?
        if reference.authority != nil, reference.path.isEmpty {
            directory = [UInt8(ascii: "/")]
        } else if let slash = reference.path.utf8.lastIndex(of: UInt8(ascii: "/")) {
            directory = Array(reference.path.utf8[...slash])
        } else {
            directory = []
        }
        if let bytes = directory, !Self.normalizesInPlace(bytes[...], as: .path) { directory = nil }
        let offsets = root.offsets
        fast = FastBase(
            prefix: Array(root.string.utf8.dropLast()), schemePrefix: Array((root.scheme + "://").utf8), isHTTPS: root.scheme == "https",
            hostStart: offsets.hostStart, hostEnd: offsets.hostEnd, port: root.port, directory: directory,
            sameDocument: general(""), pathForQuery: general("?q").map { Array($0.path.utf8) })
    }

    /// The normalized URL `reference` names, resolved against `base`; nil if it is not a valid
    /// `http`/`https` URL.
    package mutating func resolve(_ reference: String) -> NormalizedURL? {
        if let fast {
            var text = reference
            switch text.withUTF8({ Self.fastResolve($0, isValidUTF8: true, fast) }) {
            case .resolved(let url): return url
            case .rejected: return nil
            case .general: break
            }
        }
        return resolveGenerally(reference)
    }

    /// `resolve(_:)` for a reference given as UTF-8 bytes (invalid sequences read as U+FFFD,
    /// as `String(decoding:as:)` and `String(cString:)` read them), without making a String
    /// unless the reference goes the general way.
    package mutating func resolve(utf8 reference: UnsafeBufferPointer<UInt8>) -> NormalizedURL? {
        if let fast {
            switch Self.fastResolve(reference, isValidUTF8: false, fast) {
            case .resolved(let url): return url
            case .rejected: return nil
            case .general: break
            }
        }
        return resolveGenerally(String(decoding: reference, as: UTF8.self))
    }

    private mutating func resolveGenerally(_ reference: String) -> NormalizedURL? {
        if let known = generalResults[reference] { return known }
        var url: NormalizedURL?
        if case .success(let resolved) = NormalizedURL.normalize(reference, against: baseReference) { url = resolved }
        generalResults[reference] = url
        return url
    }

    /// Whether `reference` takes the fast path (resolved or rejected there); for tests.
    func takesFastPath(_ reference: String) -> Bool {
        guard let fast else { return false }
        var text = reference
        if case .general = text.withUTF8({ Self.fastResolve($0, isValidUTF8: true, fast) }) { return false }
        return true
    }

    private enum FastResult {
        case resolved(NormalizedURL?)
        /// A scheme other than `http`/`https`.
        case rejected
        /// Not a shape the fast path takes.
        case general
    }

    private static let httpPrefix = Array("http://".utf8), httpsPrefix = Array("https://".utf8)
    private static let slash = UInt8(ascii: "/"), question = UInt8(ascii: "?"), hash = UInt8(ascii: "#"), colon = UInt8(ascii: ":")

    /// The fast path. `isValidUTF8` says whether `bytes` are known to be valid UTF-8; if not,
    /// a query with non-ASCII bytes is checked (the general code reads a String, in which
    /// invalid UTF-8 became U+FFFD). Elsewhere repairs would not change what the fast path
    /// reads: it takes printable ASCII only, but in a query and in a fragment (dropped).
    private static func fastResolve(_ bytes: UnsafeBufferPointer<UInt8>, isValidUTF8: Bool, _ base: FastBase) -> FastResult {
        let count = bytes.count
        // A scheme is what precedes the first ":" if no "/", "?" or "#" comes first.
        var stop = 0
        while stop < count, bytes[stop] != colon, bytes[stop] != slash, bytes[stop] != question, bytes[stop] != hash { stop += 1 }
        var scheme: String?
        var index = 0
        if stop < count, bytes[stop] == colon {
            guard stop > 0, isValidScheme(UnsafeBufferPointer(rebasing: bytes[..<stop])) else { return .general }
            // Cleaning cannot touch these bytes: no whitespace or control among them, and the
            // first is a letter. So the general code would parse the same scheme and reject it.
            if stop == 4, matches(bytes, "http") {
                scheme = "http"
            } else if stop == 5, matches(bytes, "https") {
                scheme = "https"
            } else if isHTTP(UnsafeBufferPointer(rebasing: bytes[..<stop])) {
                return .general  // an upper-case HTTP or HTTPS
            } else {
                return .rejected
            }
            index = stop + 1
        }
        // Authority: after "//", a lower-case name the general code would keep as it is, and
        // a port written as the general code writes it (digits, no leading zero).
        var host: Range<Int>?
        var port: Int?
        var portEnd = 0
        if index + 1 < count, bytes[index] == slash, bytes[index + 1] == slash {
            let start = index + 2
            var end = start
            while end < count, isHostByte(bytes[end]) { end += 1 }
            guard end > start else { return .general }
            host = start..<end
            if end < count, bytes[end] == colon {
                end += 1
                guard end < count, bytes[end] != UInt8(ascii: "0") else { return .general }  // "host:" or a leading zero
                var value = 0
                while end < count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[end]), value <= 65535 {
                    value = value * 10 + Int(bytes[end] - UInt8(ascii: "0"))
                    end += 1
                }
                guard value > 0, value <= 65535 else { return .general }
                port = value
                portEnd = end
            }
            guard end == count || bytes[end] == slash || bytes[end] == question || bytes[end] == hash else { return .general }
            index = end
        } else if scheme != nil {
            return .general  // `http:path`: no host, an error the general code reports
        }
        // Path, query and fragment: nothing to clean; in the path, nothing to escape either
        // (escaping would lengthen it in place).
        let pathStart = index
        while index < count, bytes[index] != question, bytes[index] != hash {
            guard allowsInPlace(bytes, index, .path) else { return .general }
            index += 1
        }
        let pathEnd = index
        var query: Range<Int>?
        var queryGrowth = 0  // at most how many bytes escaping adds to the query
        if index < count, bytes[index] == question {
            index += 1
            let start = index
            var isASCII = true
            while index < count, bytes[index] != hash {
                let byte = bytes[index]
                guard byte > 0x20 else { return .general }
                isASCII = isASCII && byte < 0x80
                if !PercentEncoding.Component.query.allows(byte) { queryGrowth += 2 }  // an escape, or "%" that may become "%25"
                index += 1
            }
            query = start..<index
            if !isASCII, !isValidUTF8, String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self) == nil { return .general }
        }
        while index < count {
            guard bytes[index] > 0x20 else { return .general }
            index += 1
        }

        let path = UnsafeBufferPointer(rebasing: bytes[pathStart..<pathEnd])
        var directory: [UInt8] = []
        if host == nil {
            if path.isEmpty {
                // The base's path, and the reference's query or else the base's.
                guard let query else { return .resolved(base.sameDocument) }
                guard let pathForQuery = base.pathForQuery else { return .general }
                return .resolved(build(prefix: base.prefix, hostStart: base.hostStart, hostEnd: base.hostEnd, port: base.port, path: pathForQuery, query: query, queryGrowth: queryGrowth, in: bytes))
            }
            if path[0] != slash {
                guard let baseDirectory = base.directory else { return .general }
                directory = baseDirectory
            }
        }
        if let host {
            // The scheme, host and port as written (already in normal form), but the default port.
            let (isHTTPS, prefix) = scheme == "http" ? (false, httpPrefix) : scheme == "https" ? (true, httpsPrefix) : (base.isHTTPS, base.schemePrefix)
            if let value = port, (!isHTTPS && value == 80) || (isHTTPS && value == 443) { port = nil }
            let authority = UnsafeBufferPointer(rebasing: bytes[host.lowerBound..<(port == nil ? host.upperBound : portEnd)])
            return .resolved(build(
                prefix: prefix, hostStart: prefix.count, hostEnd: prefix.count + host.count, port: port, authority: authority, directory: [], path: path, query: query,
                queryGrowth: queryGrowth, in: bytes))
        }
        return .resolved(build(
            prefix: base.prefix, hostStart: base.hostStart, hostEnd: base.hostEnd, port: base.port, authority: nil, directory: directory, path: path, query: query,
            queryGrowth: queryGrowth, in: bytes))
    }

    /// The URL `prefix` (+ `authority`) + the path + `?` and the query, its path merged and normalized as
    /// `NormalizedURL.normalize` does: dot segments removed (resolution), escapes normalized,
    /// dot segments removed again (decoding may have made some), and `/` if nothing is left.
    /// The host lies at `hostStart..<hostEnd` of `prefix` + `authority`, then `port` if any.
    private static func build(
        prefix: [UInt8], hostStart: Int, hostEnd: Int, port: Int?, authority: UnsafeBufferPointer<UInt8>?, directory: [UInt8], path: UnsafeBufferPointer<UInt8>,
        query: Range<Int>?, queryGrowth: Int, in reference: UnsafeBufferPointer<UInt8>
    ) -> NormalizedURL {
        let pathStart = prefix.count + (authority?.count ?? 0)
        var queryStart: Int?
        let capacity = prefix.count + (authority?.count ?? 0) + directory.count + max(path.count, 1) + 1 + (query?.count ?? 0) + queryGrowth
        let string = String(unsafeUninitializedCapacity: capacity) { buffer in
            var end = copy(prefix, into: buffer, at: 0)
            if let authority { end = copy(authority, into: buffer, at: end) }
            end = copy(directory, into: buffer, at: end)
            end = copy(path, into: buffer, at: end)
            var pathBytes = UnsafeMutableBufferPointer(rebasing: buffer[pathStart..<end])
            pathBytes = UnsafeMutableBufferPointer(rebasing: pathBytes[..<URIReference.removeDotSegments(in: pathBytes)])
            pathBytes = UnsafeMutableBufferPointer(rebasing: pathBytes[..<PercentEncoding.normalizeEscapes(in: pathBytes)])
            end = pathStart + URIReference.removeDotSegments(in: pathBytes)
            if end == pathStart {
                buffer[end] = slash
                end += 1
            }
            return appendQuery(query, of: reference, to: buffer, at: end, queryStart: &queryStart)
        }
        let offsets = NormalizedURL.Offsets(hostStart: hostStart, hostEnd: hostEnd, pathStart: pathStart, queryStart: queryStart)
        return NormalizedURL(string: string, offsets: offsets, port: port)
    }

    /// The URL `prefix` + `path` (already normalized) + `?` and the query; the host lies at
    /// `hostStart..<hostEnd` of `prefix`, then `port` if any.
    private static func build(
        prefix: [UInt8], hostStart: Int, hostEnd: Int, port: Int?, path: [UInt8], query: Range<Int>, queryGrowth: Int, in reference: UnsafeBufferPointer<UInt8>
    ) -> NormalizedURL {
        var queryStart: Int?
        let string = String(unsafeUninitializedCapacity: prefix.count + path.count + 1 + query.count + queryGrowth) { buffer in
            var end = copy(prefix, into: buffer, at: 0)
            end = copy(path, into: buffer, at: end)
            return appendQuery(query, of: reference, to: buffer, at: end, queryStart: &queryStart)
        }
        let offsets = NormalizedURL.Offsets(hostStart: hostStart, hostEnd: hostEnd, pathStart: prefix.count, queryStart: queryStart)
        return NormalizedURL(string: string, offsets: offsets, port: port)
    }

    /// Appends `?` and the query, normalized, unless it is absent or empty (dropped), and
    /// says where the query starts; `buffer` has room for the query and two more bytes per
    /// byte it does not allow (escaped).
    private static func appendQuery(
        _ query: Range<Int>?, of reference: UnsafeBufferPointer<UInt8>, to buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int, queryStart: inout Int?
    ) -> Int {
        guard let query, !query.isEmpty else { return start }
        buffer[start] = question
        queryStart = start + 1
        return start + 1 + PercentEncoding.normalize(UnsafeBufferPointer(rebasing: reference[query]), as: .query, into: UnsafeMutableBufferPointer(rebasing: buffer[(start + 1)...]))
    }

    private static func copy(_ bytes: some Collection<UInt8>, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        var end = start
        for byte in bytes {
            buffer[end] = byte
            end += 1
        }
        return end
    }

    // MARK: Bytes

    /// Whether escape normalization of the component can run in place on the byte at `index`:
    /// one the component allows, or the `%` of a valid escape.
    @inline(__always)
    private static func allowsInPlace(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int, _ component: PercentEncoding.Component) -> Bool {
        let byte = bytes[index]
        if byte == UInt8(ascii: "%") {
            return index + 2 < bytes.count && PercentEncoding.hexValue(bytes[index + 1]) != nil && PercentEncoding.hexValue(bytes[index + 2]) != nil
        }
        return component.allows(byte)
    }

    /// `allowsInPlace` for every byte of `bytes`.
    private static func normalizesInPlace(_ bytes: ArraySlice<UInt8>, as component: PercentEncoding.Component) -> Bool {
        Array(bytes).withUnsafeBufferPointer { buffer in buffer.indices.allSatisfy { allowsInPlace(buffer, $0, component) } }
    }

    /// A host name `NormalizedURL` keeps as written: lower-case letters, digits, `-` and `.`.
    @inline(__always)
    private static func isHostByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: ".")
    }

    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        for index in 0..<count where bytes[index] != literal.utf8Start[index] { return false }
        return true
    }

    /// `http` or `https` in any case.
    private static func isHTTP(_ scheme: UnsafeBufferPointer<UInt8>) -> Bool {
        let lowered = scheme.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 | 0x20 : $0 }
        return lowered.elementsEqual("http".utf8) || lowered.elementsEqual("https".utf8)
    }

    /// RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), as `URIReference` checks it.
    private static func isValidScheme(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        func isLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) }
        guard let first = bytes.first, isLetter(first) else { return false }
        return bytes.allSatisfy {
            isLetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
        }
    }
}
