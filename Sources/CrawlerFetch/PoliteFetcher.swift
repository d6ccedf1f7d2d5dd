import CrawlerCore
import Foundation

/// The fetcher the pipeline uses: any `FetchEngine` plus the manners every engine shares
/// identically: robots.txt (RFC 9309, cached per origin), at most `perHostConcurrency`
/// requests in flight per host, request starts `perHostDelaySeconds` apart (raised by
/// Crawl-delay), back-off on 429/503 honouring Retry-After, and `retries` retries of
/// transient failures with exponential back-off and full jitter.
///
/// Redirects are followed here, hop by hop, not inside curl: every hop is a request like any
/// other, checked against its origin's robots.txt and made within its own host's limits. A
/// redirect whose target robots.txt disallows is not followed: the 3xx is the final response,
/// and its `Location` is a link like any other (which the frontier's robots check refuses).
public final class PoliteFetcher: Sendable {
    /// The engine doing the transfers.
    public let engine: any FetchEngine
    /// The options it was made with.
    public let options: FetchOptions
    private let gate: HostGate
    private let robots: RobotsCache
    let retryPolicy: RetryPolicy

    /// A polite fetcher over the engine `options.model` names.
    public convenience init(options: FetchOptions) {
        self.init(engine: makeFetchEngine(options), options: options)
    }

    /// A polite fetcher over a given engine (which it shuts down in `shutdown`).
    public convenience init(engine: any FetchEngine, options: FetchOptions) {
        self.init(engine: engine, options: options, retryPolicy: RetryPolicy())
    }

    init(engine: any FetchEngine, options: FetchOptions, retryPolicy: RetryPolicy) {
        self.engine = engine
        self.options = options
        self.gate = HostGate(limit: options.perHostConcurrency, delaySeconds: options.perHostDelaySeconds)
        self.robots = RobotsCache(userAgent: options.userAgent)
        self.retryPolicy = retryPolicy
    }

    /// Fetches `url` politely. `.disallowedByRobots` when robots.txt forbids it,
    /// `.robotsUnavailable` (saying why) when robots.txt could not be had; after the
    /// retries, the last response (a 5xx is a response) or error.
    ///
    /// Redirects are followed up to `maxRedirects` (a loop or one more fails with
    /// `.tooManyRedirects`), each hop after its origin's robots.txt allows it and within its
    /// host's gate (the previous hop's slot is given back first). Retries apply to each hop
    /// alone, so a hop that answered is never asked again. `timings.total` is the sum of the
    /// hops' transfer times (waits for a host's turn excluded); the other timings are the last hop's.
    public func fetch(_ url: NormalizedURL) async -> Result<FetchResponse, FetchError> {
        await fetch(url, holding: nil)
    }

    /// Whether a request to `url` could start right now, for a scheduler that never waits on a
    /// host: `.start` hands over a slot of the host (pass it to `fetch(_:holding:)`), the other
    /// answers say what the host waits for. robots.txt comes first: a host whose rules are not
    /// known answers `.fetchRobots` (call `fetchRobots(for:)`) or `.robotsPending`.
    public func admission(for url: NormalizedURL) -> HostAdmission {
        if !options.ignoreRobots {
            switch robots.peek(origin: url.origin) {
            case .unknown: return .fetchRobots
            case .fetching: return .robotsPending
            case .known(let rules):
                if !rules.allows(url.pathAndQuery) { return .start(nil) }  // refused without a request
            }
        }
        switch gate.tryAcquire(host: url.authority) {
        case .granted: return .start(HostSlot(host: url.authority))
        case .notBefore(let instant): return .notBefore(instant)
        case .full: return .full
        }
    }

    /// Fetches (or reuses) the robots.txt rules of `url`'s origin, so that its host's requests
    /// can be admitted; returns when they are known (or the task was cancelled), with the
    /// sitemaps its `Sitemap:` lines list (none when robots.txt could not be had).
    @discardableResult
    public func fetchRobots(for url: NormalizedURL) async -> [NormalizedURL] {
        await robotsRules(for: url)?.sitemaps ?? []
    }

    /// `fetch(_:)` with a slot of the URL's host already taken by `admission(for:)`: the first
    /// request uses it instead of waiting for one. If robots.txt must be fetched again first
    /// (its rules expired), the slot is given back and the request waits its turn as usual.
    public func fetch(_ url: NormalizedURL, holding slot: HostSlot?) async -> Result<FetchResponse, FetchError> {
        var holding = slot != nil
        if !options.ignoreRobots {
            let rules: RobotsRules
            if case .known(let known) = robots.peek(origin: url.origin) {
                rules = known
            } else {
                if holding { gate.release(host: url.authority) }
                holding = false
                guard let fetched = await robotsRules(for: url) else { return .failure(.cancelled(url: url.string)) }
                rules = fetched
            }
            if let refusal = rules.refusal(of: url) {
                if holding { gate.release(host: url.authority) }
                return .failure(refusal)
            }
        }
        return await followingRedirects(url, checkingRobots: !options.ignoreRobots, retries: options.retries, holdingFirstSlot: holding)
    }

    /// Fetches `url` and the redirects it leads to, one hop after another.
    private func followingRedirects(
        _ url: NormalizedURL, checkingRobots: Bool, retries: Int, holdingFirstSlot: Bool = false, bodyLimit: BodyLimit? = nil
    ) async -> Result<FetchResponse, FetchError> {
        var chain = RedirectChain(requestedURL: url, maxRedirects: options.maxRedirects)
        var holding = holdingFirstSlot
        while true {
            let response: FetchResponse
            let result = await fetchRetrying(chain.current, retries: retries, holdingFirstSlot: holding, bodyLimit: bodyLimit ?? .page(options))
            holding = false
            switch result {
            case .failure(let error): return .failure(chain.failure(error))
            case .success(let value): response = value
            }
            switch chain.step(after: response) {
            case .final:
                return .success(chain.response(endingWith: response))
            case .failure(let error):
                return .failure(error)
            case .redirect(let next):
                if checkingRobots {
                    guard let rules = await robotsRules(for: next) else { return .failure(.cancelled(url: url.string)) }
                    if !rules.allows(next.pathAndQuery) { return .success(chain.response(endingWith: response)) }
                }
                chain.follow(response, to: next)
            }
        }
    }

    /// One URL, retried up to `retries` times while the result is transient.
    private func fetchRetrying(_ url: NormalizedURL, retries: Int, holdingFirstSlot: Bool, bodyLimit: BodyLimit) async -> Result<FetchResponse, FetchError> {
        var attempt = 0
        while true {
            let result = await fetchOnce(url, holdingSlot: attempt == 0 && holdingFirstSlot, bodyLimit: bodyLimit)
            guard attempt < retries, RetryPolicy.isTransient(result), !Task.isCancelled else { return result }
            do {
                try await Task.sleep(for: retryPolicy.backoff(attempt: attempt))
            } catch {
                return .failure(.cancelled(url: url.string))
            }
            attempt += 1
        }
    }

    /// The robots.txt rules that apply to `url`'s origin for our user agent, fetching them
    /// once per origin; nil only if the task was cancelled while waiting.
    public func robotsRules(for url: NormalizedURL) async -> RobotsRules? {
        let origin = url.origin
        switch await robots.ticket(origin: origin) {
        case .rules(let rules):
            return rules
        case .cancelled:
            return nil
        case .fetch:
            guard let robotsURL = NormalizedURL(origin + "/robots.txt") else { return .allowAll }
            // RFC 9309 §2.3.1.2: redirects are followed, even to other hosts (each hop within
            // its host's gate); robots.txt is always allowed, and checking the hops' robots.txt
            // could wait on this very fetch. Not retried: a failure disallows for a few minutes.
            // Read up to its own limit, whatever --max-bytes says (RFC 9309 §2.5).
            let result = await followingRedirects(robotsURL, checkingRobots: false, retries: 0, bodyLimit: .robotsTxt)
            if case .failure(.cancelled) = result {
                robots.abandon(origin: origin)
                return nil
            }
            let (rules, lifetime) = RobotsCache.rules(from: result, userAgent: options.userAgent)
            if let crawlDelay = rules.crawlDelay {
                // Capped so one robots.txt cannot park the crawl on a host.
                gate.raiseDelay(host: url.authority, seconds: min(crawlDelay, RobotsCache.maxCrawlDelaySeconds))
            }
            robots.complete(origin: origin, rules: rules, lifetime: lifetime)
            return rules
        }
    }

    /// Cancels what is in flight and stops the engine.
    public func shutdown() async {
        await engine.shutdown()
    }

    /// One attempt within the host's limits; a 429 or 503 backs the host off.
    private func fetchOnce(_ url: NormalizedURL, holdingSlot: Bool, bodyLimit: BodyLimit) async -> Result<FetchResponse, FetchError> {
        let host = url.authority
        if !holdingSlot {
            guard await gate.acquire(host: host) else { return .failure(.cancelled(url: url.string)) }
        }
        let result = await engine.fetch(url, bodyLimit: bodyLimit)
        if case .success(let response) = result, RetryPolicy.asksToBackOff(response) {
            let wait = retryPolicy.retryAfter(response.headers.retryAfter) ?? retryPolicy.backoff(attempt: 0)
            gate.backOff(host: host, for: wait)
        }
        gate.release(host: host)
        return result
    }
}
