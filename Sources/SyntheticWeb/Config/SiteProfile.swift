/// What the synthetic web's content pages look like (`crawler serve --profile`).
public enum SiteProfile: String, Sendable, Hashable, Codable, CaseIterable {
    /// Articles of long-tailed size (48 KiB on average by default) with about 20 links each,
    /// spelled every way an href can be: the crawler's correctness web.
    case mixed
    /// Documentation pages: about 100 KiB, 300 links and more, most of them the same sidebar
    /// repeated on every page of a host, written as `../` relative references, with
    /// "On this page" fragment links, fragments on body links and prev/next links. The shape
    /// of a real documentation site, where link handling, not HTML parsing, dominates.
    case docs

    /// The mean page size this profile is served with when none is given.
    public var defaultMeanPageKB: Double {
        switch self {
        case .mixed: 48
        case .docs: 100
        }
    }

    /// Pages of a host listed in its sidebar (docs), at most.
    static let sidebarPages = 240
}
