import Foundation

/// The state letter of process `pid` (`R` running, `S` asleep, `T` stopped, `Z` zombie…), from
/// /proc/PID/stat; nil when the process is gone.
public func processState(_ pid: Int32) -> Character? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
    return stat[stat.index(after: close)...].first { $0 != " " }
}
