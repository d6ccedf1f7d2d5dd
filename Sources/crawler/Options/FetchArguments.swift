import ArgumentParser
import CrawlerCore

/// The fetch phase's flags, shared by `crawl`, `demo` and `bench`.
struct FetchArguments: ParsableArguments {
    @Option(name: .customLong("fetch"), help: "How fetches wait: sequential, threads or async.")
    var model: FetchModel = FetchOptions().model

    @Option(name: .customLong("fetch-concurrency"), help: "Transfers in flight at once.")
    var concurrency: Int = FetchOptions().concurrency

    @Option(name: .customLong("per-host"), help: "Requests in flight to one host at most.")
    var perHost: Int = FetchOptions().perHostConcurrency

    @Option(name: .customLong("delay"), help: "Milliseconds between two requests to one host at least (raised by Crawl-delay).")
    var delayMilliseconds: Int = Int(FetchOptions().perHostDelaySeconds * 1000)

    @Option(name: .customLong("connect-timeout"), help: "Seconds allowed to connect.")
    var connectTimeout: Double = FetchOptions().connectTimeoutSeconds

    @Option(name: .customLong("timeout"), help: "Seconds allowed for one request (each redirect hop is one).")
    var timeout: Double = FetchOptions().transferTimeoutSeconds

    @Option(name: .customLong("max-bytes"), help: "A body larger than this many bytes is aborted and recorded as too large.")
    var maxBytes: Int = FetchOptions().maxBodyBytes

    @Option(name: .customLong("max-redirects"), help: "Redirects followed before giving up.")
    var maxRedirects: Int = FetchOptions().maxRedirects

    @Option(name: .customLong("retries"), help: "Retries of a transient failure (connect error, reset, 5xx, 429).")
    var retries: Int = FetchOptions().retries

    @Option(name: .customLong("user-agent"), help: "The User-Agent header. On other people's sites, name yourself and a page about the crawl: \"Name/1.0 (+https://your.site/crawler)\".")
    var userAgent: String = FetchOptions().userAgent

    @Flag(name: .customLong("ignore-robots"), help: "Do not fetch or obey robots.txt.")
    var ignoreRobots = false

    func validate() throws {
        guard concurrency >= 1 else { throw ValidationError("--fetch-concurrency must be at least 1") }
        guard perHost >= 1 else { throw ValidationError("--per-host must be at least 1") }
        guard delayMilliseconds >= 0 else { throw ValidationError("--delay cannot be negative") }
        guard connectTimeout > 0, timeout > 0 else { throw ValidationError("--connect-timeout and --timeout must be more than 0 seconds") }
        guard maxBytes > 0 else { throw ValidationError("--max-bytes must be more than 0") }
        guard maxRedirects >= 0, retries >= 0 else { throw ValidationError("--max-redirects and --retries cannot be negative") }
    }

    /// The options these flags describe.
    var options: FetchOptions {
        var options = FetchOptions()
        options.model = model
        options.concurrency = concurrency
        options.perHostConcurrency = perHost
        options.perHostDelaySeconds = Double(delayMilliseconds) / 1000
        options.connectTimeoutSeconds = connectTimeout
        options.transferTimeoutSeconds = timeout
        options.maxBodyBytes = maxBytes
        options.maxRedirects = maxRedirects
        options.retries = retries
        options.userAgent = userAgent
        options.ignoreRobots = ignoreRobots
        return options
    }
}
