import CrawlerCore

/// Writes an href for a canonical target the way real pages do: relative, root-relative,
/// `../`, absolute, protocol-relative, upper-case scheme, a spelled-out port, percent-escapes of
/// unreserved characters, dot segments, fragments and stray spaces. Every spelling resolves,
/// by RFC 3986 against `base` (the `<base href>` or the page URL), to exactly the target.
struct HrefSpeller {
    /// The port every host listens on.
    let port: Int

    /// An href for `target` as seen from a page whose links resolve against `base`.
    func spell(_ target: NormalizedURL, from base: NormalizedURL, rng: inout SplitMix64, allowFragment: Bool = true) -> String {
        let sameOrigin = target.origin == base.origin
        let roll = rng.below(100)
        var href: String
        switch roll {
        case 0..<30 where sameOrigin: href = relative(target, from: base, rng: &rng)
        case 30..<55 where sameOrigin: href = target.pathAndQuery
        case 55..<62: href = "//" + target.authority + target.pathAndQuery
        case 62..<66: href = "HTTP://" + target.authority.uppercased() + target.pathAndQuery
        case 66..<70: href = "http://" + spelledPortAuthority(target) + target.pathAndQuery
        case 70..<78: href = (sameOrigin && rng.chance(0.5) ? "" : target.origin) + escapedPath(target, rng: &rng)
        default: href = target.string
        }
        if allowFragment, rng.chance(0.08) { href += "#" + rng.pick(Vocabulary.words) }
        if rng.chance(0.02) { href = "  " + href + " " }
        return href
    }

    /// An href as documentation sites write theirs: a same-origin target mostly as a relative
    /// reference (`../guide/intro.html`), some root-relative, the rest in any spelling; a
    /// fragment with probability `fragmentChance`.
    func docsHref(_ target: NormalizedURL, from base: NormalizedURL, rng: inout SplitMix64, fragmentChance: Double) -> String {
        var href: String
        if target.origin != base.origin {
            href = spell(target, from: base, rng: &rng, allowFragment: false)
        } else {
            let roll = rng.below(100)
            if roll < 75 {
                href = relative(target, from: base, rng: &rng)
            } else if roll < 92 {
                href = target.pathAndQuery
            } else {
                href = spell(target, from: base, rng: &rng, allowFragment: false)
            }
        }
        if rng.chance(fragmentChance) {
            // Before the stray trailing space `spell` may add (HTML strips it, not one inside).
            let fragment = "#" + rng.pick(Vocabulary.words)
            href = href.hasSuffix(" ") ? String(href.dropLast()) + fragment + " " : href + fragment
        }
        return href
    }

    /// The authority with the port written another way: `:80` when it is the default port,
    /// otherwise with a leading zero (`:08080`), both of which normalize away.
    private func spelledPortAuthority(_ target: NormalizedURL) -> String {
        if let port = target.port { return "\(target.host):0\(port)" }
        return "\(target.host):80"
    }

    /// The path (and query) with one unreserved character percent-escaped (`~` as `%7E`, a letter
    /// as `%61`, sometimes with lower-case hex), which normalization decodes again.
    private func escapedPath(_ target: NormalizedURL, rng: inout SplitMix64) -> String {
        var bytes = Array(target.path.utf8)
        let candidates = bytes.indices.filter {
            bytes[$0] == UInt8(ascii: "~") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[$0])
        }
        if !candidates.isEmpty {
            let position = candidates.first { bytes[$0] == UInt8(ascii: "~") } ?? rng.pick(candidates)
            let byte = bytes[position]
            var hex = String(byte, radix: 16, uppercase: rng.chance(0.7))
            if hex.count == 1 { hex = "0" + hex }
            bytes.replaceSubrange(position...position, with: Array("%\(hex)".utf8))
        }
        let path = String(decoding: bytes, as: UTF8.self)
        return target.query.map { path + "?" + $0 } ?? path
    }

    /// A relative reference from `base`'s directory: `name.html`, `sub/name.html`,
    /// `../other/name.html`, sometimes with a `./` or `x/../` detour.
    func relative(_ target: NormalizedURL, from base: NormalizedURL, rng: inout SplitMix64) -> String {
        let baseDirectory = base.path.split(separator: "/", omittingEmptySubsequences: false).dropLast().dropFirst()
        var targetSegments = Array(target.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst())
        var common = 0
        // Never consume the target's last segment: it is the file name (possibly empty for a directory).
        while common < baseDirectory.count, common < targetSegments.count - 1,
            baseDirectory[baseDirectory.startIndex + common] == targetSegments[common]
        {
            common += 1
        }
        let ups = baseDirectory.count - common
        targetSegments.removeFirst(common)
        var reference = String(repeating: "../", count: ups) + targetSegments.joined(separator: "/")
        let firstSegment = reference.split(separator: "/", omittingEmptySubsequences: false).first ?? ""
        if reference.isEmpty || firstSegment.contains(":") {
            reference = "./" + reference
        } else if ups == 0, rng.chance(0.1) {
            reference = rng.chance(0.5) ? "./" + reference : "\(rng.pick(Vocabulary.words))/../" + reference
        }
        if let query = target.query { reference += "?" + query }
        return reference
    }
}
