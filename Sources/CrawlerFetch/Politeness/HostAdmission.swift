/// What a scheduler is told when it asks whether a request to a URL could start now
/// (`PoliteFetcher.admission(for:)`): it never waits on a host, it moves on to another.
public enum HostAdmission: Sendable, Hashable {
    /// Start now. The slot, when there is one, is the host's and is already taken: hand it to
    /// `fetch(_:holding:)`, which gives it back when the request is done.
    case start(HostSlot?)
    /// The host's delay, Crawl-delay or back-off forbids a start before this instant.
    case notBefore(ContinuousClock.Instant)
    /// Every slot of the host is taken: ask again when one of its requests is done.
    case full
    /// The host's robots.txt is not known: fetch it first (`fetchRobots(for:)`).
    case fetchRobots
    /// Another request is fetching the host's robots.txt: ask again when it is done.
    case robotsPending
}

/// One request slot of a host, taken by `PoliteFetcher.admission(for:)`.
public struct HostSlot: Sendable, Hashable {
    /// The host (`host[:port]`) whose slot this is.
    public let host: String
}
