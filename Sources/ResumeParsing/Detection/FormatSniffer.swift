import Foundation

/// Recognises a document's format from its first bytes (magic numbers), never from its name.
enum FormatSniffer {
    enum Kind {
        /// A zip archive: an Office Open XML package or something else zipped.
        case zip
        /// An OLE compound file: a legacy Office document or an encrypted Office Open XML package.
        case compoundFile
        /// Something that looks like text.
        case text
        /// A format refused on sight.
        case refused(ResumeParsingError)
    }

    static func sniff(_ data: Data) -> Kind {
        let head = [UInt8](data.prefix(16))
        func starts(with magic: [UInt8]) -> Bool {
            head.count >= magic.count && head.starts(with: magic)
        }
        if starts(with: [0x50, 0x4B, 0x03, 0x04]) || starts(with: [0x50, 0x4B, 0x05, 0x06])
            || starts(with: [0x50, 0x4B, 0x07, 0x08])
        {
            return .zip
        }
        if starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return .compoundFile
        }
        if startsWithPDF(data) {
            return .refused(
                .unsupported(.pdf, "PDF documents are not supported; upload the resume as .docx or plain text.")
            )
        }
        if starts(with: Array("{\\rtf".utf8)) {
            return .refused(
                .unsupported(.rtf, "RTF documents are not supported yet; save the resume as .docx.")
            )
        }
        if isImage(head) {
            return .refused(
                .unsupported(.image, "The file is an image; text in images is not read. Upload .docx or plain text.")
            )
        }
        if isKnownBinary(head) {
            return .refused(binaryRefusal())
        }
        return .text
    }

    static func binaryRefusal() -> ResumeParsingError {
        ResumeParsingError(
            code: .notATextDocument,
            message: "The file is binary data, not a text document; upload the resume as .docx or plain text.",
            detectedFormat: .binary
        )
    }

    /// `%PDF-` at the start, possibly after a few bytes of junk (readers accept it in the first kilobyte).
    private static func startsWithPDF(_ data: Data) -> Bool {
        let window = data.prefix(1024)
        let magic = Array("%PDF-".utf8)
        guard window.count >= magic.count else { return false }
        var index = window.startIndex
        while index <= window.endIndex - magic.count {
            if window[index] == magic[0] && window[index..<index + magic.count].elementsEqual(magic) {
                return true
            }
            index += 1
        }
        return false
    }

    private static func isImage(_ head: [UInt8]) -> Bool {
        let signatures: [[UInt8]] = [
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],  // PNG
            [0xFF, 0xD8, 0xFF],  // JPEG
            Array("GIF87a".utf8), Array("GIF89a".utf8),
            [0x49, 0x49, 0x2A, 0x00], [0x4D, 0x4D, 0x00, 0x2A],  // TIFF
            [0x00, 0x00, 0x01, 0x00],  // ICO
        ]
        if signatures.contains(where: { head.starts(with: $0) }) { return true }
        // WebP: RIFF....WEBP; HEIC/AVIF: ....ftyp
        if head.count >= 12 && head.starts(with: Array("RIFF".utf8)) && Array(head[8..<12]) == Array("WEBP".utf8) {
            return true
        }
        if head.count >= 12 && Array(head[4..<8]) == Array("ftyp".utf8) {
            return true
        }
        if head.count >= 2 && head[0] == 0x42 && head[1] == 0x4D && head.count >= 14
            && head[6...9].allSatisfy({ $0 == 0 })
        {
            return true  // BMP: "BM", size, four reserved zero bytes
        }
        return false
    }

    private static func isKnownBinary(_ head: [UInt8]) -> Bool {
        let signatures: [[UInt8]] = [
            [0x7F, 0x45, 0x4C, 0x46],  // ELF
            [0x4D, 0x5A],  // PE / MZ executable
            [0xCF, 0xFA, 0xED, 0xFE], [0xCE, 0xFA, 0xED, 0xFE], [0xCA, 0xFE, 0xBA, 0xBE],  // Mach-O
            [0x1F, 0x8B],  // gzip
            [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C],  // 7z
            Array("Rar!".utf8),
            [0x00, 0x61, 0x73, 0x6D],  // wasm
        ]
        return signatures.contains { head.starts(with: $0) }
    }
}
