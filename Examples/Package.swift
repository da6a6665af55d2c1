// swift-tools-version:6.1
import PackageDescription

// The examples live in their own package so that users of the libraries do not inherit
// the examples' dependencies (argument parsing, the HTTP server).
let package = Package(
    name: "resume-optimizer-examples",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "resume-optimizer", targets: ["resume-optimizer"]),
        .executable(name: "resume-optimizer-server", targets: ["resume-optimizer-server"]),
        .executable(name: "bare-hummingbird", targets: ["bare-hummingbird"]),
    ],
    dependencies: [
        .package(name: "swift-resume-optimizer", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
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
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "resume-optimizer-server",
            dependencies: [
                .product(name: "ResumeParsing", package: "swift-resume-optimizer"),
                .product(name: "Optimization", package: "swift-resume-optimizer"),
                .product(name: "JobOrchestration", package: "swift-resume-optimizer"),
                .product(name: "JobOrchestrationPostgres", package: "swift-resume-optimizer"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            resources: [.copy("Public")]
        ),
        // The bare Hummingbird route Scripts/server-benchmark.sh compares the server with.
        .executableTarget(
            name: "bare-hummingbird",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")]
        ),
        .testTarget(
            name: "ResumeOptimizerServerTests",
            dependencies: [
                "resume-optimizer-server",
                "resume-optimizer",
                .product(name: "JobOrchestration", package: "swift-resume-optimizer"),
                .product(name: "Optimization", package: "swift-resume-optimizer"),
                .product(name: "ResumeParsing", package: "swift-resume-optimizer"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ]
        ),
        .testTarget(
            name: "ResumeOptimizerCLITests",
            dependencies: [
                "resume-optimizer",
                .product(name: "ResumeParsing", package: "swift-resume-optimizer"),
                .product(name: "Optimization", package: "swift-resume-optimizer"),
                .product(name: "JobOrchestration", package: "swift-resume-optimizer"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
