/// A figure measured several times: the median a person reads, the range that says how much to trust it.
public struct Spread: Sendable, Hashable, Codable {
    /// The median of the samples (the mean of the two middle ones for an even count).
    public var median: Double
    /// The smallest sample.
    public var min: Double
    /// The largest sample.
    public var max: Double
    /// Every sample, in measurement order.
    public var samples: [Double]

    /// The spread of `samples`; nil when there are none.
    public init?(_ samples: [Double]) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let middle = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        min = sorted[0]
        max = sorted[sorted.count - 1]
        self.samples = samples
    }

    /// A single exact figure (min = median = max).
    public init(exactly value: Double) {
        median = value
        min = value
        max = value
        samples = [value]
    }

    /// The range relative to the median: 0.1 means the samples lie within ±10 % of it, roughly.
    public var relativeRange: Double { median != 0 ? (max - min) / abs(median) : 0 }
}
