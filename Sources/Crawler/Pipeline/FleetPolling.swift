/// How often a node that holds nothing asks the fleet for work: at once, then after 50 ms,
/// doubling to at most 250 ms, and at once again after a claim that found work.
///
/// A node that joins while the hosts are all leased, or that finished its own hosts, waits for
/// one of these polls to take a host another node let go, and a node whose fleet has finished
/// learns it from one: each poll saved is start-up or tail time of the whole crawl. The poll is
/// two counts over the frontier's partial indexes, so a few a second per idle node cost the
/// server little.
enum FleetPolling {
    /// The first delay after an immediate poll.
    static let first = Duration.milliseconds(50)
    /// The longest delay between two polls.
    static let longest = Duration.milliseconds(250)

    /// The delay before the poll after one made `previous` after the one before it.
    static func delay(after previous: Duration) -> Duration {
        previous <= .zero ? first : min(previous * 2, longest)
    }
}
