internal import CLibXML2

/// The libxml2 text readers of one document.
///
/// Creating a reader (a parser context, a dictionary, input buffers) costs more than reading a small part
/// such as `_rels/.rels`, and a Word document has several such parts. The pool keeps the readers of one
/// document and resets a finished one for the next part (`xmlReaderNewIO`). Parts can nest (the style sheet
/// is read while the body is read), so each open part has a reader of its own. A pool belongs to one
/// document and one task; it is not shared between threads.
final class XMLReaderPool {
    /// One libxml2 reader with the token caches for the names interned in its dictionary. The dictionary
    /// outlives a reset, so the caches stay valid from part to part.
    final class Handle {
        let reader: OpaquePointer
        let localNames = PointerTokenCache()
        let namespaces = PointerTokenCache()

        fileprivate init(reader: OpaquePointer) {
            self.reader = reader
        }

        deinit {
            xmlFreeTextReader(reader)
        }
    }

    private var idle: [Handle] = []

    private static let parserInitialised: Void = { xmlInitParser() }()

    /// Parsing never touches the network, never loads a DTD and never substitutes entities.
    private static let options = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_COMPACT.rawValue
    )

    private static let readCallback: xmlInputReadCallback = { context, buffer, length in
        guard let context, let buffer, length > 0 else { return -1 }
        let input = Unmanaged<XMLInput>.fromOpaque(context).takeUnretainedValue()
        return input.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(length)))
    }

    init() {
        _ = Self.parserInitialised
    }

    /// Runs `body` with libxml2's generic error messages (which print to stderr and can quote document
    /// bytes) ignored on this thread; parsing is synchronous, so the whole document is read here.
    static func withGenericErrorsSilenced<Result>(
        _ body: () throws(ResumeParsingError) -> Result
    ) throws(ResumeParsingError) -> Result {
        _ = parserInitialised
        let previous = clibxml2_silence_generic_errors()
        defer { clibxml2_restore_generic_errors(previous) }
        return try body()
    }

    /// A reader set up to parse `input`, or `nil` when libxml2 could not start (the reason is in
    /// `input.error` or libxml2's last error). With `reusingReader` false a new reader is made, which
    /// detects the input's encoding itself. The caller keeps `input` alive until ``close(_:)``.
    func open(_ input: XMLInput, reusingReader: Bool) -> Handle? {
        let context = Unmanaged.passUnretained(input).toOpaque()
        if reusingReader, let handle = idle.popLast() {
            if xmlReaderNewIO(handle.reader, Self.readCallback, nil, context, nil, nil, Self.options) == 0 {
                return handle
            }
            // A reader that cannot be reset is dropped (freed with its handle); a new one is made.
        }
        guard let reader = xmlReaderForIO(Self.readCallback, nil, context, nil, nil, Self.options) else {
            return nil
        }
        return Handle(reader: reader)
    }

    /// Ends the part a reader was reading (freeing its input and tree) and keeps the reader for the next.
    func close(_ handle: Handle) {
        xmlTextReaderClose(handle.reader)
        idle.append(handle)
    }
}
