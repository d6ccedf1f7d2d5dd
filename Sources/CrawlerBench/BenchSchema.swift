/// The version of `report.json`'s layout, raised whenever a field changes meaning.
public enum BenchSchema {
    /// The current version. 2: the plan lists its `corpora`, and parse and crawl rows name their
    /// `corpus`. 3: crawl runs carry the crawl's `accounting`; crawl rows give CPU by stage
    /// (`stageCPU`), waiting by cause (`waiting`) and how busy each stage was (`busy`) instead of
    /// per-page sums and pressures, and `bottleneck` names a stage of the accounting.
    public static let version = 3
}
