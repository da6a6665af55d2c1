// swift-tools-version:6.1
import PackageDescription

// The examples live in their own package so that users of the libraries do not inherit
// the examples' dependencies (argument parsing, the HTTP server).
let package = Package(
    name: "resume-optimizer-examples",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "resume-optimizer", targets: ["resume-optimizer"]),
    ],
    dependencies: [
        .package(name: "swift-resume-optimizer", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "resume-optimizer",
            dependencies: [
                .product(name: "ResumeParsing", package: "swift-resume-optimizer"),
                .product(name: "Optimization", package: "swift-resume-optimizer"),
                .product(name: "JobOrchestration", package: "swift-resume-optimizer"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ResumeOptimizerCLITests",
            dependencies: [
                "resume-optimizer",
                .product(name: "ResumeParsing", package: "swift-resume-optimizer"),
                .product(name: "Optimization", package: "swift-resume-optimizer"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)

for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
