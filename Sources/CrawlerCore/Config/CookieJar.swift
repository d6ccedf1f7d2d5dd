/// The cookies a crawl starts with (`--cookie-jar FILE`), as lines of the Netscape cookie file
/// format that curl, wget (`--load-cookies`) and browser extensions write: seven fields
/// separated by tabs (domain, include subdomains, path, secure, expiry, name, value; six when
/// an empty value lost its tab, as curl reads them too), comment
/// lines starting with `#`, except `#HttpOnly_`, which marks an HttpOnly cookie's domain.
/// A crawl with cookies keeps one jar for all its transfers, per host as a browser keeps it,
/// and adds what servers set; the file is only read, never written.
public struct CookieJar: Sendable, Hashable {
    /// The cookie lines, in file order (comments and blank lines dropped).
    public private(set) var lines: [String]

    /// An empty jar: cookies that servers set are kept for the crawl (`--cookies`).
    public init() { lines = [] }

    /// The cookies of a Netscape cookie file's `contents`; `path` names it in errors.
    public init(netscapeFile contents: String, path: String) throws(CookieJarError) {
        lines = []
        var number = 0
        for rawLine in contents.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            var bytes = rawLine[...]
            if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
            if number == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            var line = String(decoding: bytes, as: UTF8.self)
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            if line.hasPrefix("#"), !line.hasPrefix(Self.httpOnlyPrefix) { continue }
            var fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.count == 6 {
                // A cookie with an empty value whose trailing tab was lost (an editor, a
                // copy): curl reads it as an empty value, and so does this jar.
                line += "\t"
                fields.append("")
            }
            guard fields.count == 7 else {
                throw CookieJarError(description: "line \(number) of \(path) is not a cookie: a Netscape cookie line has 7 fields separated by tabs (domain, subdomains, path, secure, expiry, name, value; 6 when the value is empty); it has \(fields.count)")
            }
            let domain = fields[0].hasPrefix(Self.httpOnlyPrefix) ? fields[0].dropFirst(Self.httpOnlyPrefix.count) : fields[0]
            guard !domain.isEmpty, Int(fields[4]) != nil else {
                throw CookieJarError(description: "line \(number) of \(path) is not a cookie: it needs a domain and a whole number of seconds for its expiry (0 for a session cookie)")
            }
            guard !line.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) else {
                throw CookieJarError(description: "line \(number) of \(path) holds a control character; a cookie cannot")
            }
            lines.append(line)
        }
    }

    /// How the Netscape format marks an HttpOnly cookie: in front of its domain.
    static let httpOnlyPrefix = "#HttpOnly_"
}

/// A cookie file that cannot be used, with the line at fault.
public struct CookieJarError: Error, Equatable, CustomStringConvertible {
    public var description: String
}
