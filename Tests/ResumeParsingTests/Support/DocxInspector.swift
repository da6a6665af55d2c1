import CLibZip
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ResumeParsing
import XCTest

/// Reads a package's entries and checks an edited package against its original: the same entries in the
/// same order, every part but the main one byte for byte, a well-formed main part with unique revision
/// ids, paired bookmarks, balanced fields and known numbering; and it accepts or rejects all revisions.
enum DocxInspector {
    static func entries(_ data: Data) -> [(name: String, data: Data)] {
        data.withUnsafeBytes { buffer -> [(String, Data)] in
            var error = zip_error_t()
            zip_error_init(&error)
            defer { zip_error_fini(&error) }
            guard let source = zip_source_buffer_create(buffer.baseAddress, zip_uint64_t(buffer.count), 0, &error),
                let archive = zip_open_from_source(source, ZIP_RDONLY, &error)
            else { return [] }
            defer { zip_discard(archive) }
            var result: [(String, Data)] = []
            for index in 0..<zip_get_num_entries(archive, 0) {
                var stat = zip_stat_t()
                zip_stat_index(archive, zip_uint64_t(index), 0, &stat)
                let name = String(cString: stat.name)
                guard let file = zip_fopen_index(archive, zip_uint64_t(index), 0) else { continue }
                var bytes = Data(count: Int(stat.size))
                let count = bytes.count
                _ = bytes.withUnsafeMutableBytes { zip_fread(file, $0.baseAddress, zip_uint64_t(count)) }
                zip_fclose(file)
                result.append((name, bytes))
            }
            return result
        }
    }

    static func mainPart(_ data: Data) -> String {
        String(decoding: entries(data).first { $0.name == "word/document.xml" }?.data ?? Data(), as: UTF8.self)
    }

    /// Checks points 1 and 2 of soundness.
    static func assertSound(original: Data, edited: Data, file: StaticString = #filePath, line: UInt = #line) {
        let before = entries(original)
        let after = entries(edited)
        XCTAssertEqual(before.map(\.name), after.map(\.name), "entry names and order", file: file, line: line)
        for (old, new) in zip(before, after) where old.name != "word/document.xml" {
            XCTAssertEqual(old.data, new.data, "\(old.name) is byte-identical", file: file, line: line)
        }
        let xml = mainPart(edited)
        // Well-formed (libxml2 through the parser reads it; XMLParser double-checks).
        let parser = XMLParser(data: Data(xml.utf8))
        XCTAssertTrue(
            parser.parse(),
            "document.xml is well-formed: \(String(describing: parser.parserError))",
            file: file,
            line: line
        )
        let revisionIDs = matches(#"<w:(?:ins|del|moveFrom|moveTo|rPrChange|pPrChange)\b[^>]*\bw:id="(\d+)""#, in: xml)
        XCTAssertEqual(Set(revisionIDs).count, revisionIDs.count, "revision ids are unique", file: file, line: line)
        let starts = matches(#"<w:bookmarkStart\b[^>]*\bw:id="(\d+)""#, in: xml)
        let ends = matches(#"<w:bookmarkEnd\b[^>]*\bw:id="(\d+)""#, in: xml)
        XCTAssertEqual(starts.sorted(), ends.sorted(), "bookmarks are paired", file: file, line: line)
        let begins = matches(#"w:fldCharType="(begin)""#, in: xml).count
        let separates = matches(#"w:fldCharType="(separate)""#, in: xml).count
        let fieldEnds = matches(#"w:fldCharType="(end)""#, in: xml).count
        XCTAssertEqual(begins, fieldEnds, "fields are balanced", file: file, line: line)
        XCTAssertLessThanOrEqual(separates, begins, file: file, line: line)
        let numbering = String(decoding: after.first { $0.name == "word/numbering.xml" }?.data ?? Data(), as: UTF8.self)
        let known = Set(matches(#"<w:num\b[^>]*\bw:numId="(\d+)""#, in: numbering))
        for used in Set(matches(#"<w:numId\b[^>]*\bw:val="(\d+)""#, in: xml)) where used != "0" {
            XCTAssertTrue(known.contains(used), "numId \(used) exists in numbering", file: file, line: line)
        }
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        let expression = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    static func replacing(_ pattern: String, with template: String, in text: String) -> String {
        let expression = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        return expression.stringByReplacingMatches(
            in: text,
            range: NSRange(text.startIndex..., in: text),
            withTemplate: template
        )
    }

    /// The package with every revision accepted.
    static func acceptAll(_ data: Data) -> Data {
        var xml = mainPart(data)
        xml = replacing(#"<w:del\b[^>]*/>"#, with: "", in: xml)
        xml = replacing(#"<w:del\b[^>]*>.*?</w:del>"#, with: "", in: xml)
        xml = replacing(#"<w:ins\b[^>]*/>"#, with: "", in: xml)
        xml = replacing(#"<w:ins\b[^>]*>|</w:ins>"#, with: "", in: xml)
        return replacingMainPart(of: data, with: xml)
    }

    /// The package with every revision rejected.
    static func rejectAll(_ data: Data) -> Data {
        var xml = mainPart(data)
        xml = replacing(#"<w:ins\b[^>]*/>"#, with: "", in: xml)
        xml = replacing(#"<w:ins\b[^>]*>.*?</w:ins>"#, with: "", in: xml)
        xml = replacing(#"<w:del\b[^>]*/>"#, with: "", in: xml)
        xml = replacing(#"<w:del\b[^>]*>|</w:del>"#, with: "", in: xml)
        xml = replacing(#"<w:delText\b"#, with: "<w:t", in: xml)
        xml = replacing(#"</w:delText>"#, with: "</w:t>", in: xml)
        return replacingMainPart(of: data, with: xml)
    }

    private static func replacingMainPart(of data: Data, with xml: String) -> Data {
        var zip = ZipWriter()
        for entry in entries(data) {
            zip.add(entry.name, data: entry.name == "word/document.xml" ? Data(xml.utf8) : entry.data)
        }
        return zip.archive()
    }
}
