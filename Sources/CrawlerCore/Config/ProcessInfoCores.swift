import Foundation

/// The number of cores the crawler may use, read once (the default for worker counts).
public enum ProcessInfoCores {
    /// Active processor count of this machine, at least 1.
    public static var activeProcessorCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
