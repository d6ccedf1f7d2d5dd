/// Defaults of the synthetic web, shared by `crawler serve`, the demo, the bench and tests.
public enum SyntheticWebDefaults {
    /// Default port; host k listens on 127.0.0.(k+1) at this port.
    public static let port = 8080
}
