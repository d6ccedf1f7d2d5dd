import ArgumentParser
import CrawlerCore

/// Which URLs a crawl follows, and the spider-trap guards.
struct FrontierArguments: ParsableArguments {
    @Option(help: "Which hosts to stay on: host (each seed's host), domain (the seeds' domains) or any.")
    var scope: CrawlScope = FrontierOptions().scope

    @Option(name: .customLong("max-depth"), help: "Links more than this many hops from a seed are not followed.")
    var maxDepth: Int = FrontierOptions().maxDepth

    @Option(name: .customLong("max-pages"), help: "Stop after this many pages (default: no limit).")
    var maxPages: Int?

    @Option(name: .customLong("max-pages-per-host"), help: "Pages fetched from one host at most (a spider-trap guard).")
    var maxPagesPerHost: Int = FrontierOptions().maxPagesPerHost

    @Option(name: .customLong("max-url-length"), help: "URLs longer than this are not followed (a spider-trap guard).")
    var maxURLLength: Int = FrontierOptions().maxURLLength

    @Option(name: .customLong("include"), help: "Follow only URLs matching one of these regular expressions (repeatable).")
    var include: [String] = []

    @Option(name: .customLong("exclude"), help: "Never follow URLs matching this regular expression (repeatable).")
    var exclude: [String] = []

    @Flag(name: .customLong("follow-nofollow"), help: "Also follow rel=nofollow links and pages marked nofollow.")
    var followNofollow = false

    @Flag(name: .customLong("follow-resources"), help: ArgumentHelp(
        "Also follow resource and alternate links (stylesheets, icons, scripts, images, media, <link rel=alternate>), as wget -p does.",
        discussion: "By default a crawl follows hyperlinks (a, area, frames, <link rel=next> and the like), canonical URLs, redirects and meta refresh, as wget -r and Scrapy do. Every link is stored in the graph either way."))
    var followResources = false

    func validate() throws {
        try FlagRange.check(maxDepth, "--max-depth", in: 0...1_000_000)
        if let maxPages { try FlagRange.check(maxPages, "--max-pages", in: 1...Int.max) }
        try FlagRange.check(maxPagesPerHost, "--max-pages-per-host", in: 1...Int.max)
        try FlagRange.check(maxURLLength, "--max-url-length", in: 16...1_000_000)
    }

    /// The options these flags describe.
    var options: FrontierOptions {
        var options = FrontierOptions()
        options.scope = scope
        options.maxDepth = maxDepth
        options.maxPages = maxPages
        options.maxPagesPerHost = maxPagesPerHost
        options.maxURLLength = maxURLLength
        options.include = include
        options.exclude = exclude
        options.followNofollow = followNofollow
        options.followResources = followResources
        return options
    }
}
