/// The XML namespaces the Word reader cares about; transitional and strict variants map to one value.
enum XMLNamespace: UInt8 {
    case unknown = 0
    case wordprocessingML
    case markupCompatibility
    case vml
    case drawingML
    case math
    case packageRelationships
    case contentTypes
    case coreProperties

    private static let table: [String: XMLNamespace] = [
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main": .wordprocessingML,
        "http://purl.oclc.org/ooxml/wordprocessingml/main": .wordprocessingML,
        "http://schemas.openxmlformats.org/markup-compatibility/2006": .markupCompatibility,
        "urn:schemas-microsoft-com:vml": .vml,
        "http://schemas.openxmlformats.org/drawingml/2006/main": .drawingML,
        "http://purl.oclc.org/ooxml/drawingml/main": .drawingML,
        "http://schemas.openxmlformats.org/officeDocument/2006/math": .math,
        "http://purl.oclc.org/ooxml/officeDocument/math": .math,
        "http://schemas.openxmlformats.org/package/2006/relationships": .packageRelationships,
        "http://schemas.openxmlformats.org/package/2006/content-types": .contentTypes,
        "http://schemas.openxmlformats.org/package/2006/metadata/core-properties": .coreProperties,
        "http://purl.org/dc/elements/1.1/": .coreProperties,
        "http://purl.org/dc/terms/": .coreProperties,
    ]

    static func token(for uri: String) -> UInt8 {
        table[uri]?.rawValue ?? 0
    }
}

/// The element local names the Word reader acts on. Names are matched once per distinct name in a part and
/// then by interned pointer, so no string is built per element.
enum XMLLocalName: UInt8, CaseIterable {
    case unknown = 0
    // Document structure
    case document, body, p, r, t, tab, ptab, br, cr, noBreakHyphen, softHyphen, sym
    case tbl, tr, tc, txbxContent, hdr, ftr, footnotes, endnotes, footnote, endnote
    case footnoteReference, endnoteReference, footnoteRef, endnoteRef
    // Tracked changes and fields
    case del, moveFrom, ins, moveTo, instrText, delInstrText, delText, rPrChange, pPrChange
    case sectPrChange, tblPrChange, trPrChange, tcPrChange, tblGridChange, numberingChange
    // Properties
    case rPr, pPr, vanish, rStyle, pStyle, numPr, ilvl, numId, outlineLvl, sectPr, trPr, tblPr, tcPr, tblGrid
    case sdtPr, sdtEndPr, smartTagPr, customXmlPr
    // Drawings, alternate content
    case drawing, pict, object, alternateContent, choice, fallback
    case imagedata, blip
    // Styles and numbering
    case style, name, basedOn, abstractNum, lvl, start, numFmt, lvlText, lvlRestart, isLgl, num, abstractNumId
    case lvlOverride, startOverride, numStyleLink, latentStyles, docDefaults, tblStylePr
    // Package parts
    case relationship, defaultType, overrideType
    // Core properties
    case title, subject, creator, keywords, description, lastModifiedBy, created, modified

    private static let table: [String: UInt8] = {
        var table: [String: UInt8] = [:]
        for name in allCases where name != .unknown {
            table[name.string] = name.rawValue
        }
        return table
    }()

    var string: String {
        switch self {
        case .alternateContent: return "AlternateContent"
        case .choice: return "Choice"
        case .fallback: return "Fallback"
        case .relationship: return "Relationship"
        case .defaultType: return "Default"
        case .overrideType: return "Override"
        default: return "\(self)"
        }
    }

    static func token(for name: String) -> UInt8 {
        table[name] ?? 0
    }
}
