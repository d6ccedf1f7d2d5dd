import ArgumentParser
import Foundation
import SyntheticWeb

/// `crawler serve`: runs the synthetic web in the foreground.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the synthetic web: many hosts on 127.0.0.x with a known answer key.",
        discussion: """
            Content host k listens on 127.0.0.(k+1), all on one port; with --faults the next address \
            is the fault host (redirects, errors, stalls, huge and broken pages); with --sitemap-host \
            the next one serves pages no page links to, listed in a sitemap index (a gzip and a plain \
            child sitemap) that its robots.txt names. On Linux all of \
            127.0.0.0/8 reaches the loopback interface, so no setup is needed. The same options \
            always give the same pages, links and bytes.

            Examples:
              crawler serve
              crawler serve --port 0 --hosts 4 --pages 500 --latency 20 --jitter 10
              crawler serve --hosts 40 --pages 4000 --host-sizes zipf --latency 50
              crawler serve --profile docs --hosts 4 --pages 2000
              crawler serve --faults --answer-key output/answer-key --max-seconds 600
            """
    )

    @Option(help: "Seed of every random choice; the same seed gives the same web.")
    var seed: UInt64 = 1

    @Option(help: "Content hosts (127.0.0.1, 127.0.0.2, …).")
    var hosts: Int = 8

    @Option(help: "Content pages across all hosts.")
    var pages: Int = 2000

    @Option(help: "What the pages look like: mixed (articles of every link spelling) or docs (documentation pages of about 100 KiB and 300+ links, most of them a repeated sidebar of ../ links).")
    var profile: SiteProfile = .mixed

    @Option(name: .customLong("mean-page-kb"), help: "Mean page size in KiB (sizes are long-tailed; default 48, or 100 with --profile docs).")
    var meanPageKB: Double?

    @Option(name: .customLong("host-sizes"), help: "How pages are shared among hosts: equal, or zipf (the largest host has about half).")
    var hostSizes: HostSizes = .equal

    @Option(help: "Port of every host; 0 picks a free one.")
    var port: Int = SyntheticWebDefaults.port

    @Option(help: "Delay of every response, in milliseconds.")
    var latency: Int = 0

    @Option(help: "Plus a random delay of up to this many milliseconds.")
    var jitter: Int = 0

    @Flag(help: "Add the fault host.")
    var faults = false

    @Flag(name: .customLong("sitemap-host"), help: "Add the sitemap host: pages linked only from its sitemaps (named by its robots.txt).")
    var sitemapHost = false

    @Option(name: .customLong("slow-seconds"), help: "How long /slow on the fault host stalls.")
    var slowSeconds: Double = 40

    @Option(name: .customLong("answer-key"), help: "Write seeds.txt, pages.tsv and links.tsv of a default crawl into this directory.")
    var answerKey: String?

    @Option(name: .customLong("max-seconds"), help: "Stop after this many seconds (default: until Ctrl-C).")
    var maxSeconds: Double?

    /// The web these flags describe.
    private var config: SyntheticWebConfig {
        SyntheticWebConfig(
            seed: seed, hosts: hosts, pages: pages, meanPageKB: meanPageKB ?? profile.defaultMeanPageKB, port: port, latencyMs: latency,
            jitterMs: jitter, faults: faults, slowResponseSeconds: slowSeconds, maxSeconds: maxSeconds, hostSizes: hostSizes, profile: profile,
            sitemapHost: sitemapHost)
    }

    func validate() throws {
        do {
            try config.validate()
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let config = config
        let server = try await SyntheticWebServer.start(config)
        let layout = server.model.layout
        say("Synthetic web (seed \(seed)): \(pages) pages on \(hosts) hosts, port \(server.port)")
        for index in 0..<layout.servedHostCount {
            let pages = index < server.model.hostPageRanges.count ? " (\(server.model.hostPageRanges[index].count) pages)" : ""
            let role = index == layout.faultHostIndex ? "fault host" : "content host \(index)\(pages)"
            say("  \(role): http://\(layout.authority(index))/")
        }
        say("  offsite (linked, not served): http://\(layout.authority(layout.offsiteHostIndex))/")
        say("Seeds:")
        for seedURL in server.seedURLs { say("  \(seedURL)") }
        if let answerKey {
            let directory = URL(fileURLWithPath: answerKey)
            let key = server.answerKey()
            try key.write(to: directory)
            let fetched = key.pages.filter(\.fetched).count
            say("Answer key: \(key.pages.count) URLs (\(fetched) fetched), \(key.links.count) links, written to \(directory.path)")
        }
        if let maxSeconds {
            say("Serving for \(maxSeconds) s (Ctrl-C to stop sooner).")
        } else {
            say("Serving until Ctrl-C.")
        }
        await server.waitUntilStopped()
        try await server.shutdown()
    }

    /// Prints a line unbuffered, so a script or log reading our output sees the port at once.
    private func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

extension HostSizes: ExpressibleByArgument {}
extension SiteProfile: ExpressibleByArgument {}
