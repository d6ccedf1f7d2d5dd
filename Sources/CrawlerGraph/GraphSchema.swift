/// The link-graph store's schema version; a database written by a newer crawler is refused.
public enum GraphSchema {
    /// The newest schema version this build knows.
    public static let currentVersion = 1
}
