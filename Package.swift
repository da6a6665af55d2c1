// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "swift-resume-optimizer",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "ResumeParsing", targets: ["ResumeParsing"]),
        .library(name: "Optimization", targets: ["Optimization"]),
        .library(name: "JobOrchestration", targets: ["JobOrchestration"]),
        // A JobStore on PostgreSQL; only users of this product build postgres-nio.
        .library(name: "JobOrchestrationPostgres", targets: ["JobOrchestrationPostgres"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
    ],
    targets: [
        // MARK: System libraries

        .systemLibrary(
            name: "CLibZip",
            pkgConfig: "libzip",
            providers: [.apt(["libzip-dev"]), .brew(["libzip"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        // The CRC-32 of zip entries, with carry-less multiplication where the processor has it.
        .target(name: "CChecksum", dependencies: ["CZlib"]),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),

        // MARK: Libraries

        .target(
            name: "ResumeParsing",
            dependencies: [
                "CLibZip",
                "CLibXML2",
                "CZlib",
                "CChecksum",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Optimization",
            dependencies: [
                "ResumeParsing",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "JobOrchestration",
            dependencies: [
                "ResumeParsing",
                "Optimization",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),

        .target(
            name: "JobOrchestrationPostgres",
            dependencies: [
                "JobOrchestration",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
            ]
        ),

        // MARK: Test support

        // A job center process on PostgreSQL that the crash-safety tests start, kill -9 and pause.
        .executableTarget(
            name: "postgres-crash-worker",
            dependencies: [
                "JobOrchestration",
                "JobOrchestrationPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Tests/PostgresCrashWorker"
        ),

        // MARK: Tests

        .testTarget(
            name: "ResumeParsingTests",
            dependencies: [
                "ResumeParsing",
                "CLibZip",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "OptimizationTests",
            dependencies: [
                "Optimization",
                "ResumeParsing",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "JobOrchestrationTests",
            dependencies: [
                "JobOrchestration",
                "Optimization",
                "ResumeParsing",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "JobOrchestrationPostgresTests",
            dependencies: [
                "JobOrchestration",
                "JobOrchestrationPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ]
        ),
    ]
)

// One settings loop for every Swift target: Swift 6 mode comes from the tools version.
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}

// Scripts/check-docs.sh compiles the Swift blocks of README.md and Documentation/*.md as executable
// targets that it generates in .build-docs/Sources; ordinary builds never see them. They are added
// after the settings loop: they build with a new package's default settings, as a user's code does.
if let docsTargets = Context.environment["RESUME_OPTIMIZER_DOCS_TARGETS"] {
    let libraries = package.products.compactMap { $0 as? Product.Library }.flatMap(\.targets)
        .map { Target.Dependency(stringLiteral: $0) }
    for name in docsTargets.split(separator: " ").map(String.init) {
        package.targets.append(
            .executableTarget(
                name: name,
                dependencies: libraries + [
                    .product(name: "Logging", package: "swift-log"),
                    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                    .product(name: "AsyncHTTPClient", package: "async-http-client"),
                ],
                path: ".build-docs/Sources/\(name)"
            )
        )
    }
}
