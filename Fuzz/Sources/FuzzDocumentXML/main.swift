import FuzzSupport
import Foundation

/// libFuzzer entry point: the input is the XML of the main document (and, after separators, of
/// numbering, footnotes, a header and core properties), wrapped in a valid package so that every
/// input reaches the XML reader and the document walker.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDocumentXML(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let input = PartsInput(UnsafeRawBufferPointer(start: start, count: count))
    FuzzTarget.parse(Data(input.package()))
    return 0
}
