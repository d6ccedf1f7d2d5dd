import CrawlerCore

/// Computes an answer key by a breadth-first crawl of a model with the crawler's rules. Pure: it
/// sees the web only through `outcome` and `isDisallowed`, so tests can feed it small hand-made webs.
///
/// The rules, in the order they are applied to each URL met on a fetched page:
/// 1. intrinsic, whatever links to it: out of scope → "scope" (`host`: scheme, host and port of
///    a seed; `domain`: a seed's host, any port, since an IP address has no registrable domain;
///    `any`: everything); longer than `maxURLLength` →
///    "length"; not matching `include` or matching `exclude` → "filter"; disallowed by robots.txt
///    (unless ignored) → "robots";
/// 2. by the links that reach it: met only through nofollow links (or from meta-nofollow pages),
///    unless `followNofollow` → "nofollow"; met by a followable link but only deeper than
///    `maxDepth` → "depth".
/// Seeds are depth 0. A fetched redirect is its own page (its 3xx status) and the URL it leads to
/// is fetched at the same depth; more than `maxRedirects` hops or a loop makes the first URL a
/// "too-many-redirects" failure and no hop is listed; a hop robots.txt forbids is not followed
/// (the 3xx is the final page and its target is met like a link, one hop further). Links are read from 2xx HTML pages only;
/// a page's links are listed once per (target, kind), nofollow only if every occurrence is.
/// Only links whose role the crawl follows (`LinkRole.isFollowed(followResources:)`) admit
/// their target; the others are listed but lead nowhere. The sitemaps a robots.txt names
/// (`robotsSitemaps`, read when a host's first URL is fetched, unless robots.txt is ignored)
/// are seeds at depth 0, subject to rule 1; a sitemap's entries are its links, of kind `sitemap`. A URL's `expected` is its own response (a redirect's 3xx, not
/// its target's), also for URLs that are not fetched. `maxPages`/`maxPagesPerHost` are ignored.
struct AnswerKeyBuilder {
    var seeds: [NormalizedURL]
    var frontier: FrontierOptions
    var ignoreRobots: Bool
    var maxRedirects: Int
    var outcome: (NormalizedURL) -> CrawlOutcome
    var isDisallowed: (NormalizedURL) -> Bool
    /// The sitemaps the robots.txt of a URL's origin names.
    var robotsSitemaps: (NormalizedURL) -> [NormalizedURL] = { _ in [] }

    private struct Entry {
        var expected: ExpectedOutcome = .status(0)
        var fetched: Bool
        var reason: String?
        var depth: Int
        var contentType: String?
    }

    private struct LinkState {
        var rel: String?
        var nofollow: Bool
    }

    func build() -> AnswerKey {
        var entries: [NormalizedURL: Entry] = [:]
        var queue: [(url: NormalizedURL, depth: Int)] = []
        var links: [LinkKey: LinkState] = [:]
        let seedAuthorities = Set(seeds.map { "\($0.scheme)://\($0.authority)" })
        let seedHosts = Set(seeds.map(\.host))
        let include = frontier.include.compactMap { try? Regex($0) }
        let exclude = frontier.exclude.compactMap { try? Regex($0) }

        func intrinsicReason(_ url: NormalizedURL) -> String? {
            switch frontier.scope {
            case .host: if !seedAuthorities.contains("\(url.scheme)://\(url.authority)") { return "scope" }
            case .domain: if !seedHosts.contains(url.host) { return "scope" }
            case .any: break
            }
            if url.string.utf8.count > frontier.maxURLLength { return "length" }
            if !include.isEmpty, !include.contains(where: { url.string.contains($0) }) { return "filter" }
            if exclude.contains(where: { url.string.contains($0) }) { return "filter" }
            if !ignoreRobots, isDisallowed(url) { return "robots" }
            return nil
        }

        func admit(_ url: NormalizedURL, depth: Int, followable: Bool) {
            if var entry = entries[url] {
                guard !entry.fetched, entry.reason == "nofollow" || entry.reason == "depth", followable else { return }
                if depth > frontier.maxDepth {
                    entry.reason = "depth"
                    entries[url] = entry
                    return
                }
            } else if let reason = intrinsicReason(url) ?? (followable ? nil : "nofollow") ?? (depth > frontier.maxDepth ? "depth" : nil) {
                entries[url] = Entry(fetched: false, reason: reason, depth: depth)
                return
            }
            entries[url] = Entry(fetched: true, reason: nil, depth: depth)
            queue.append((url, depth))
        }

        for seed in seeds { admit(seed, depth: 0, followable: true) }
        var head = 0
        var robotsRead: Set<String> = []
        while head < queue.count {
            let (url, depth) = queue[head]
            head += 1
            // The crawler reads a host's robots.txt before its first request; the sitemaps it
            // names go to the queue before this page's links, at depth 0.
            if !ignoreRobots, robotsRead.insert(url.origin).inserted {
                for sitemap in robotsSitemaps(url) { admit(sitemap, depth: 0, followable: true) }
            }
            // Follow redirects hop by hop.
            var hops: [(url: NormalizedURL, status: Int)] = []
            var current = url
            var final = outcome(current)
            var visited: Set<NormalizedURL> = [url]
            var looped = false
            var unfollowed: NormalizedURL?
            while case .redirect(let status, let location) = final {
                if !ignoreRobots, isDisallowed(location) {
                    // The crawler does not follow a hop robots.txt forbids: the 3xx is the final
                    // page, and its target is met like a link one hop further.
                    unfollowed = location
                    break
                }
                hops.append((current, status))
                if hops.count > maxRedirects || !visited.insert(location).inserted {
                    looped = true
                    break
                }
                current = location
                final = outcome(current)
            }
            if looped {
                entries[url] = Entry(expected: .failure("too-many-redirects"), fetched: true, depth: depth)
                continue
            }
            for hop in hops {
                entries[hop.url] = Entry(expected: .status(hop.status), fetched: true, depth: depth)
            }
            switch final {
            case .redirect(let status, _):
                entries[current] = Entry(expected: .status(status), fetched: true, depth: depth)
                if let unfollowed { admit(unfollowed, depth: depth + 1, followable: true) }
            case .failure(let kind):
                entries[current] = Entry(expected: .failure(kind), fetched: true, depth: depth)
            case .document(let status, let contentType, let pageLinks, let metaNofollow):
                entries[current] = Entry(expected: .status(status), fetched: true, depth: depth, contentType: contentType)
                guard (200..<300).contains(status) else { continue }
                for link in pageLinks {
                    let key = LinkKey(source: current, target: link.target, kind: link.kind)
                    if var state = links[key] {
                        state.nofollow = state.nofollow && link.nofollow
                        links[key] = state
                    } else {
                        links[key] = LinkState(rel: link.rel, nofollow: link.nofollow)
                    }
                    guard LinkRole(kind: link.kind, rel: link.rel).isFollowed(followResources: frontier.followResources) else { continue }
                    let followable = frontier.followNofollow || (!link.nofollow && !metaNofollow)
                    admit(link.target, depth: depth + 1, followable: followable)
                }
            }
        }
        for (url, entry) in entries where !entry.fetched {
            // What its own response would be, for the record (a redirect is not followed here).
            var updated = entry
            switch outcome(url) {
            case .redirect(let status, _): updated.expected = .status(status)
            case .failure(let kind): updated.expected = .failure(kind)
            case .document(let status, let contentType, _, _):
                updated.expected = .status(status)
                updated.contentType = contentType
            }
            entries[url] = updated
        }
        let pages = entries.map { url, entry in
            AnswerKeyPage(
                url: url, expected: entry.expected, fetched: entry.fetched, notFetchedReason: entry.reason,
                depth: entry.depth, contentType: entry.contentType)
        }.sorted { $0.url < $1.url }
        let linkList = links.map { key, state in
            AnswerKeyLink(source: key.source, target: key.target, kind: key.kind, rel: state.rel, nofollow: state.nofollow)
        }.sorted()
        return AnswerKey(seeds: seeds, pages: pages, links: linkList)
    }

    private struct LinkKey: Hashable {
        var source: NormalizedURL
        var target: NormalizedURL
        var kind: LinkKind
    }
}

extension SiteModel {
    /// The answer key of a crawl from the seeds with these frontier options and robots.txt
    /// obeyed (or ignored), assuming the crawler's default fetch options.
    public func answerKey(frontier: FrontierOptions = FrontierOptions(), ignoreRobots: Bool = false) -> AnswerKey {
        var fetch = FetchOptions()
        fetch.ignoreRobots = ignoreRobots
        return answerKey(frontier: frontier, fetch: fetch)
    }

    /// The answer key of a crawl with these frontier and fetch options (the rules are those of a
    /// breadth-first crawl: see `AnswerKeyBuilder`, and `AnswerKeyPage` for the columns): `ignoreRobots`,
    /// `retries` (the flaky and rate-limited pages need one), `transferTimeoutSeconds` (the slow
    /// page), `maxBodyBytes` (the huge page) and `maxRedirects` (the chain) change outcomes.
    /// `maxPages` and `maxPagesPerHost` are not applied: which pages a limit cuts depends on timing.
    public func answerKey(frontier: FrontierOptions, fetch: FetchOptions) -> AnswerKey {
        AnswerKeyBuilder(
            seeds: seedURLs, frontier: frontier, ignoreRobots: fetch.ignoreRobots, maxRedirects: fetch.maxRedirects,
            outcome: { self.crawlOutcome(for: $0, fetch: fetch) }, isDisallowed: { self.isDisallowedByRobots($0) },
            robotsSitemaps: { self.robotsSitemaps(for: $0) }
        ).build()
    }

    /// The sitemaps the robots.txt of `url`'s host names: the sitemap host's index; none for
    /// the other hosts.
    func robotsSitemaps(for url: NormalizedURL) -> [NormalizedURL] {
        guard let sitemapHost, layout.hostIndex(of: url) == sitemapHost.index else { return [] }
        return sitemapHost.robotsSitemaps
    }

    /// What fetching `url` gives, as the model knows it.
    func crawlOutcome(for url: NormalizedURL, fetch: FetchOptions) -> CrawlOutcome {
        switch resource(for: url) {
        case nil: .failure(kind: "refused")
        case .content(let index)?:
            .document(status: 200, contentType: Self.htmlUTF8, links: links(ofContentPage: index), metaNofollow: pages[index].metaNofollow)
        case .robots?: .document(status: 200, contentType: "text/plain; charset=utf-8", links: [], metaNofollow: false)
        case .sitemap?: .document(status: 200, contentType: "application/xml", links: [], metaNofollow: false)
        case .stylesheet?: .document(status: 200, contentType: "text/css", links: [], metaNofollow: false)
        case .notFound?: .document(status: 404, contentType: Self.htmlUTF8, links: [], metaNofollow: false)
        case .fault(let fault)?:
            faults?.outcome(fault, fetch: fetch, slowResponseSeconds: config.slowResponseSeconds) ?? .failure(kind: "refused")
        case .sitemapHost(let resource)?:
            sitemapHost?.outcome(resource) ?? .failure(kind: "refused")
        }
    }
}
