/// The version of `report.json`'s layout, raised whenever a field changes meaning.
public enum BenchSchema {
    /// The current version. 2: the plan lists its `corpora`, and parse and crawl rows name their `corpus`.
    public static let version = 2
}
