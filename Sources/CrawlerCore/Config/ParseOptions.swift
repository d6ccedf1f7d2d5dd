/// Settings of the parse phase. Each is a CLI flag.
public struct ParseOptions: Sendable, Hashable, Codable {
    /// Where parsing runs (`--parse`).
    public var model: ParseModel = .processes
    /// Threads or worker processes (`--parse-workers`); defaults to one per core.
    public var workers: Int = ProcessInfoCores.activeProcessorCount
    /// Seconds of CPU time a worker may spend on one page before it is ended and replaced
    /// (`--parse-timeout`); the parent's wall-clock watchdog is a generous multiple of it.
    public var timeoutSeconds: Double = 10
    /// Anchor text longer than this is cut (characters).
    public var maxAnchorTextLength: Int = 256

    /// The defaults.
    public init() {}
}
