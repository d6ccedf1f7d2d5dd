import CrawlerCore

/// The rules of one robots.txt for one crawler (RFC 9309): which paths it may fetch and how
/// long it should wait between requests. Built by `RobotsRules(parsing:userAgent:)`.
public struct RobotsRules: Sendable, Hashable {
    /// One `Allow` or `Disallow` line, as a path pattern (`*` any run of octets, `$` at the end).
    public struct Rule: Sendable, Hashable {
        /// Whether the line was `Allow`.
        public var allow: Bool
        /// The pattern, percent-encoded as in a URL path.
        public var pattern: String

        /// A rule as written in robots.txt.
        public init(allow: Bool, pattern: String) {
            self.allow = allow
            self.pattern = RobotsRules.encodePattern(pattern)
        }
    }

    /// The rules of the group that applies to us (the matching groups combined).
    public var rules: [Rule]
    /// `Crawl-delay` of that group, in seconds, when given (not part of RFC 9309, widely used).
    public var crawlDelay: Double?
    /// Why everything is disallowed when robots.txt could not be had; nil for rules read from
    /// a robots.txt (or allowed by a 4xx).
    public var unavailable: RobotsFailure?
    /// The `Sitemap:` lines, in order, duplicates removed, resolved against the robots.txt's
    /// URL when it was given (the protocol wants absolute URLs; relative ones are forgiven).
    /// They belong to no group: every crawler reads them (RFC 9309 §2.2.4).
    public var sitemaps: [NormalizedURL] = []

    /// Rules as given.
    public init(rules: [Rule], crawlDelay: Double? = nil) {
        self.rules = rules
        self.crawlDelay = crawlDelay
    }

    /// Everything disallowed because robots.txt could not be had (RFC 9309 §2.3.1.4), and why.
    public static func unavailable(_ failure: RobotsFailure) -> RobotsRules {
        var rules = disallowAll
        rules.unavailable = failure
        return rules
    }

    /// Why `url` may not be fetched under these rules; nil when it may.
    public func refusal(of url: NormalizedURL) -> FetchError? {
        if allows(url.pathAndQuery) { return nil }
        if let unavailable { return .robotsUnavailable(url: url.string, cause: unavailable) }
        return .disallowedByRobots(url: url.string)
    }

    /// No rules: everything allowed (also what a 4xx robots.txt means, RFC 9309 §2.3.1.3).
    public static let allowAll = RobotsRules(rules: [])
    /// Everything disallowed (what a 5xx or unreachable robots.txt means, §2.3.1.4; see
    /// `unavailable(_:)`, which says why).
    public static let disallowAll = RobotsRules(rules: [Rule(allow: false, pattern: "/")])

    /// Whether a URL path (with its query) may be fetched: the longest matching pattern
    /// wins; on a tie between Allow and Disallow, Allow wins (RFC 9309 §2.2.2). No match: allowed.
    public func allows(_ pathAndQuery: String) -> Bool {
        if pathAndQuery == "/robots.txt" { return true }  // §2.2.2: implicitly allowed
        let path = Array(pathAndQuery.utf8)
        var best: (length: Int, allow: Bool)?
        for rule in rules {
            let pattern = Array(rule.pattern.utf8)
            guard Self.matches(pattern: pattern[...], path: path[...]) else { continue }
            if let current = best {
                if pattern.count > current.length || (pattern.count == current.length && rule.allow) {
                    best = (pattern.count, rule.allow)
                }
            } else {
                best = (pattern.count, rule.allow)
            }
        }
        return best?.allow ?? true
    }

    /// Whether `pattern` matches a prefix of `path` (all of it when the pattern ends in `$`).
    static func matches(pattern: ArraySlice<UInt8>, path: ArraySlice<UInt8>) -> Bool {
        let star = UInt8(ascii: "*"), dollar = UInt8(ascii: "$")
        // Iterative wildcard matching with backtracking to the last `*` (linear in practice).
        var p = pattern.startIndex, s = path.startIndex
        var starP: Int?, starS = path.startIndex
        while true {
            if p < pattern.endIndex, pattern[p] == dollar, p == pattern.endIndex - 1 {
                if s == path.endIndex { return true }
            } else if p == pattern.endIndex {
                return true  // a prefix match is enough
            } else if pattern[p] == star {
                starP = p
                starS = s
                p += 1
                continue
            } else if s < path.endIndex, pattern[p] == path[s] {
                p += 1
                s += 1
                continue
            }
            // Mismatch: let the last `*` swallow one more octet, if there is one.
            guard let lastStar = starP, starS < path.endIndex else { return false }
            starS += 1
            s = starS
            p = lastStar + 1
        }
    }

    /// Percent-encodes octets outside printable ASCII and upper-cases existing escapes, so a
    /// pattern compares with a normalized URL's path (RFC 9309 §2.2.2).
    static func encodePattern(_ pattern: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        let bytes = Array(pattern.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                let value = high << 4 | low
                let isUnreserved =
                    (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A) || (value >= 0x30 && value <= 0x39)
                    || value == 0x2D || value == 0x2E || value == 0x5F || value == 0x7E
                if isUnreserved {
                    output.append(value)  // as NormalizedURL decodes them
                } else {
                    output += [UInt8(ascii: "%"), hex[Int(high)], hex[Int(low)]]
                }
                index += 3
                continue
            }
            if byte <= 0x20 || byte >= 0x7F {
                output += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            } else {
                output.append(byte)
            }
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension RobotsRules {
    /// Parses robots.txt and keeps the rules for `userAgent`'s product token (`SwiftCrawler`
    /// from `SwiftCrawler/0.1.0 (+…)`): the groups naming it, case-insensitively, combined;
    /// else the `*` groups combined; else no rules (RFC 9309 §2.2.1). Only the first 500 KiB
    /// are read (§2.5); lines that do not parse are ignored.
    public init(parsing text: some StringProtocol, userAgent: String, robotsURL: NormalizedURL? = nil) {
        let token = Self.productToken(userAgent)
        var sitemaps: [NormalizedURL] = []
        var ourRules: [Rule] = [], starRules: [Rule] = []
        var ourDelay: Double?, starDelay: Double?
        var foundOurs = false, foundStar = false  // a rule line was read in such a group

        // The user agents of the group being read, and whether a rule line has ended its header.
        var groupAgents: [String] = []
        var groupHasRules = false

        let limited = text.utf8.count > 500 * 1024 ? String(decoding: Array(text.utf8.prefix(500 * 1024)), as: UTF8.self) : String(text)
        for rawLine in limited.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingASCIIWhitespace().lowercased()
            let value = line[line.index(after: colon)...].trimmingASCIIWhitespace()
            switch key {
            case "user-agent":
                if groupHasRules {
                    groupAgents = []
                    groupHasRules = false
                }
                groupAgents.append(Self.productToken(value).lowercased())
            case "allow", "disallow", "crawl-delay":
                guard !groupAgents.isEmpty else { continue }  // a rule before any user-agent line
                groupHasRules = true
                let isOurs = groupAgents.contains(token.lowercased())
                let isStar = groupAgents.contains("*")
                if isOurs { foundOurs = true }
                if isStar { foundStar = true }
                if key == "crawl-delay" {
                    guard let delay = Double(value), delay >= 0, delay.isFinite else { continue }
                    if isOurs { ourDelay = delay }
                    if isStar { starDelay = delay }
                    continue
                }
                guard !value.isEmpty else { continue }  // `Disallow:` alone allows everything
                let rule = Rule(allow: key == "allow", pattern: value)
                if isOurs { ourRules.append(rule) }
                if isStar { starRules.append(rule) }
            case "sitemap":
                // Not part of any group, and does not end one (§2.2.4).
                guard !value.isEmpty, let url = robotsURL.flatMap({ $0.resolve(value) }) ?? NormalizedURL(value), !sitemaps.contains(url) else { continue }
                sitemaps.append(url)
            default:
                continue  // unknown keys do not end a group (§2.2.4)
            }
        }

        // A group naming us with no rules at all still selects us (it allows everything, §5.1 quxbot).
        if foundOurs || Self.declaresGroup(for: token, in: limited) {
            self.init(rules: ourRules, crawlDelay: ourDelay)
        } else if foundStar {
            self.init(rules: starRules, crawlDelay: starDelay)
        } else {
            self.init(rules: [])
        }
        self.sitemaps = sitemaps
    }

    /// The product token of a user agent: up to the first `/` or space.
    static func productToken(_ userAgent: some StringProtocol) -> String {
        String(userAgent.prefix { $0 != "/" && $0 != " " && $0 != "\t" })
    }

    /// Whether any user-agent line names `token` (groups without rules still select us).
    private static func declaresGroup(for token: String, in text: String) -> Bool {
        let lowered = token.lowercased()
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let colon = line.firstIndex(of: ":"),
                line[..<colon].trimmingASCIIWhitespace().lowercased() == "user-agent"
            else { continue }
            if productToken(line[line.index(after: colon)...].trimmingASCIIWhitespace()).lowercased() == lowered { return true }
        }
        return false
    }
}
