// swift-tools-version: 6.2
// The package graph is the architecture (see DESIGN.md): C bindings at the bottom,
// CrawlerCore's value types above them, one target per pipeline phase, the CLI on top.
import PackageDescription

// Linux only: the crawler reads /proc, passes bodies to its workers through memfd rings, wakes
// threads with eventfd and names them with prctl, all through Glibc. Build it on Linux (Debian 12
// is what CI runs); elsewhere, use a Linux container or virtual machine.
#if !os(Linux)
#error("crawler builds on Linux only (it uses /proc, memfd, eventfd and prctl); build it in a Linux container or VM")
#endif

/// Strict settings applied to every Swift target in one place (as swift-log does).
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "crawler",
    products: [
        .executable(name: "crawler", targets: ["crawler"]),
        .library(name: "Crawler", targets: ["Crawler"]),
        .library(name: "SyntheticWeb", targets: ["SyntheticWeb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.0.0", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.9.0"..<"5.0.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        // Subprocess names an executable by swift-system's FilePath.
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
    ],
    targets: [
        // MARK: C bindings (the only places that see the C APIs' headers)
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CLibDeflate",
            pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"])]
        ),

        // The Linux calls that are not about libcurl or libxml2 (memfd, eventfd, prctl, pipe2,
        // vmsplice, CPU timers): static inline shims, prefixed ccl_.
        .target(name: "CCrawlerLinux"),

        // The parse benchmark's ceiling: libxml2's SAX parser driven from plain C.
        .target(name: "SAXCeiling", dependencies: ["CLibXML2"]),

        // MARK: Libraries
        .target(name: "CrawlerCore"),
        // The `Posix` namespace over CCrawlerLinux and Glibc: retries EINTR, throws SystemCallError.
        .target(name: "CrawlerSystem", dependencies: ["CCrawlerLinux"]),
        .target(
            name: "CrawlerFetch",
            dependencies: [
                "CrawlerCore", "CrawlerSystem", "CCurl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "CrawlerParse",
            dependencies: [
                "CrawlerCore", "CrawlerSystem", "CLibXML2",
                .product(name: "Logging", package: "swift-log"),
                // gzip sitemaps (`.xml.gz`), inflated with a hard limit on the inflated size.
                .product(name: "CompressNIO", package: "compress-nio"),
            ]
        ),
        .target(
            name: "CrawlerGraph",
            dependencies: [
                "CrawlerCore", "CrawlerSystem",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for the commit path's statements (`DirectStatement`).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // WARC 1.1 archives: records, digests, a writer of gzip-per-record files and a reader.
        .target(
            name: "CrawlerArchive",
            dependencies: [
                "CrawlerCore", "CrawlerSystem", "CLibDeflate",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Crawler",
            dependencies: [
                "CrawlerCore", "CrawlerFetch", "CrawlerParse", "CrawlerGraph", "CrawlerArchive",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Collections", package: "swift-collections"),
            ]
        ),
        // The crawl on PostgreSQL: a fleet of crawler processes sharing one frontier and graph.
        .target(
            name: "CrawlerPostgres",
            dependencies: [
                "Crawler", "CrawlerCore", "CrawlerGraph",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CrawlerBench",
            dependencies: [
                "Crawler", "CrawlerArchive", "CrawlerCore", "CrawlerGraph", "SyntheticWeb", "SAXCeiling",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                // Runs each measured point in a child process.
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(
            name: "SyntheticWeb",
            dependencies: [
                "CrawlerCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                // The sitemap host's gzip child sitemap.
                .product(name: "CompressNIO", package: "compress-nio"),
            ]
        ),
        .executableTarget(
            name: "crawler",
            dependencies: [
                "Crawler", "CrawlerArchive", "CrawlerBench", "CrawlerPostgres", "CrawlerSystem", "SyntheticWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Micro-benchmarks of the hot paths (`make microbench`, `swift package benchmark`)
        .executableTarget(
            name: "CrawlerBenchmarks",
            dependencies: [
                "CrawlerCore", "CrawlerParse", "CrawlerGraph", "CrawlerArchive", "CrawlerBench", "SyntheticWeb",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/CrawlerBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),

        // MARK: Tests (Swift Testing; one target per library, plus end-to-end tests of the binary)
        // Helpers the test targets share (blocking waits off the cooperative pool, child processes,
        // temporary folders, the built binary, the synthetic web's pages as parse jobs).
        .target(name: "CTestSupport", path: "Tests/CTestSupport"),
        .target(name: "TestSupport", dependencies: ["CTestSupport", "CrawlerCore", "CrawlerParse", "SyntheticWeb"], path: "Tests/TestSupport"),
        .testTarget(name: "CrawlerCoreTests", dependencies: ["CrawlerCore", "TestSupport"]),
        .testTarget(
            name: "CrawlerFetchTests",
            dependencies: [
                "CrawlerFetch", "SyntheticWeb", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "CrawlerParseTests",
            dependencies: [
                "CrawlerParse", "CrawlerSystem", "SyntheticWeb", "TestSupport",
                .product(name: "CompressNIO", package: "compress-nio"),
            ]
        ),
        .testTarget(name: "CrawlerGraphTests", dependencies: ["CrawlerGraph", "CrawlerSystem", "TestSupport"]),
        .testTarget(name: "CrawlerTests", dependencies: ["Crawler", "CrawlerGraph", "CrawlerFetch", "CrawlerParse", "SyntheticWeb", "TestSupport"]),
        .testTarget(name: "CrawlerBenchTests", dependencies: ["CrawlerBench", "TestSupport"]),
        .testTarget(name: "CrawlerArchiveTests", dependencies: ["CrawlerArchive", "CrawlerCore", "TestSupport"]),
        .testTarget(
            name: "SyntheticWebTests",
            dependencies: [
                "SyntheticWeb",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ]
        ),
        .testTarget(name: "CrawlerPostgresTests", dependencies: ["CrawlerPostgres", "Crawler", "CrawlerGraph", "SyntheticWeb", "TestSupport", "crawler"]),
        // End-to-end tests of the binary, the parse engine's `crawler worker` processes included.
        .testTarget(
            name: "CrawlerIntegrationTests",
            dependencies: ["crawler", "CrawlerArchive", "CrawlerBench", "CrawlerCore", "CrawlerGraph", "CrawlerParse", "SyntheticWeb", "TestSupport"]
        ),
    ]
)

for target in package.targets where target.type != .system && !["SAXCeiling", "CCrawlerLinux"].contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}
