import XCTest

@testable import ResumeParsing

/// Relationship targets resolved against their source part, the usual ones and the others.
final class PackagePartTests: XCTestCase {
    func testResolve_relativeAbsoluteAndDottedTargets() {
        let cases: [(target: String, source: String, expected: String)] = [
            ("word/document.xml", "", "word/document.xml"),
            ("styles.xml", "word/document.xml", "word/styles.xml"),
            ("media/image1.png", "word/document.xml", "word/media/image1.png"),
            ("styles.xml", "document.xml", "styles.xml"),
            ("/word/styles.xml", "word/document.xml", "word/styles.xml"),
            ("../customXml/item1.xml", "word/document.xml", "customXml/item1.xml"),
            ("./styles.xml", "word/document.xml", "word/styles.xml"),
            ("a//b.xml", "word/document.xml", "word/a/b.xml"),
            ("dir/", "word/document.xml", "word/dir"),
            ("my%20styles.xml", "word/document.xml", "word/my styles.xml"),
            ("styles.xml#part", "word/document.xml", "word/styles.xml"),
            ("...", "word/document.xml", "word/..."),
            ("styles.xml", "/word//document.xml", "word/styles.xml"),
        ]
        for (target, source, expected) in cases {
            let resolved = PackagePart.resolve(target: target, relativeTo: source)
            XCTAssertEqual(resolved, expected, "\(target) from \(source)")
        }
    }
}
