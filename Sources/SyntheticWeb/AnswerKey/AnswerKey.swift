import CrawlerCore
import Foundation

/// The ground truth of a crawl of the synthetic web: the seeds, every URL the crawl meets with
/// what fetching it gives and whether it is fetched, and every link found on fetched pages.
/// Computed from the generator's model, not by parsing the pages.
public struct AnswerKey: Sendable {
    /// The seed URLs (one home page per seeded host).
    public var seeds: [NormalizedURL]
    /// Every URL the crawl meets, sorted by URL.
    public var pages: [AnswerKeyPage]
    /// Distinct (source, target) links found on fetched 2xx HTML pages, sorted.
    public var links: [AnswerKeyLink]

    /// An answer key from its parts.
    public init(seeds: [NormalizedURL], pages: [AnswerKeyPage], links: [AnswerKeyLink]) {
        self.seeds = seeds
        self.pages = pages
        self.links = links
    }

    /// The page entry of a URL.
    public func page(_ url: NormalizedURL) -> AnswerKeyPage? {
        var low = 0
        var high = pages.count
        while low < high {
            let middle = (low + high) / 2
            if pages[middle].url < url { low = middle + 1 } else { high = middle }
        }
        return low < pages.count && pages[low].url == url ? pages[low] : nil
    }

    /// The pages a crawl fetches.
    public var fetchedPages: [AnswerKeyPage] { pages.filter(\.fetched) }

    /// Writes `seeds.txt` (one URL a line), `pages.tsv` and `links.tsv` (tab-separated, with a
    /// header line; `-` for an absent value) into `directory`, creating it if needed.
    public func write(to directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try seedsText.write(to: directory.appendingPathComponent("seeds.txt"), atomically: true, encoding: .utf8)
            try pagesTSV.write(to: directory.appendingPathComponent("pages.tsv"), atomically: true, encoding: .utf8)
            try linksTSV.write(to: directory.appendingPathComponent("links.tsv"), atomically: true, encoding: .utf8)
        } catch {
            throw SyntheticWebError.writeFailed(path: directory.path, message: "\(error.localizedDescription)")
        }
    }

    /// `seeds.txt`: a comment line, then one URL a line.
    public var seedsText: String {
        "# seeds of the synthetic web (answer key)\n" + seeds.map { $0.string + "\n" }.joined()
    }

    /// `pages.tsv`: `url expected fetched reason depth content_type`.
    public var pagesTSV: String {
        var text = "url\texpected\tfetched\treason\tdepth\tcontent_type\n"
        for page in pages {
            text += "\(page.url.string)\t\(page.expected)\t\(page.fetched)\t\(page.notFetchedReason ?? "-")\t"
            text += "\(page.depth.map(String.init) ?? "-")\t\(page.contentType ?? "-")\n"
        }
        return text
    }

    /// `links.tsv`: `source target kind rel nofollow` (`-` for no rel).
    public var linksTSV: String {
        var text = "source\ttarget\tkind\trel\tnofollow\n"
        for link in links { text += "\(link.source.string)\t\(link.target.string)\t\(link.kind.rawValue)\t\(link.rel ?? "-")\t\(link.nofollow)\n" }
        return text
    }
}

/// One URL a crawl meets.
public struct AnswerKeyPage: Sendable, Hashable {
    /// The URL.
    public var url: NormalizedURL
    /// What fetching it gives (even when the crawl does not fetch it).
    public var expected: ExpectedOutcome
    /// Whether a crawl with the answer key's options fetches it.
    public var fetched: Bool
    /// Why it is not fetched: "scope", "robots", "depth", "nofollow", "filter", "length"; nil when fetched.
    public var notFetchedReason: String?
    /// Hops from the nearest seed (seeds are 0; a redirect target has its redirect's depth);
    /// for a page not fetched, the depth at which it was first met.
    public var depth: Int?
    /// `Content-Type` exactly as the server sends it, for responses with a body; nil for redirects and failures.
    public var contentType: String?

    /// A page entry.
    public init(url: NormalizedURL, expected: ExpectedOutcome, fetched: Bool, notFetchedReason: String?, depth: Int?, contentType: String?) {
        self.url = url
        self.expected = expected
        self.fetched = fetched
        self.notFetchedReason = notFetchedReason
        self.depth = depth
        self.contentType = contentType
    }
}

/// One distinct link (source, target, kind) found on a fetched page: a page that links to one
/// target by two elements (`<link rel=canonical>` and `<a>`) has two entries, as the store
/// keeps two rows.
public struct AnswerKeyLink: Sendable, Hashable, Comparable {
    /// The page's final URL.
    public var source: NormalizedURL
    /// The normalized target.
    public var target: NormalizedURL
    /// The element.
    public var kind: LinkKind
    /// The `rel` of a `<link>` (it decides the link's role); nil for other elements, whose
    /// `rel` the renderer varies (`nofollow`, `external nofollow`, …) and `nofollow` records.
    public var rel: String?
    /// True when every occurrence of this kind and rel on the page is `rel=nofollow`.
    public var nofollow: Bool

    /// A link entry.
    public init(source: NormalizedURL, target: NormalizedURL, kind: LinkKind, rel: String? = nil, nofollow: Bool) {
        self.source = source
        self.target = target
        self.kind = kind
        self.rel = rel
        self.nofollow = nofollow
    }

    /// What the link is for.
    public var role: LinkRole { LinkRole(kind: kind, rel: rel) }

    /// Ordered by source, target, then kind (the order of `links.tsv`).
    public static func < (lhs: AnswerKeyLink, rhs: AnswerKeyLink) -> Bool {
        // Compares the strings in place: building tuples of URLs copies them (a measured 40% of a large key's time).
        if lhs.source.string != rhs.source.string { return lhs.source.string < rhs.source.string }
        if lhs.target.string != rhs.target.string { return lhs.target.string < rhs.target.string }
        return lhs.kind.rawValue < rhs.kind.rawValue
    }
}

/// What fetching a URL gives: an HTTP status, or a fetch failure named as `FetchError.kind` names it.
public enum ExpectedOutcome: Sendable, Hashable, CustomStringConvertible {
    /// A response with this status (after retries; redirects are followed hop by hop, each its own page).
    case status(Int)
    /// A failure: "timeout", "too-large", "too-many-redirects", "reset", "refused".
    case failure(String)

    /// The status, or nil for a failure.
    public var status: Int? {
        if case .status(let code) = self { return code }
        return nil
    }

    /// "200", "404", "timeout", …
    public var description: String {
        switch self {
        case .status(let code): String(code)
        case .failure(let kind): kind
        }
    }
}
