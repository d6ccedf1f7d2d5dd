/// Words for titles, slugs and filler text; a fixed list so pages are reproducible.
enum Vocabulary {
    static let words: [String] = [
        "crawler", "frontier", "harvest", "meadow", "river", "signal", "lattice", "orbit", "granite", "lantern",
        "compass", "archive", "garden", "summit", "harbor", "thread", "kernel", "vector", "beacon", "canyon",
        "cipher", "delta", "ember", "fjord", "glacier", "horizon", "island", "jasmine", "kestrel", "lagoon",
        "marble", "nebula", "oasis", "prairie", "quartz", "ridge", "savanna", "tundra", "umbra", "valley",
        "willow", "xylem", "yonder", "zephyr", "anchor", "bridge", "cobalt", "domain", "engine", "falcon",
        "gazette", "hollow", "index", "journal", "keystone", "ledger", "mosaic", "network", "obelisk", "parcel",
        "quiver", "rocket", "sparrow", "timber", "uplink", "venture", "window", "yarrow", "zenith", "atlas",
        "bramble", "cinder", "dune", "estuary", "fable", "grove", "heron", "inlet", "juniper", "kiln",
        "lumen", "meridian", "nimbus", "opal", "pylon", "quill", "rampart", "sextant", "trellis", "utopia",
        "vellum", "wharf", "alder", "basalt", "cairn", "dormer", "eddy", "flint", "gable", "hearth",
        "ingot", "jetty", "knoll", "loam", "mantle", "nook", "outcrop", "pergola", "quarry", "rivulet",
        "shale", "thicket", "upland", "verge", "weir", "aspen", "birch", "cedar", "dogwood", "elm",
        "fir", "ginkgo", "hazel", "ironwood", "larch", "maple", "oak", "pine", "rowan", "spruce",
        "the", "and", "of", "to", "in", "is", "for", "on", "with", "as", "by", "at", "from", "that", "this",
    ]

    /// Section directories of content hosts ("~staff" so `%7E` spellings occur).
    static let sections = ["news", "docs", "blog", "products", "about", "support", "research", "events", "~staff", "archive"]
    /// Subdirectories inside sections.
    static let subsections = ["2023", "2024", "2025", "guides", "api", "reference", "team", "tutorials", "releases", "notes", "faq", "labs"]
}
