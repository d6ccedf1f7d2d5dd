import ArgumentParser

/// Range checks of numeric flags for `validate()`: every numeric flag has a stated range, so a
/// value such as `1e300`, `inf` or `nan` is refused with its flag's name instead of crashing a
/// conversion (`Int(1e300 * 1000)` traps) or an encoder (JSON has no infinity) later.
enum FlagRange {
    /// The longest any timeout or duration flag may be: a day.
    static let maximumSeconds = 86_400.0

    /// Throws unless `value` is a finite number in `range`.
    static func check(_ value: Double, _ flag: String, in range: ClosedRange<Double>, unit: String = "seconds") throws {
        guard value.isFinite, range.contains(value) else {
            throw ValidationError("\(flag) must be between \(format(range.lowerBound)) and \(format(range.upperBound)) \(unit); got \(value)")
        }
    }

    /// Throws unless `value` lies in `range`.
    static func check(_ value: Int, _ flag: String, in range: ClosedRange<Int>, unit: String = "") throws {
        guard range.contains(value) else {
            let upper = range.upperBound == Int.max ? "" : " and at most \(range.upperBound)"
            throw ValidationError("\(flag) must be at least \(range.lowerBound)\(upper)\(unit.isEmpty ? "" : " " + unit); got \(value)")
        }
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
