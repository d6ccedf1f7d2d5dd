#!/bin/bash
# Builds the libFuzzer targets into .build/fuzz with swiftc's -sanitize=fuzzer: CrawlerCore
# (and swift-log) as instrumented libraries, then one executable per target. The parse target
# is compiled into CrawlerParse's own module, so the worker wire format's internal types are
# reachable. Run from the repository root after `swift build` (for swift-log's checkout).
set -euo pipefail
OUT=.build/fuzz
mkdir -p "$OUT"
FLAGS=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6)
LOG=.build/checkouts/swift-log/Sources/Logging
[ -d "$LOG" ] || { echo "swift-log's checkout is missing: run swift build first" >&2; exit 1; }

library() { # name, package, sources...
    local name=$1 package=$2; shift 2
    swiftc "${FLAGS[@]}" -I "$OUT" -module-name "$name" -package-name "$package" -emit-module -emit-module-path "$OUT/$name.swiftmodule" \
        -emit-library -static -o "$OUT/lib$name.a" "$@"
}
library Logging swift_log $(find "$LOG" -name '*.swift')
library CrawlerCore crawler $(find Sources/CrawlerCore -name '*.swift')
library CrawlerSystem crawler -I Sources/CCrawlerLinux/include $(find Sources/CrawlerSystem -name '*.swift')

swiftc "${FLAGS[@]}" -I "$OUT" -package-name crawler -module-name FuzzURL Fuzz/Targets/FuzzURL.swift "$OUT/libCrawlerCore.a" -o "$OUT/fuzz-url"
swiftc "${FLAGS[@]}" -I "$OUT" -package-name crawler -module-name FuzzRobots Fuzz/Targets/FuzzRobots.swift Sources/CrawlerFetch/Robots/RobotsRules.swift \
    "$OUT/libCrawlerCore.a" -o "$OUT/fuzz-robots"
swiftc "${FLAGS[@]}" -I "$OUT" -I Sources/CLibXML2 -I Sources/CCrawlerLinux/include $(pkg-config --cflags-only-I libxml-2.0 | sed 's/-I/-Xcc -I/g') \
    -package-name crawler -module-name CrawlerParse Fuzz/Targets/FuzzParse.swift $(find Sources/CrawlerParse -name '*.swift') \
    "$OUT/libCrawlerCore.a" "$OUT/libCrawlerSystem.a" "$OUT/libLogging.a" -lxml2 -o "$OUT/fuzz-parse"
echo "built: $OUT/fuzz-url $OUT/fuzz-robots $OUT/fuzz-parse"
