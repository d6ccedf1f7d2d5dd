import CrawlerCore
import Foundation

/// Builds the content hosts' pages and links from a configuration. Each host's layout and each
/// page's traits and links come from their own random streams, so the web is reproducible.
struct SiteGenerator {
    let config: SyntheticWebConfig
    let layout: HostLayout

    /// Children per page in the spanning tree; log8 of the pages per host bounds the depth.
    static let treeBranching = 8
    /// Offsite URLs that pages link to.
    static let offsiteCount = 16

    /// What the generator produces.
    struct Output {
        var pages: [ContentPage]
        var hostPageRanges: [Range<Int>]
        var missingURLs: [NormalizedURL]
        var missingByHost: [[Int]]
        var offsiteURLs: [NormalizedURL]
        var stylesheetURLs: [NormalizedURL]
    }

    /// A page's traits before links are chosen.
    private struct Draft {
        var path: String
        var query: String?
        var isPrivate = false
        var isDisallowed = false
        /// Linked only by one `rel=nofollow` link from the home page: a default crawl never fetches it.
        var nofollowOnly = false
        var metaNofollow = false
        var metaNoindex = false
        var baseDirectory: String?
        var hasCanonical = false
        var hasTopLink = false
        var mapAreas = 0
        var hasIframe = false
        var targetBytes = 0
        var title = ""
    }

    func generate() -> Output {
        let hosts = config.hosts
        var ranges: [Range<Int>] = []
        var start = 0
        for count in config.hostSizes.pageCounts(pages: config.pages, hosts: hosts) {
            ranges.append(start..<(start + count))
            start += count
        }
        var drafts: [[Draft]] = []
        for host in 0..<hosts { drafts.append(draftHost(host, count: ranges[host].count)) }

        var missingURLs: [NormalizedURL] = []
        var missingByHost: [[Int]] = []
        for host in 0..<hosts {
            var rng = SplitMix64(seed: config.seed, stream: .missing, index: host)
            let directories = Self.directories(host: host, seed: config.seed)
            var indices: [Int] = []
            for number in 0..<max(2, ranges[host].count / 25) {
                let path = rng.pick(directories) + "\(rng.pick(Vocabulary.words))-\(90_000 + number)-removed.html"
                indices.append(missingURLs.count)
                missingURLs.append(url(host: host, path: path, query: nil))
            }
            missingByHost.append(indices)
        }
        var offsiteURLs: [NormalizedURL] = []
        for number in 0..<Self.offsiteCount {
            let word = Vocabulary.words[(number * 7) % Vocabulary.words.count]
            offsiteURLs.append(url(host: layout.offsiteHostIndex, path: "/partners/\(word)-\(number).html", query: nil))
        }
        let stylesheetURLs = (0..<hosts).map { url(host: $0, path: "/static/site.css", query: nil) }

        var pages: [ContentPage] = []
        pages.reserveCapacity(config.pages)
        for host in 0..<hosts {
            let children = treeChildren(drafts[host])
            let sidebar = config.profile == .docs ? Self.sidebar(drafts[host]) : []
            for (local, draft) in drafts[host].enumerated() {
                let index = ranges[host].lowerBound + local
                let pageURL = url(host: host, path: draft.path, query: draft.query)
                let base = draft.baseDirectory.map { url(host: host, path: $0, query: nil) }
                let links = chooseLinks(
                    host: host, local: local, index: index, draft: draft, children: children[local],
                    ranges: ranges, drafts: drafts, missing: missingByHost[host], sidebar: sidebar)
                pages.append(
                    ContentPage(
                        index: index, host: host, local: local, url: pageURL, isDisallowed: draft.isDisallowed,
                        metaNofollow: draft.metaNofollow, metaNoindex: draft.metaNoindex, base: base,
                        targetBytes: draft.targetBytes, title: draft.title, links: links))
            }
        }
        return Output(
            pages: pages, hostPageRanges: ranges, missingURLs: missingURLs, missingByHost: missingByHost,
            offsiteURLs: offsiteURLs, stylesheetURLs: stylesheetURLs)
    }

    /// A URL of a synthetic host from path and query already in normal form.
    func url(host: Int, path: String, query: String?) -> NormalizedURL {
        let text = layout.origin(host) + path + (query.map { "?" + $0 } ?? "")
        guard let url = NormalizedURL(text) else { preconditionFailure("generated URL \(text) does not parse") }
        return url
    }

    /// The section directories of a host (`/docs/`, `/docs/api/`, …), never `/private/`.
    static func directories(host: Int, seed: UInt64) -> [String] {
        var rng = SplitMix64(seed: seed, stream: .layout, index: host)
        var sections = Vocabulary.sections
        var result: [String] = []
        for _ in 0..<rng.int(in: 4...6) {
            let section = sections.remove(at: rng.below(sections.count))
            result.append("/\(section)/")
            var subsections = Vocabulary.subsections
            for _ in 0..<rng.int(in: 0...3) {
                result.append("/\(section)/\(subsections.remove(at: rng.below(subsections.count)))/")
            }
        }
        return result
    }

    private func draftHost(_ host: Int, count: Int) -> [Draft] {
        let directories = Self.directories(host: host, seed: config.seed)
        var usedDirectories: Set<String> = []
        var drafts: [Draft] = []
        drafts.reserveCapacity(count)
        for local in 0..<count {
            var rng = SplitMix64(seed: config.seed, stream: .page, index: host << 32 | local)
            let slug = (0..<rng.int(in: 1...3)).map { _ in rng.pick(Vocabulary.words) }.joined(separator: "-")
            var draft = Draft(path: "/")
            if local > 0 {
                // Hosts of 10 pages or more always have a disallowed page and an allowed press page.
                let roll = count >= 10 && local == count - 1 ? 0 : count >= 10 && local == count - 2 ? 0.03 : rng.unit()
                if count >= 10, roll < 0.035 {
                    draft.isPrivate = true
                    draft.isDisallowed = roll == 0.03 ? false : roll == 0 ? true : rng.chance(0.6)
                    draft.path = (draft.isDisallowed ? "/private/" : "/private/press/") + "\(slug)-\(local).html"
                } else if count >= 10, local == count - 3 {
                    draft.nofollowOnly = true
                    draft.path = "/drafts/\(slug)-\(local).html"
                } else if roll < 0.075 {
                    draft.path = "/search"
                    draft.query = "q=\(rng.pick(Vocabulary.words))&page=\(local)"
                } else if roll < 0.095 {
                    draft.path = "/catalog/item"
                    draft.query = "id=\(local)&lang=en"
                } else {
                    let directory = rng.pick(directories)
                    if usedDirectories.insert(directory).inserted {
                        draft.path = directory
                    } else {
                        draft.path = directory + "\(slug)-\(local).html"
                    }
                }
                draft.metaNofollow = rng.chance(0.03)
                draft.metaNoindex = rng.chance(0.03)
                // Documentation pages resolve against their own URL (their `../` links are the point).
                if rng.chance(0.05), config.profile == .mixed { draft.baseDirectory = rng.pick(directories) }
            }
            draft.hasCanonical = rng.chance(0.3)
            draft.hasTopLink = draft.baseDirectory == nil && rng.chance(0.5)
            draft.mapAreas = rng.chance(0.1) ? rng.int(in: 1...3) : 0
            draft.hasIframe = rng.chance(0.03)
            // Documentation pages vary less in size than articles do.
            draft.targetBytes = Self.pageBytes(meanKB: config.meanPageKB, sigma: config.profile == .docs ? 0.45 : 0.9, rng: &rng)
            draft.title = (0..<rng.int(in: 2...6)).map { _ in rng.pick(Vocabulary.words) }.joined(separator: " ")
            drafts.append(draft)
        }
        return drafts
    }

    /// A long-tailed size: log-normal with `sigma` (0.9 for articles) around the mean, from
    /// 1.5 KiB to 30 times the mean.
    static func pageBytes(meanKB: Double, sigma: Double = 0.9, rng: inout SplitMix64) -> Int {
        let mu = log(meanKB * 1024) - sigma * sigma / 2
        let u1 = max(rng.unit(), 1e-12)
        let u2 = rng.unit()
        let normal = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        let bytes = exp(mu + sigma * normal)
        return Int(min(max(bytes, 1536), meanKB * 1024 * 30))
    }

    /// The spanning tree: page i's parent is (i-1)/8, skipped upwards past pages a default crawl
    /// does not follow links from (robots-private and meta-nofollow pages), so every page is
    /// reachable from the home page through followable links.
    private func treeChildren(_ drafts: [Draft]) -> [[Int]] {
        var children = Array(repeating: [Int](), count: drafts.count)
        for local in 1..<max(1, drafts.count) where !drafts[local].nofollowOnly {
            var parent = (local - 1) / Self.treeBranching
            while parent > 0, drafts[parent].isPrivate || drafts[parent].metaNofollow {
                parent = (parent - 1) / Self.treeBranching
            }
            children[parent].append(local)
        }
        return children
    }

    /// The local indexes a docs host lists in its sidebar: its first pages, in order, but for
    /// robots-private pages and the page only a nofollow link may reach.
    private static func sidebar(_ drafts: [Draft]) -> [Int] {
        Array(drafts.indices.filter { !drafts[$0].isPrivate && !drafts[$0].nofollowOnly }.prefix(SiteProfile.sidebarPages))
    }

    private static func isNofollowOnly(_ page: Int, ranges: [Range<Int>], drafts: [[Draft]]) -> Bool {
        guard let host = ranges.firstIndex(where: { $0.contains(page) }) else { return false }
        return drafts[host][page - ranges[host].lowerBound].nofollowOnly
    }

    /// Out-degree from a power law (Pareto, alpha 2.1, mean about 20 before the cap).
    private static func outDegree(rng: inout SplitMix64) -> Int {
        let alpha = 2.1
        let minimum = 10.5
        let value = minimum / pow(max(rng.unit(), 1e-9), 1 / alpha)
        return min(Int(value) - 5, 400)
    }

    private func chooseLinks(
        host: Int, local: Int, index: Int, draft: Draft, children: [Int],
        ranges: [Range<Int>], drafts: [[Draft]], missing: [Int], sidebar: [Int]
    ) -> [LinkSpec] {
        var rng = SplitMix64(seed: config.seed, stream: .links, index: index)
        let docs = config.profile == .docs
        var links: [LinkSpec] = []
        var used: Set<TargetRef> = [.page(index)]
        links.append(LinkSpec(target: .stylesheet(host: host), kind: .link, nofollow: false, role: .stylesheet))
        used.insert(.stylesheet(host: host))
        if draft.hasCanonical { links.append(LinkSpec(target: .page(index), kind: .link, nofollow: false, role: .canonical)) }
        let home = ranges[host].lowerBound
        if local != 0 {
            links.append(LinkSpec(target: .page(home), kind: .a, nofollow: false, role: .home))
            used.insert(.page(home))
        }
        // Docs: the sidebar (repeated on every page, so its targets come back in the body too,
        // and are not kept out of it) and the "On this page" links to the page's own headings.
        for page in sidebar { links.append(LinkSpec(target: .page(ranges[host].lowerBound + page), kind: .a, nofollow: false, role: .navigation)) }
        if docs {
            for _ in 0..<rng.int(in: 4...14) { links.append(LinkSpec(target: .page(index), kind: .a, nofollow: false, role: .onThisPage)) }
        }
        let childLinks = children.map { LinkSpec(target: .page(ranges[host].lowerBound + $0), kind: .a, nofollow: false, role: .child) }
        for child in childLinks { used.insert(child.target) }
        let hostCount = ranges[host].count
        var body: [LinkSpec] = []
        let wanted = docs ? rng.int(in: 40...110) : Self.outDegree(rng: &rng)
        var attempts = 0
        while body.count < wanted, attempts < wanted * 3 {
            attempts += 1
            let roll = rng.unit()
            let target: TargetRef
            if roll < 0.012 {
                target = .missing(rng.pick(missing))
            } else if roll < 0.11 {
                if config.hosts > 1, rng.chance(0.85) {
                    var other = rng.below(config.hosts - 1)
                    if other >= host { other += 1 }
                    let range = ranges[other]
                    // A host may have no pages in a web smaller than its host count: link offsite
                    // then (the random draws of every other web stay as they were).
                    target = range.isEmpty
                        ? .offsite(rng.below(Self.offsiteCount))
                        : .page(rng.chance(0.3) ? range.lowerBound : range.lowerBound + rng.below(range.count))
                } else {
                    target = .offsite(rng.below(Self.offsiteCount))
                }
            } else if rng.chance(0.5) {
                target = .page(ranges[host].lowerBound + rng.below(hostCount))
            } else {
                // Skewed towards the first pages, so in-degrees are long-tailed too.
                let skewed = Int(Double(hostCount) * pow(rng.unit(), 3))
                target = .page(ranges[host].lowerBound + min(skewed, hostCount - 1))
            }
            if case .page(let page) = target, Self.isNofollowOnly(page, ranges: ranges, drafts: drafts) { continue }
            guard used.insert(target).inserted else { continue }
            body.append(LinkSpec(target: target, kind: .a, nofollow: rng.chance(0.05), role: .body))
        }
        // Some body links become image-map areas or an iframe instead of anchors.
        var areas = draft.mapAreas
        var iframe = draft.hasIframe
        for position in body.indices.reversed() {
            if areas > 0 {
                body[position] = LinkSpec(target: body[position].target, kind: .area, nofollow: body[position].nofollow, role: .area)
                areas -= 1
            } else if iframe {
                body[position] = LinkSpec(target: body[position].target, kind: .iframe, nofollow: false, role: .iframe)
                iframe = false
            } else {
                break
            }
        }
        // In document order: the article's links, the image map, the iframe, "In this section", "Back to top".
        links += body.filter { $0.role == .body }
        if local == 0, let hidden = drafts[host].firstIndex(where: \.nofollowOnly) {
            links.append(LinkSpec(target: .page(ranges[host].lowerBound + hidden), kind: .a, nofollow: true, role: .body))
        }
        if docs {
            for neighbour in [local - 1, local + 1] where drafts[host].indices.contains(neighbour) && !drafts[host][neighbour].nofollowOnly {
                links.append(LinkSpec(target: .page(ranges[host].lowerBound + neighbour), kind: .a, nofollow: false, role: .pager))
            }
        }
        links += body.filter { $0.role == .area } + body.filter { $0.role == .iframe } + childLinks
        if draft.hasTopLink { links.append(LinkSpec(target: .page(index), kind: .a, nofollow: false, role: .topOfPage)) }
        return links
    }
}
