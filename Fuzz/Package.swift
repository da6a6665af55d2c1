// swift-tools-version:6.1
import PackageDescription

// Coverage-guided fuzzers for ResumeParsing, kept in their own package so that normal builds of
// the libraries never see them. Build and run them with Scripts/fuzz.sh (see Fuzz/README.md):
//   swift build -c release --package-path Fuzz --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address
let package = Package(
    name: "resume-optimizer-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "swift-resume-optimizer", path: "..")
    ],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "ResumeParsing", package: "swift-resume-optimizer")
            ]
        ),
        // Whole files: bytes in, a document or a typed error out.
        .executableTarget(
            name: "FuzzParse",
            dependencies: [
                "FuzzSupport",
                .product(name: "ResumeParsing", package: "swift-resume-optimizer"),
            ]
        ),
        // The XML parts of a valid package: the input becomes the main document (and optionally
        // numbering, footnotes, a header and core properties) inside a well-formed zip.
        .executableTarget(
            name: "FuzzDocumentXML",
            dependencies: [
                "FuzzSupport",
                .product(name: "ResumeParsing", package: "swift-resume-optimizer"),
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
