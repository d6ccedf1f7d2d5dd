import CrawlerCore
import CrawlerGraph
import Foundation

/// Decides which discovered URLs a crawl follows: scope, include/exclude patterns, depth and
/// the spider-trap guards. Pure and deterministic, so the answer key and the crawl agree.
public struct FrontierPolicy: Sendable {
    /// The options this policy enforces.
    public let options: FrontierOptions
    /// Host keys (`host[:port]`) of the seeds, for `--scope host`; substrings, so each link's
    /// is looked up without making a string.
    private let seedAuthorities: Set<Substring>
    /// Registrable domains of the seeds, for `--scope domain`.
    private let seedDomains: Set<String>
    private let includes: [NSRegularExpression]
    private let excludes: [NSRegularExpression]

    /// A policy for these seeds. Throws `FrontierPolicyError.badPattern` for an invalid regular expression.
    public init(options: FrontierOptions, seeds: [NormalizedURL]) throws {
        self.options = options
        seedAuthorities = Set(seeds.map(\.authoritySubstring))
        seedDomains = Set(seeds.map { Self.registrableDomain(of: $0.host) })
        includes = try options.include.map { try Self.compile($0, flag: "--include") }
        excludes = try options.exclude.map { try Self.compile($0, flag: "--exclude") }
    }

    private static func compile(_ pattern: String, flag: String) throws -> NSRegularExpression {
        do { return try NSRegularExpression(pattern: pattern) } catch {
            throw FrontierPolicyError.badPattern(flag: flag, pattern: pattern)
        }
    }

    /// Why a URL is not followed.
    public enum Rejection: String, Sendable, Hashable, CaseIterable {
        /// Outside `--scope`.
        case scope
        /// Deeper than `--max-depth`.
        case depth
        /// Longer than `--max-url-length`.
        case urlLength = "url-length"
        /// Matches no `--include` pattern.
        case notIncluded = "not-included"
        /// Matches an `--exclude` pattern.
        case excluded
        /// A nofollow link (or a page marked nofollow), without `--follow-nofollow`.
        case nofollow
    }

    /// Whether a link found at `depth - 1` should be followed to `url` at `depth`; nil means follow.
    public func rejection(of url: NormalizedURL, depth: Int, nofollow: Bool = false) -> Rejection? {
        if nofollow, !options.followNofollow { return .nofollow }
        if !isInScope(url) { return .scope }
        if depth > options.maxDepth { return .depth }
        if url.string.utf8.count > options.maxURLLength { return .urlLength }
        if !includes.isEmpty, !includes.contains(where: { Self.matches($0, url.string) }) { return .notIncluded }
        if excludes.contains(where: { Self.matches($0, url.string) }) { return .excluded }
        return nil
    }

    /// `rejection(of:depth:nofollow:)` without the depth limit, which the store applies itself
    /// (a URL's depth can shrink after it was found: depth relaxation).
    public func rejectionIgnoringDepth(of url: NormalizedURL, nofollow: Bool = false) -> Rejection? {
        rejection(of: url, depth: 0, nofollow: nofollow)
    }

    /// The rules the store applies when it queues URLs.
    public var storeRules: FrontierRules {
        FrontierRules(maxDepth: options.maxDepth, followNofollow: options.followNofollow, followResources: options.followResources)
    }

    private static func matches(_ expression: NSRegularExpression, _ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Whether `url` is inside `--scope` of the seeds.
    public func isInScope(_ url: NormalizedURL) -> Bool {
        switch options.scope {
        case .any: true
        case .host: seedAuthorities.contains(url.authoritySubstring)
        case .domain: seedDomains.contains(Self.registrableDomain(of: url.host))
        }
    }

    /// The registrable domain of a host, approximated without the Public Suffix List: the last two
    /// labels, or three when the second-level label is a short one under a two-letter country code
    /// (`www.example.co.uk` → `example.co.uk`). IP addresses are their own domain.
    public static func registrableDomain(of host: String) -> String {
        let labels = host.split(separator: ".")
        if host.hasPrefix("[") || labels.allSatisfy({ $0.allSatisfy(\.isNumber) }) { return host }
        guard labels.count > 2 else { return host }
        let top = labels[labels.count - 1], second = labels[labels.count - 2]
        let keep = (top.count == 2 && second.count <= 3) ? 3 : 2
        return labels.suffix(keep).joined(separator: ".")
    }
}

/// A frontier option that cannot be used as given.
public enum FrontierPolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A `--include` or `--exclude` value is not a valid regular expression.
    case badPattern(flag: String, pattern: String)

    public var description: String {
        switch self {
        case .badPattern(let flag, let pattern): "\(flag) \(pattern) is not a valid regular expression; check its brackets and escapes"
        }
    }
}
