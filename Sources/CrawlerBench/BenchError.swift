/// Why a bench could not run, said so a person knows what to change.
public enum BenchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The embedded web could not start.
    case webServer(String)
    /// A measured point's child process failed.
    case point(String)
    /// The input (URLs, corpus, flags) cannot give a measurement.
    case input(String)

    public var description: String {
        switch self {
        case .webServer(let message), .point(let message), .input(let message): message
        }
    }
}
