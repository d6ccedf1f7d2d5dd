import Foundation

/// How a synthetic web shares its pages among its hosts (`crawler serve --host-sizes`).
public enum HostSizes: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every host gets the same number of pages (give or take one).
    case equal
    /// Zipf-like: host k's share falls as 1/k^s, with s chosen so that the largest host has
    /// about half the pages, as on a seed list where one big site sits among many small ones.
    case zipf

    /// Pages per host, in host order: `pages` in all, every host at least one (its home page).
    public func pageCounts(pages: Int, hosts: Int) -> [Int] {
        guard hosts > 1, self == .zipf else {
            return (0..<hosts).map { pages / hosts + ($0 < pages % hosts ? 1 : 0) }
        }
        let exponent = Self.exponent(hosts: hosts, largestShare: 0.5)
        let weights = (1...hosts).map { 1 / pow(Double($0), exponent) }
        let total = weights.reduce(0, +)
        let spare = pages - hosts  // one page per host is given before the shares
        var counts = weights.map { 1 + Int((Double(spare) * $0 / total).rounded(.down)) }
        counts[0] += pages - counts.reduce(0, +)  // what rounding left goes to the largest host
        return counts
    }

    /// The exponent s for which host 1's share of Σ 1/k^s over `hosts` hosts is `largestShare`
    /// (by bisection: the share grows with s).
    static func exponent(hosts: Int, largestShare: Double) -> Double {
        var low = 0.0, high = 8.0
        for _ in 0..<60 {
            let middle = (low + high) / 2
            let total = (1...hosts).reduce(0.0) { $0 + 1 / pow(Double($1), middle) }
            if 1 / total < largestShare { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }
}
