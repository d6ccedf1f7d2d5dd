extension GraphSchema {
    /// The tables of schema version 1: a file holding all of them is a crawler database even
    /// before its `application_id` is written.
    static let tableNames: Set<String> = ["hosts", "urls", "runs", "pages", "links", "frontier"]
}
