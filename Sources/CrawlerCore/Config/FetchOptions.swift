/// Settings of the fetch phase, with the defaults a crawler's users expect. Each is a CLI flag.
public struct FetchOptions: Sendable, Hashable, Codable {
    /// The crawler's name and version, used in the default user agent.
    public static let crawlerVersion = "0.1.0"
    /// The default `User-Agent`: the crawler's name and version. It names no home page: the
    /// project has none to point site owners to, and a made-up address could be somebody
    /// else's. Whoever crawls other people's sites should say who they are with
    /// `--user-agent "Name/1.0 (+https://their.site/about-the-crawl)"`, as Heritrix and Nutch ask.
    public static let defaultUserAgent = "SwiftCrawler/\(crawlerVersion)"

    /// How the fetch phase waits (`--fetch`).
    public var model: FetchModel = .async
    /// Transfers in flight at once (`--fetch-concurrency`).
    public var concurrency: Int = 64
    /// Seconds allowed to establish a connection (`--connect-timeout`).
    public var connectTimeoutSeconds: Double = 10
    /// Seconds allowed for one request, each redirect hop its own (`--timeout`).
    public var transferTimeoutSeconds: Double = 30
    /// A body larger than this is aborted and recorded as too large (`--max-bytes`).
    public var maxBodyBytes: Int = 10 * 1024 * 1024
    /// Redirects followed before giving up (`--max-redirects`).
    public var maxRedirects: Int = 10
    /// Retries of a transient failure: connect error, reset, 5xx, 429 (`--retries`).
    public var retries: Int = 2
    /// Requests in flight to one host at most (`--per-host`).
    public var perHostConcurrency: Int = 8
    /// Seconds between two requests to one host at least (`--delay`); raised by Crawl-delay.
    public var perHostDelaySeconds: Double = 0
    /// The `User-Agent` header (`--user-agent`).
    public var userAgent: String = FetchOptions.defaultUserAgent
    /// Skip robots.txt entirely (`--ignore-robots`).
    public var ignoreRobots: Bool = false
    /// Extra request headers, `Name: value` each (`--header`). Not stored with the crawl's
    /// settings: they may hold credentials (an `Authorization` header).
    public var headers: [String] = []
    /// The proxy every request goes through (`--proxy`); not stored either (it may name a
    /// user and password). Without it, libcurl's `http_proxy`/`https_proxy` variables apply.
    public var proxy: String? = nil
    /// Cookies (`--cookies`, `--cookie-jar`): nil sends none and keeps none; a jar (empty, or
    /// read from a file) is shared by every transfer of the crawl, per host, and keeps what
    /// servers set. Not stored either: cookies are often credentials.
    public var cookieJar: CookieJar? = nil
    /// Keep each request and response as it crossed the wire (`FetchResponse.exchanges`), for
    /// `--warc`. The crawler then asks for `Accept-Encoding: identity` (as wget does) and leaves
    /// bodies as received, so what is archived is what was parsed. Not stored with the settings.
    public var captureExchanges: Bool = false

    /// The defaults.
    public init() {}

    /// What is stored with a crawl's settings: everything but the headers, the proxy and the
    /// cookies.
    enum CodingKeys: String, CodingKey {
        case model, concurrency, connectTimeoutSeconds, transferTimeoutSeconds, maxBodyBytes, maxRedirects, retries
        case perHostConcurrency, perHostDelaySeconds, userAgent, ignoreRobots
    }
}
