// swift-tools-version:6.1
import PackageDescription

// Executables that print speed and memory figures. Build them in release mode:
//   swift run -c release --package-path Benchmarks parsing-benchmark DIR
//   swift run -c release --package-path Benchmarks jobs-benchmark
//   swift run -c release --package-path Benchmarks postgres-jobs-benchmark   (needs PostgreSQL and pgbench)
//   swift run -c release --package-path Benchmarks match-benchmark
//   swift run -c release --package-path Benchmarks docx-benchmark
// and one tool, the Swift half of Scripts/check-docx.py (it edits documents and reads them back):
//   swift run --package-path Benchmarks docx-soundness
let package = Package(
    name: "resume-optimizer-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "swift-resume-optimizer", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "parsing-benchmark",
            dependencies: [
                "DocxFloor",
                "BenchmarkSupport",
                .product(name: "ResumeParsing", package: "swift-resume-optimizer"),
            ]
        ),
        // What the benchmarks share: process memory figures.
        .target(name: "BenchmarkSupport"),
        // The speed floor the parser is compared with: C that only inflates word/document.xml
        // (libzip) and streams it through libxml2's xmlTextReader.
        .target(
            name: "DocxFloor",
            dependencies: ["DocxFloorLibZip", "DocxFloorLibXML2"]
        ),
        .systemLibrary(
            name: "DocxFloorLibZip",
            pkgConfig: "libzip",
            providers: [.apt(["libzip-dev"]), .brew(["libzip"])]
        ),
        .systemLibrary(
            name: "DocxFloorLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        .executableTarget(
            name: "jobs-benchmark",
            dependencies: [
                .product(name: "JobOrchestration", package: "swift-resume-optimizer"),
                .product(name: "Optimization", package: "swift-resume-optimizer"),
            ]
        ),
        // The PostgreSQL job store beside a pgbench floor that runs the store's own SQL.
        .executableTarget(
            name: "postgres-jobs-benchmark",
            dependencies: [
                .product(name: "JobOrchestration", package: "swift-resume-optimizer"),
                .product(name: "JobOrchestrationPostgres", package: "swift-resume-optimizer"),
            ]
        ),
        .executableTarget(
            name: "match-benchmark",
            dependencies: [
                .product(name: "Optimization", package: "swift-resume-optimizer")
            ]
        ),
        .executableTarget(
            name: "docx-benchmark",
            dependencies: [
                "BenchmarkSupport",
                "DocxFloor",
                .product(name: "ResumeParsing", package: "swift-resume-optimizer"),
            ]
        ),
        .executableTarget(
            name: "docx-soundness",
            dependencies: [
                .product(name: "ResumeParsing", package: "swift-resume-optimizer")
            ]
        ),
    ]
)
