import Foundation

/// Hand-written SVG charts (no dependencies): a line chart with a log2 or linear x axis, and
/// stacked bars. Labelled axes, gridlines, a legend; text escaped for XML.
enum SVG {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
    static let width = 720.0
    static let height = 420.0
    static let left = 78.0
    static let right = 190.0
    static let top = 48.0
    static let bottom = 62.0

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    /// Tick label: `1,500`, `2.5`, `0.25`.
    static func label(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 {
            let integer = Int(value)
            var digits = String(integer.magnitude)
            var grouped = ""
            while digits.count > 3 {
                grouped = "," + digits.suffix(3) + grouped
                digits = String(digits.dropLast(3))
            }
            return (integer < 0 ? "-" : "") + digits + grouped
        }
        return String(format: value < 1 ? "%.2f" : "%.1f", value)
    }

    /// Round ticks from 0 to at least `maximum` (about five of them).
    static func niceTicks(upTo maximum: Double) -> [Double] {
        let top = maximum > 0 ? maximum : 1
        let rough = top / 5
        let magnitude = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        let count = Int(ceil(top / step - 1e-9))
        return (0...max(count, 1)).map { Double($0) * step }
    }

    static func header(title: String, description: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <title>\(escape(title))</title>
        <desc>\(escape(description))</desc>
        <rect x="0" y="0" width="\(Int(width))" height="\(Int(height))" fill="#ffffff"/>
        <text x="\(number(width / 2))" y="24" text-anchor="middle" font-size="15" font-weight="bold">\(escape(title))</text>

        """
    }

    static func axisLabels(x: String, y: String) -> String {
        let plotMiddle = top + (height - top - bottom) / 2
        return """
            <text x="\(number(left + (width - left - right) / 2))" y="\(number(height - 16))" text-anchor="middle">\(escape(x))</text>
            <text x="18" y="\(number(plotMiddle))" text-anchor="middle" transform="rotate(-90 18 \(number(plotMiddle)))">\(escape(y))</text>

            """
    }

    static func legend(_ entries: [(name: String, color: String, dashed: Bool, box: Bool)]) -> String {
        var svg = "<g class=\"legend\">\n"
        for (index, entry) in entries.enumerated() {
            let y = top + 10 + Double(index) * 20
            let x = width - right + 16
            if entry.box {
                svg += "<rect x=\"\(number(x))\" y=\"\(number(y - 6))\" width=\"18\" height=\"12\" fill=\"\(entry.color)\"/>\n"
            } else if entry.dashed {
                svg += "<line x1=\"\(number(x))\" y1=\"\(number(y))\" x2=\"\(number(x + 18))\" y2=\"\(number(y))\" stroke=\"\(entry.color)\" stroke-width=\"2.5\" stroke-dasharray=\"5 4\"/>\n"
            } else {
                // Measured points: a marker, as the chart draws them.
                svg += "<circle cx=\"\(number(x + 9))\" cy=\"\(number(y))\" r=\"4\" fill=\"\(entry.color)\"/>\n"
            }
            svg += "<text x=\"\(number(x + 24))\" y=\"\(number(y + 4))\">\(escape(entry.name))</text>\n"
        }
        return svg + "</g>\n"
    }
}

/// A chart of measured points: each series's medians as markers, with a whisker from the
/// smallest to the largest run where the series has them, and no line between measured points
/// (a line would suggest values between settings that were never measured). Reference series
/// (the ideal, a baseline) are drawn as dashed lines.
struct LineChart {
    struct Series {
        var name: String
        var points: [(x: Double, y: Double)]
        /// A reference line (drawn dashed, without markers) rather than measured points.
        var dashed = false
        /// Overrides the palette colour.
        var color: String?
        /// The smallest and largest run at each measured x, drawn as a whisker.
        var ranges: [(x: Double, low: Double, high: Double)] = []
    }

    var title: String
    var xLabel: String
    var yLabel: String
    /// Powers of two on the x axis, evenly spaced (in-flight transfers); otherwise linear.
    var logTwoX: Bool
    var series: [Series]
    /// A vertical mark at an x with its label (the machine's cores, on a speedup chart).
    var mark: (x: Double, label: String)? = nil

    func render() -> String {
        let allPoints = series.flatMap(\.points)
        let xs = allPoints.map(\.x).filter { !logTwoX || $0 > 0 }
        let yTicks = SVG.niceTicks(upTo: (allPoints.map(\.y) + series.flatMap(\.ranges).map(\.high)).max() ?? 1)
        let yMax = yTicks.last ?? 1
        let xMin = xs.min() ?? 1
        let xMaxRaw = xs.max() ?? 2
        let xMax = xMaxRaw > xMin ? xMaxRaw : xMin + 1
        let plotWidth = SVG.width - SVG.left - SVG.right
        let plotHeight = SVG.height - SVG.top - SVG.bottom
        func px(_ x: Double) -> Double {
            let fraction = logTwoX ? (log2(x) - log2(xMin)) / max(log2(xMax) - log2(xMin), 1e-9) : (x - (xMin > 1 ? xMin : 0)) / max(xMax - (xMin > 1 ? xMin : 0), 1e-9)
            return SVG.left + fraction * plotWidth
        }
        func py(_ y: Double) -> Double { SVG.top + plotHeight - y / yMax * plotHeight }

        var svg = SVG.header(title: title, description: "\(yLabel) against \(xLabel)")
        svg += "<g class=\"grid\" stroke=\"#e0e0e0\" stroke-width=\"1\">\n"
        for tick in yTicks { svg += "<line x1=\"\(SVG.number(SVG.left))\" y1=\"\(SVG.number(py(tick)))\" x2=\"\(SVG.number(SVG.left + plotWidth))\" y2=\"\(SVG.number(py(tick)))\"/>\n" }
        svg += "</g>\n<g class=\"axes\" stroke=\"#333333\" stroke-width=\"1.2\">\n"
        svg += "<line x1=\"\(SVG.number(SVG.left))\" y1=\"\(SVG.number(SVG.top + plotHeight))\" x2=\"\(SVG.number(SVG.left + plotWidth))\" y2=\"\(SVG.number(SVG.top + plotHeight))\"/>\n"
        svg += "<line x1=\"\(SVG.number(SVG.left))\" y1=\"\(SVG.number(SVG.top))\" x2=\"\(SVG.number(SVG.left))\" y2=\"\(SVG.number(SVG.top + plotHeight))\"/>\n</g>\n"
        svg += "<g class=\"y-ticks\" text-anchor=\"end\">\n"
        for tick in yTicks { svg += "<text x=\"\(SVG.number(SVG.left - 8))\" y=\"\(SVG.number(py(tick) + 4))\">\(SVG.label(tick))</text>\n" }
        svg += "</g>\n<g class=\"x-ticks\" text-anchor=\"middle\">\n"
        for tick in xTicks(min: xMin, max: xMax, measured: Set(xs)) {
            svg += "<line x1=\"\(SVG.number(px(tick)))\" y1=\"\(SVG.number(SVG.top + plotHeight))\" x2=\"\(SVG.number(px(tick)))\" y2=\"\(SVG.number(SVG.top + plotHeight + 5))\" stroke=\"#333333\"/>\n"
            svg += "<text x=\"\(SVG.number(px(tick)))\" y=\"\(SVG.number(SVG.top + plotHeight + 20))\">\(SVG.label(tick))</text>\n"
        }
        svg += "</g>\n"
        svg += SVG.axisLabels(x: xLabel + (logTwoX ? " (log2 scale)" : ""), y: yLabel)
        if let mark, mark.x >= xMin, mark.x <= xMax {
            let x = SVG.number(px(mark.x))
            svg += "<g class=\"mark\"><line x1=\"\(x)\" y1=\"\(SVG.number(SVG.top))\" x2=\"\(x)\" y2=\"\(SVG.number(SVG.top + plotHeight))\" stroke=\"#888888\" stroke-width=\"1\" stroke-dasharray=\"2 3\"/>"
            svg += "<text x=\"\(SVG.number(px(mark.x) + 4))\" y=\"\(SVG.number(SVG.top + 12))\" font-size=\"10\" fill=\"#555555\">\(SVG.escape(mark.label))</text></g>\n"
        }
        var legend: [(name: String, color: String, dashed: Bool, box: Bool)] = []
        // Measured series side by side at each x (a few pixels apart), so equal values do not hide each other.
        let measured = series.indices.filter { !series[$0].dashed }
        for (index, line) in series.enumerated() {
            let color = line.color ?? SVG.palette[index % SVG.palette.count]
            let shift = Double((measured.firstIndex(of: index) ?? 0)) * 7 - Double(max(measured.count - 1, 0)) * 3.5
            legend.append((line.name, color, line.dashed, false))
            let points = line.points.filter { !logTwoX || $0.x > 0 }.sorted { $0.x < $1.x }
            guard !points.isEmpty else { continue }
            svg += "<g class=\"series\"><title>\(SVG.escape(line.name))</title>\n"
            if line.dashed {
                let path = points.map { "\(SVG.number(px($0.x))),\(SVG.number(py(min($0.y, yMax))))" }.joined(separator: " ")
                svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2.5\" stroke-dasharray=\"5 4\" points=\"\(path)\"/>\n"
            } else {
                for range in line.ranges where !logTwoX || range.x > 0 {
                    let x = px(range.x) + shift
                    let top = SVG.number(py(min(range.high, yMax))), bottom = SVG.number(py(min(range.low, yMax)))
                    svg += "<path class=\"range\" d=\"M\(SVG.number(x - 4)) \(top)H\(SVG.number(x + 4))M\(SVG.number(x)) \(top)V\(bottom)M\(SVG.number(x - 4)) \(bottom)H\(SVG.number(x + 4))\" stroke=\"\(color)\" stroke-width=\"1.2\" fill=\"none\"><title>\(SVG.escape("\(line.name) at \(SVG.label(range.x)): runs from \(SVG.label((range.low * 100).rounded() / 100)) to \(SVG.label((range.high * 100).rounded() / 100))"))</title></path>\n"
                }
                for point in points {
                    svg += "<circle cx=\"\(SVG.number(px(point.x) + shift))\" cy=\"\(SVG.number(py(min(point.y, yMax))))\" r=\"4\" fill=\"\(color)\"><title>\(SVG.escape("\(line.name): \(SVG.label(point.x)) → \(SVG.label((point.y * 100).rounded() / 100))"))</title></circle>\n"
                }
            }
            svg += "</g>\n"
        }
        svg += SVG.legend(legend)
        return svg + "</svg>\n"
    }

    private func xTicks(min: Double, max: Double, measured: Set<Double>) -> [Double] {
        if logTwoX {
            var ticks: [Double] = []
            var value = pow(2, floor(log2(min)))
            while value <= max * 1.0001 {
                if value >= min * 0.9999 { ticks.append(value) }
                value *= 2
            }
            return ticks
        }
        return measured.sorted()
    }
}

/// Stacked bars: one bar per label, one segment per named part.
struct StackedBarChart {
    struct Bar {
        /// The bar's name (its tooltip, and its caption when `lines` is empty).
        var label: String
        var segments: [Double]
        /// The caption under the bar, one line each, when the label is too wide for the bar.
        var lines: [String] = []
        /// The smallest and largest run of the bar's total, drawn as a whisker.
        var range: (low: Double, high: Double)? = nil
    }

    var title: String
    var yLabel: String
    var segmentNames: [String]
    var bars: [Bar]

    func render() -> String {
        let totals = bars.map { $0.segments.reduce(0, +) }
        let yTicks = SVG.niceTicks(upTo: (totals + bars.compactMap { $0.range?.high }).max() ?? 1)
        let yMax = yTicks.last ?? 1
        let plotWidth = SVG.width - SVG.left - SVG.right
        let plotHeight = SVG.height - SVG.top - SVG.bottom
        func py(_ y: Double) -> Double { SVG.top + plotHeight - y / yMax * plotHeight }
        var svg = SVG.header(title: title, description: "\(yLabel), split into \(segmentNames.joined(separator: ", "))")
        svg += "<g class=\"grid\" stroke=\"#e0e0e0\" stroke-width=\"1\">\n"
        for tick in yTicks { svg += "<line x1=\"\(SVG.number(SVG.left))\" y1=\"\(SVG.number(py(tick)))\" x2=\"\(SVG.number(SVG.left + plotWidth))\" y2=\"\(SVG.number(py(tick)))\"/>\n" }
        svg += "</g>\n<g class=\"axes\" stroke=\"#333333\" stroke-width=\"1.2\">\n"
        svg += "<line x1=\"\(SVG.number(SVG.left))\" y1=\"\(SVG.number(SVG.top + plotHeight))\" x2=\"\(SVG.number(SVG.left + plotWidth))\" y2=\"\(SVG.number(SVG.top + plotHeight))\"/>\n"
        svg += "<line x1=\"\(SVG.number(SVG.left))\" y1=\"\(SVG.number(SVG.top))\" x2=\"\(SVG.number(SVG.left))\" y2=\"\(SVG.number(SVG.top + plotHeight))\"/>\n</g>\n"
        svg += "<g class=\"y-ticks\" text-anchor=\"end\">\n"
        for tick in yTicks { svg += "<text x=\"\(SVG.number(SVG.left - 8))\" y=\"\(SVG.number(py(tick) + 4))\">\(SVG.label(tick))</text>\n" }
        svg += "</g>\n"
        let slot = plotWidth / Double(max(bars.count, 1))
        let barWidth = min(slot * 0.6, 90)
        for (index, bar) in bars.enumerated() {
            let x = SVG.left + slot * Double(index) + (slot - barWidth) / 2
            var base = 0.0
            svg += "<g class=\"bar\"><title>\(SVG.escape(bar.label))</title>\n"
            for (part, value) in bar.segments.enumerated() where value > 0 {
                let color = SVG.palette[part % SVG.palette.count]
                svg += "<rect x=\"\(SVG.number(x))\" y=\"\(SVG.number(py(base + value)))\" width=\"\(SVG.number(barWidth))\" height=\"\(SVG.number(py(base) - py(base + value)))\" fill=\"\(color)\"><title>\(SVG.escape("\(segmentNames[part]): \(String(format: "%.3f", value))"))</title></rect>\n"
                base += value
            }
            var labelTop = base
            if let range = bar.range {
                let centre = x + barWidth / 2, top = SVG.number(py(range.high)), bottom = SVG.number(py(range.low))
                svg += "<path class=\"range\" d=\"M\(SVG.number(centre - 5)) \(top)H\(SVG.number(centre + 5))M\(SVG.number(centre)) \(top)V\(bottom)M\(SVG.number(centre - 5)) \(bottom)H\(SVG.number(centre + 5))\" stroke=\"#333333\" stroke-width=\"1.2\" fill=\"none\"/>\n"
                labelTop = max(base, range.high)
            }
            // The bar's total above it, so a reader need not read it off the axis.
            let total = base >= 100 ? String(format: "%.0f", base) : base >= 10 ? String(format: "%.1f", base) : String(format: "%.2f", base)
            svg += "<text class=\"total\" x=\"\(SVG.number(x + barWidth / 2))\" y=\"\(SVG.number(py(labelTop) - 4))\" text-anchor=\"middle\" font-size=\"9\">\(total)</text>\n"
            let lines = bar.lines.isEmpty ? [bar.label] : bar.lines
            let centre = SVG.number(x + barWidth / 2)
            // Several lines: smaller and tighter, so three fit above the axis title.
            let fontSize = lines.count > 1 ? 9.0 : 10.0
            svg += "</g>\n<text x=\"\(centre)\" y=\"\(SVG.number(SVG.top + plotHeight + 16))\" text-anchor=\"middle\" font-size=\"\(Int(fontSize))\">"
            for (index, line) in lines.enumerated() {
                svg += "<tspan x=\"\(centre)\" dy=\"\(index == 0 ? "0" : SVG.number(fontSize + 1))\">\(SVG.escape(line))</tspan>"
            }
            svg += "</text>\n"
        }
        svg += SVG.axisLabels(x: "pairing (fetch model:in flight + parse model:workers)", y: yLabel)
        svg += SVG.legend(segmentNames.enumerated().map { ($0.element, SVG.palette[$0.offset % SVG.palette.count], false, true) })
        return svg + "</svg>\n"
    }
}
