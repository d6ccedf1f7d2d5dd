/// The version of `report.json`'s layout, raised whenever a field changes meaning.
public enum BenchSchema {
    /// The current version.
    public static let version = 1
}
