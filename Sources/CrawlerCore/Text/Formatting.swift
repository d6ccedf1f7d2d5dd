import Foundation

/// Number formats for output a person reads.
public enum Formatting {
    /// `1234567` → `1,234,567`.
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return value < 0 ? "-" + result : result
    }

    /// A count with its noun, plural when it is not 1: `1 host`, `1,200 pages`.
    public static func count(_ value: Int, _ noun: String) -> String {
        "\(count(value)) \(value == 1 ? noun : noun + "s")"
    }

    /// Bytes in the largest binary unit that keeps the number at least 1: `1.5 MiB`.
    public static func bytes(_ value: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1024, unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        return unit == 0 ? "\(value) bytes" : String(format: "%.1f %@", amount, units[unit])
    }

    /// Seconds with a precision that suits their size: `0.042 s`, `3.2 s`, `1 m 05 s`.
    public static func seconds(_ value: Double) -> String {
        if value < 1 { return String(format: "%.3f s", value) }
        if value < 60 { return String(format: "%.1f s", value) }
        let whole = Int(value.rounded())
        return whole >= 3600
            ? String(format: "%d h %02d m %02d s", whole / 3600, whole / 60 % 60, whole % 60)
            : String(format: "%d m %02d s", whole / 60, whole % 60)
    }

    /// A rate with one decimal: `1234.5`.
    public static func rate(_ value: Double) -> String { String(format: "%.1f", value) }

    /// A share of a whole as a percentage: `42%`.
    public static func percent(_ part: Double, of whole: Double) -> String {
        whole > 0 ? String(format: "%.0f%%", part / whole * 100) : "-"
    }
}
