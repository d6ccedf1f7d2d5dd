/// Which URLs a crawl may visit, and the guards against spider traps. Each is a CLI flag.
/// The synthetic web's answer key is computed from these same values, so a default crawl and
/// the answer key can never disagree about what "default" means.
public struct FrontierOptions: Sendable, Hashable, Codable {
    /// Which hosts are in scope (`--scope`).
    public var scope: CrawlScope = .host
    /// Links more than this many hops from a seed are not followed (`--max-depth`); seeds are depth 0.
    /// 20 hops, as Heritrix's default, bounds infinite link chains (calendars) on its own.
    public var maxDepth: Int = 20
    /// Stop after this many pages (`--max-pages`); nil: no limit.
    public var maxPages: Int? = nil
    /// Pages fetched from one host at most (`--max-pages-per-host`), a spider-trap guard.
    public var maxPagesPerHost: Int = 100_000
    /// URLs longer than this are not followed (`--max-url-length`), a spider-trap guard.
    public var maxURLLength: Int = 2048
    /// Regular expressions a URL must match one of, when any are given (`--include`).
    public var include: [String] = []
    /// Regular expressions a URL must match none of (`--exclude`).
    public var exclude: [String] = []
    /// Follow `rel=nofollow` links and pages marked `<meta name=robots content=nofollow>` (`--follow-nofollow`).
    public var followNofollow: Bool = false
    /// Follow resource and alternate links too (`--follow-resources`, as `wget -p`): stylesheets,
    /// icons, scripts, images, media, `<link rel=alternate>`. Off: only hyperlinks, canonical
    /// URLs and redirects are followed (see `LinkRole`); every link is stored either way.
    public var followResources: Bool = false

    /// The defaults.
    public init() {}

    private enum CodingKeys: String, CodingKey {
        case scope, maxDepth, maxPages, maxPagesPerHost, maxURLLength, include, exclude, followNofollow, followResources
    }

    /// Decodes stored settings. A crawl stored before `followResources` existed followed every
    /// link, so its absence decodes as `true`: a resumed crawl keeps the rule it started with.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        scope = try container.decode(CrawlScope.self, forKey: .scope)
        maxDepth = try container.decode(Int.self, forKey: .maxDepth)
        maxPages = try container.decodeIfPresent(Int.self, forKey: .maxPages)
        maxPagesPerHost = try container.decode(Int.self, forKey: .maxPagesPerHost)
        maxURLLength = try container.decode(Int.self, forKey: .maxURLLength)
        include = try container.decode([String].self, forKey: .include)
        exclude = try container.decode([String].self, forKey: .exclude)
        followNofollow = try container.decode(Bool.self, forKey: .followNofollow)
        followResources = try container.decodeIfPresent(Bool.self, forKey: .followResources) ?? true
    }
}

/// Which hosts a crawl stays on.
public enum CrawlScope: String, Sendable, Hashable, Codable, CaseIterable {
    /// Only the hosts of the seeds (host and port must match a seed's).
    case host
    /// The seeds' registrable domains: a seed on `www.example.com` admits `docs.example.com`.
    case domain
    /// Anywhere a link leads (still http and https only).
    case any
}
