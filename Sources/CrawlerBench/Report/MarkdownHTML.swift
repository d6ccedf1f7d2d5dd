import Foundation

/// The HTML of the Markdown `MarkdownReport` writes, and of nothing else: `#` headings, pipe
/// tables (a `---:` column right-aligned), `- ` bullets, `![alt](file)` images, paragraphs,
/// and `**bold**` and `` `code` `` inside a line. So `index.html` shows every table, not only
/// the conclusion. Ink (the Markdown package in the local copies) was tried and does not fit:
/// 0.6.0 passes `<` in text through unescaped, drops a backslash in a table cell, and reads the
/// table and the list that follow a paragraph into that paragraph.
enum MarkdownHTML {
    static func render(_ markdown: String) -> String {
        var html = ""
        var lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[...]
        while let line = lines.first {
            if line.hasPrefix("|") {
                var block: [String] = []
                while let row = lines.first, row.hasPrefix("|") {
                    block.append(row)
                    lines.removeFirst()
                }
                html += table(block)
                continue
            }
            lines.removeFirst()
            if line.hasPrefix("#") {
                let level = min(line.prefix(while: { $0 == "#" }).count, 6)
                html += "<h\(level)>\(inline(String(line.dropFirst(level)).trimmingCharacters(in: .whitespaces)))</h\(level)>\n"
            } else if line.hasPrefix("- ") {
                html += "<ul>\n<li>\(inline(String(line.dropFirst(2))))</li>\n"
                while let next = lines.first, next.hasPrefix("- ") {
                    html += "<li>\(inline(String(next.dropFirst(2))))</li>\n"
                    lines.removeFirst()
                }
                html += "</ul>\n"
            } else if line.hasPrefix("!["), let close = line.firstIndex(of: "]"), line[close...].hasPrefix("]("), line.hasSuffix(")") {
                let alt = String(line[line.index(line.startIndex, offsetBy: 2)..<close])
                let file = String(line[line.index(close, offsetBy: 2)..<line.index(before: line.endIndex)])
                html += "<figure><img src=\"\(SVG.escape(file))\" alt=\"\(SVG.escape(alt))\"></figure>\n"
            } else if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                html += "<p>\(inline(line))</p>\n"
            }
        }
        return html
    }

    /// A pipe table: header, alignment row, body rows.
    private static func table(_ rows: [String]) -> String {
        func cells(_ row: String) -> [String] {
            // Split on | not escaped as \|, dropping the empty ends.
            var cells: [String] = [], current = "", escaped = false
            for character in row {
                if escaped { current.append(character); escaped = false; continue }
                if character == "\\" { escaped = true; continue }
                if character == "|" { cells.append(current); current = ""; continue }
                current.append(character)
            }
            cells.append(current)
            return Array(cells.dropFirst().dropLast()).map { $0.trimmingCharacters(in: .whitespaces) }
        }
        guard let header = rows.first else { return "" }
        let right = rows.count > 1 ? cells(rows[1]).map { $0.hasSuffix(":") } : []
        func align(_ index: Int) -> String { index < right.count && right[index] ? " style=\"text-align:right\"" : "" }
        var html = "<table>\n<thead><tr>" + cells(header).enumerated().map { "<th\(align($0.offset))>\(inline($0.element))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows.dropFirst(2) {
            html += "<tr>" + cells(row).enumerated().map { "<td\(align($0.offset))>\(inline($0.element))</td>" }.joined() + "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    /// Escapes the text, then turns `**x**` into bold and `` `x` `` into code.
    private static func inline(_ text: String) -> String {
        var html = ""
        var rest = Substring(SVG.escape(text))
        var searchFrom = rest.startIndex
        // A marker opens only where it is `**` or a backtick with a closing one later; a lone
        // `*` (a glob in a path) is text.
        while let start = rest[searchFrom...].firstIndex(where: { $0 == "*" || $0 == "`" }) {
            let bold = rest[start...].hasPrefix("**")
            guard bold || rest[start] == "`" else {
                searchFrom = rest.index(after: start)
                continue
            }
            let marker = bold ? "**" : "`"
            let after = rest.index(start, offsetBy: marker.count)
            guard let end = rest[after...].range(of: marker) else { break }
            html += rest[..<start]
            html += bold ? "<strong>\(rest[after..<end.lowerBound])</strong>" : "<code>\(rest[after..<end.lowerBound])</code>"
            rest = rest[end.upperBound...]
            searchFrom = rest.startIndex
        }
        return html + rest
    }
}
