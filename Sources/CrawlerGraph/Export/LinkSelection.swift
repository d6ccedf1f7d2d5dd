import CrawlerCore

/// Which stored links an export or a statistic takes: by kind (`a`, `img`, `redirect`, …) or
/// by role (`hyperlink`, `resource`, …), as `--kinds` names them. An edge is selected when its
/// kind or its role is named.
public struct LinkSelection: Sendable, Hashable {
    /// Kinds taken; with `roles`, nil means every link.
    public var kinds: Set<LinkKind>?
    /// Roles taken.
    public var roles: Set<LinkRole>

    /// Every link.
    public static let all = LinkSelection(kinds: nil, roles: [])

    /// A selection of these kinds and roles.
    public init(kinds: Set<LinkKind>?, roles: Set<LinkRole>) {
        self.kinds = kinds
        self.roles = roles
    }

    /// Parses `--kinds`: comma-separated kind and role names, e.g. `a,area,canonical` or
    /// `hyperlink,redirect`.
    ///
    /// - Throws: `LinkSelectionError` naming the unknown word and the known ones.
    public init(parsing list: String) throws {
        var kinds: Set<LinkKind> = []
        var roles: Set<LinkRole> = []
        for word in list.split(separator: ",").map({ $0.trimmingASCIIWhitespace().lowercased() }) where !word.isEmpty {
            if let kind = LinkKind(rawValue: word) {
                kinds.insert(kind)
            } else if let role = LinkRole(rawValue: word) {
                roles.insert(role)
            } else {
                throw LinkSelectionError(word: word)
            }
        }
        guard !kinds.isEmpty || !roles.isEmpty else { throw LinkSelectionError(word: list) }
        self.init(kinds: kinds, roles: roles)
    }

    /// Whether a link of `kind` and `role` is selected.
    public func includes(_ kind: LinkKind, role: LinkRole) -> Bool {
        guard let kinds else { return true }
        return kinds.contains(kind) || roles.contains(role)
    }
}

/// `--kinds` named something that is neither a link kind nor a role.
public struct LinkSelectionError: Error, Sendable, CustomStringConvertible {
    /// What was given.
    public var word: String

    public var description: String {
        "--kinds: '\(word)' is not a link kind or role; kinds: \(LinkKind.allCases.map(\.rawValue).joined(separator: ", ")); roles: \(LinkRole.allCases.map(\.rawValue).joined(separator: ", "))"
    }
}

/// The role of stored links, from their `kind` and `rel` columns, remembered per distinct pair
/// (a crawl has a handful): exports and statistics classify every row without re-parsing `rel`.
struct LinkClassifier {
    private struct Key: Hashable {
        var kind: String
        var rel: String?
    }

    private var cache: [Key: (kind: LinkKind, role: LinkRole)] = [:]

    /// The kind and role of a row; a kind this build does not know counts as a hyperlink `a`
    /// (stored by a newer crawler: kept rather than lost).
    mutating func classify(kind: String, rel: String?) -> (kind: LinkKind, role: LinkRole) {
        let key = Key(kind: kind, rel: rel)
        if let known = cache[key] { return known }
        let linkKind = LinkKind(rawValue: kind) ?? .a
        let result = (linkKind, LinkRole(kind: linkKind, rel: rel))
        cache[key] = result
        return result
    }
}
