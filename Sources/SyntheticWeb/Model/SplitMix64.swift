import CrawlerCore

/// Every random choice of the synthetic web comes from a SplitMix64 (CrawlerCore) keyed by the
/// seed and what is being generated, so each page can be generated (and rendered) alone and
/// always the same way. Swift's default generator and `Hasher` are seeded per process: never used.
extension SplitMix64 {
    /// A generator for one stream: `stream` names what is generated, `index` which one.
    init(seed: UInt64, stream: Stream, index: Int = 0) {
        var mixer = SplitMix64(seed: seed ^ 0x5851_F42D_4C95_7F2D)
        let a = mixer.next()
        mixer = SplitMix64(seed: a ^ (stream.rawValue &* 0x9E37_79B9_7F4A_7C15))
        let b = mixer.next()
        self.init(seed: b ^ (UInt64(bitPattern: Int64(index)) &* 0xBF58_476D_1CE4_E5B9))
        _ = next()
    }

    /// What a stream generates; keeps the streams of one seed independent.
    enum Stream: UInt64 {
        case layout = 1, page = 2, render = 3, links = 4, binary = 5, jitter = 6, missing = 7
    }

    /// A uniform integer in `0..<bound` (bound > 0), by Lemire's multiply-shift; own code so the
    /// sequence does not depend on the standard library's range mapping.
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniform integer in `range`.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// A uniform double in `[0, 1)`.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// One element, uniformly.
    mutating func pick<T>(_ elements: [T]) -> T { elements[below(elements.count)] }
}
