/// Why the synthetic web could not start or write its answer key; each case says what to do.
public enum SyntheticWebError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A setting is out of range.
    case invalidConfig(String)
    /// The port is taken on one of the addresses.
    case portInUse(address: String, port: Int)
    /// Binding failed for another reason.
    case bindFailed(address: String, port: Int, message: String)
    /// No free port was found for all addresses after several attempts.
    case noFreePort(attempts: Int)
    /// The answer key could not be written.
    case writeFailed(path: String, message: String)

    /// What happened and what to do about it, for a person.
    public var description: String {
        switch self {
        case .invalidConfig(let message): message
        case .portInUse(let address, let port):
            "port \(port) is already in use on \(address); stop what listens there, pick another --port, or pass --port 0 for a free one"
        case .bindFailed(let address, let port, let message):
            "cannot listen on \(address):\(port) (\(message)); on Linux all of 127.0.0.0/8 reaches lo, so check that the loopback interface is up"
        case .noFreePort(let attempts):
            "found no port free on every synthetic host after \(attempts) attempts; pass an explicit --port"
        case .writeFailed(let path, let message):
            "cannot write the answer key to \(path) (\(message)); check that the directory is writable"
        }
    }
}
