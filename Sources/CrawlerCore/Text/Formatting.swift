/// Number formats for output a person reads. No locale: reports read the same everywhere.
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

    /// `value` with `places` decimals, rounded half away from zero.
    public static func decimal(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        let sign = value < 0 && scaled > 0 ? "-" : ""
        guard places > 0 else { return sign + String(whole) }
        let fractionText = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: places - fractionText.count) + fractionText
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
        return unit == 0 ? "\(value) bytes" : decimal(amount, places: 1) + " " + units[unit]
    }

    /// Seconds with a precision that suits their size: `0.042 s`, `3.2 s`, `1 m 05 s`.
    public static func seconds(_ value: Double) -> String {
        if value < 1 { return decimal(value, places: 3) + " s" }
        if value < 60 { return decimal(value, places: 1) + " s" }
        let whole = Int(value.rounded())
        func two(_ number: Int) -> String { number < 10 ? "0\(number)" : String(number) }
        return whole >= 3600
            ? "\(whole / 3600) h \(two(whole / 60 % 60)) m \(two(whole % 60)) s"
            : "\(whole / 60) m \(two(whole % 60)) s"
    }

    /// A rate with one decimal: `1234.5`.
    public static func rate(_ value: Double) -> String { decimal(value, places: 1) }

    /// A share of a whole as a percentage: `42%`, or `41.7%` with `places: 1`; `-` of nothing.
    public static func percent(_ part: Double, of whole: Double, places: Int = 0) -> String {
        whole > 0 ? decimal(part / whole * 100, places: places) + "%" : "-"
    }

    /// A title or URL cut to `limit` characters with an ellipsis, control characters shown as spaces.
    public static func clip(_ text: String, _ limit: Int) -> String {
        let flat = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "…"
    }
}
