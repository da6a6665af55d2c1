// swift-tools-version:6.1
import PackageDescription

// Executables that print speed and memory figures. Build them in release mode:
//   swift run -c release --package-path Benchmarks parsing-benchmark DIR
//   swift run -c release --package-path Benchmarks jobs-benchmark
let package = Package(
    name: "resume-optimizer-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "swift-resume-optimizer", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "parsing-benchmark",
            dependencies: [
                .product(name: "ResumeParsing", package: "swift-resume-optimizer"),
            ]
        ),
        .executableTarget(
            name: "jobs-benchmark",
            dependencies: [
                .product(name: "JobOrchestration", package: "swift-resume-optimizer"),
                .product(name: "Optimization", package: "swift-resume-optimizer"),
            ]
        ),
    ]
)
