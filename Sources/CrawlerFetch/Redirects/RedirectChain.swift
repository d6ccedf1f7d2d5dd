import CrawlerCore

/// The redirects of one fetch, followed hop by hop, as a pure value: which URL comes next (or
/// why none does), and the `FetchResponse` the whole chain amounts to. `PoliteFetcher` does the
/// I/O between the steps (robots.txt and the host gate of every hop), so this is tested
/// without any.
///
/// The rules are those curl applied when it followed redirects itself, so the crawler sees the
/// same results: a 3xx other than 304 with a `Location` is a redirect; `Location` resolves
/// against the URL that answered; a scheme other than http and https fails with
/// `.protocolNotAllowed`; a URL already in the chain, or more than `maxRedirects` redirects,
/// fails with `.tooManyRedirects`. Failures name the requested URL (as curl's did).
struct RedirectChain {
    /// The URL the fetch was asked for.
    let requestedURL: NormalizedURL
    /// Redirects followed at most; the next one fails the fetch.
    let maxRedirects: Int
    /// The URL whose response comes next.
    private(set) var current: NormalizedURL
    /// The redirects followed, in order.
    private(set) var hops: [RedirectHop] = []
    /// The transfer time of the followed hops, in seconds.
    private var earlierSeconds: Double = 0
    /// The earlier hops' wire exchanges, when the crawl archives.
    private var earlierExchanges: [HTTPExchange] = []

    init(requestedURL: NormalizedURL, maxRedirects: Int) {
        self.requestedURL = requestedURL
        self.maxRedirects = maxRedirects
        self.current = requestedURL
    }

    /// What a response of `current` leads to.
    enum Step: Equatable {
        /// A redirect to this URL, which may be followed (robots.txt permitting).
        case redirect(to: NormalizedURL)
        /// Not a redirect (or one that cannot be followed): the fetch ends with this response.
        case final
        /// The fetch fails.
        case failure(FetchError)
    }

    /// Classifies the response of `current`; changes nothing (`follow` does).
    func step(after response: FetchResponse) -> Step {
        guard (300..<400).contains(response.status), response.status != 304, let location = response.headers.location else {
            return .final
        }
        let next: NormalizedURL
        switch NormalizedURL.normalize(location, relativeTo: current) {
        case .success(let url):
            next = url
        case .failure(.unsupportedScheme(let scheme)):
            return .failure(.protocolNotAllowed(url: requestedURL.string, scheme: scheme))
        case .failure:
            // Not a URL at all (a bad host or port): nothing to follow, so the 3xx is the
            // answer, as for a 3xx without Location.
            return .final
        }
        // A loop is stopped when it closes, instead of after maxRedirects round trips.
        if next == current || hops.contains(where: { $0.url == next }) || hops.count + 1 > maxRedirects {
            return .failure(.tooManyRedirects(url: requestedURL.string, limit: maxRedirects))
        }
        return .redirect(to: next)
    }

    /// `current` answered `response`, a redirect to `next` (as `step` said), which is followed.
    mutating func follow(_ response: FetchResponse, to next: NormalizedURL) {
        hops.append(RedirectHop(url: current, status: response.status))
        earlierSeconds += response.timings.total
        earlierExchanges += response.exchanges
        current = next
    }

    /// The whole fetch's response, ending with `response` from `current` (a redirect that is not
    /// followed, too). `timings.total` is the sum of every hop's; the other figures are the last
    /// hop's, from that hop's start.
    func response(endingWith response: FetchResponse) -> FetchResponse {
        guard !hops.isEmpty else { return response }
        var whole = response
        whole.requestedURL = requestedURL
        whole.finalURL = current
        whole.redirects = hops
        whole.timings.total += earlierSeconds
        whole.exchanges = earlierExchanges + response.exchanges
        return whole
    }

    /// A hop's failure as the fetch reports it: about the requested URL, as curl's errors were
    /// when it followed redirects itself; a host that does not resolve or refuses keeps its name.
    func failure(_ error: FetchError) -> FetchError {
        guard !hops.isEmpty else { return error }
        let url = requestedURL.string
        switch error {
        case .dns, .connectionRefused: return error
        case .connectionReset: return .connectionReset(url: url)
        case .timeout(_, let seconds): return .timeout(url: url, seconds: seconds)
        case .tooLarge(_, let limit): return .tooLarge(url: url, limit: limit)
        case .tooManyRedirects(_, let limit): return .tooManyRedirects(url: url, limit: limit)
        case .protocolNotAllowed(_, let scheme): return .protocolNotAllowed(url: url, scheme: scheme)
        case .tls(_, let message): return .tls(url: url, message: message)
        case .disallowedByRobots: return .disallowedByRobots(url: url)
        case .robotsUnavailable(_, let cause): return .robotsUnavailable(url: url, cause: cause)
        case .cancelled: return .cancelled(url: url)
        case .transfer(_, let code, let message): return .transfer(url: url, code: code, message: message)
        }
    }
}
