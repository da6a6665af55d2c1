/// What the Word reader needs from `styles.xml`: heading levels, list numbering inherited from paragraph
/// styles, and hidden character styles.
struct StyleSheet {
    struct Style {
        var type: String?
        var name: String?
        var basedOn: String?
        var numberingID: Int?
        var numberingLevel: Int?
        var outlineLevel: Int?
        var isHidden = false
    }

    /// What a paragraph style resolves to after following `w:basedOn`.
    struct ResolvedParagraphStyle {
        var headingLevel: Int?
        var numberingID: Int?
        var numberingLevel: Int?
        var isHidden = false
    }

    private(set) var styles: [String: Style] = [:]
    private var resolved: [String: ResolvedParagraphStyle] = [:]

    /// Elements of `styles.xml` that ``init(reader:)`` skips unread wherever they are (most of the part's
    /// bytes: the latent style table alone is often two thirds); the reader may drop them before parsing.
    /// The first group holds elements it skips explicitly; the rest are the common style, paragraph and run
    /// properties it ignores, none of which can hold an element it reads (`w:name`, `w:basedOn`, `w:pPr`,
    /// `w:rPr`, `w:numPr` and its children, `w:outlineLvl`, `w:vanish`).
    static let elementsSkippedUnread = [
        "w:latentStyles", "w:docDefaults", "w:tblStylePr", "w:tblPr", "w:trPr", "w:tcPr", "w:rPrChange",
        "w:pPrChange",
        // Style properties.
        "w:aliases", "w:next", "w:link", "w:autoRedefine", "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed",
        "w:qFormat", "w:locked", "w:rsid",
        // Paragraph properties.
        "w:keepNext", "w:keepLines", "w:widowControl", "w:pBdr", "w:tabs", "w:spacing", "w:ind",
        "w:contextualSpacing", "w:jc",
        // Run properties.
        "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:color", "w:kern", "w:sz",
        "w:szCs", "w:u", "w:lang", "w:shd",
    ]

    /// Elements that ``init(reader:)`` notes being inside (and forgets at any end tag of the name), so an
    /// empty one outside any other changes nothing; the reader may drop such elements once the elements
    /// it skips unread are gone from them (see ``XMLSubtreeFilter``). Most styles' properties are so left
    /// empty, and libxml2 then reports fewer nodes.
    static let elementsIgnoredWhenEmpty = ["w:pPr", "w:rPr"]

    init() {}

    init(reader: XMLStreamReader) throws(ResumeParsingError) {
        var current: (id: String, style: Style)?
        var inParagraphProperties = false
        var inRunProperties = false
        while let kind = try reader.read() {
            switch kind {
            case .element:
                guard reader.namespace == .wordprocessingML else { continue }
                switch reader.localName {
                case .style:
                    if let id = reader.attribute("styleId") {
                        current = (id, Style(type: reader.attribute("type")))
                    }
                    if reader.isEmptyElement { current = nil }
                case .name: current?.style.name = reader.attribute("val")
                case .basedOn: current?.style.basedOn = reader.attribute("val")
                case .pPr: inParagraphProperties = !reader.isEmptyElement
                case .rPr: inRunProperties = !reader.isEmptyElement && !inParagraphProperties
                case .numId where inParagraphProperties:
                    current?.style.numberingID = reader.attribute("val").flatMap { Int($0) }
                case .ilvl where inParagraphProperties:
                    current?.style.numberingLevel = reader.attribute("val").flatMap { Int($0) }
                case .outlineLvl where inParagraphProperties:
                    current?.style.outlineLevel = reader.attribute("val").flatMap { Int($0) }
                case .vanish where inRunProperties:
                    current?.style.isHidden = OnOff.isOn(reader.attribute("val"))
                case .rPrChange, .pPrChange, .latentStyles, .docDefaults, .tblPr, .trPr, .tcPr, .tblStylePr:
                    if !reader.isEmptyElement { try reader.skipElement() }
                default:
                    continue
                }
            case .endElement:
                guard reader.namespace == .wordprocessingML else { continue }
                switch reader.localName {
                case .style:
                    if let current { styles[current.id] = current.style }
                    current = nil
                case .pPr: inParagraphProperties = false
                case .rPr: inRunProperties = false
                default: continue
                }
            default:
                continue
            }
        }
    }

    /// Whether a character style hides its text.
    func isHiddenCharacterStyle(_ id: String) -> Bool {
        var styleID: String? = id
        for _ in 0..<10 {
            guard let id = styleID, let style = styles[id] else { return false }
            if style.isHidden { return true }
            styleID = style.basedOn
        }
        return false
    }

    /// The heading level and inherited numbering of a paragraph style.
    mutating func paragraphStyle(_ id: String) -> ResolvedParagraphStyle {
        if let cached = resolved[id] { return cached }
        var result = ResolvedParagraphStyle()
        var styleID: String? = id
        var outlineLevel: Int?
        for _ in 0..<10 {
            guard let currentID = styleID, let style = styles[currentID] else { break }
            if outlineLevel == nil { outlineLevel = style.outlineLevel }
            if result.headingLevel == nil, let name = style.name {
                result.headingLevel = Self.headingLevel(named: name)
            }
            if result.numberingID == nil { result.numberingID = style.numberingID }
            if result.numberingLevel == nil { result.numberingLevel = style.numberingLevel }
            result.isHidden = result.isHidden || style.isHidden
            styleID = style.basedOn
        }
        if result.headingLevel == nil { result.headingLevel = Self.headingLevel(named: id) }
        if result.headingLevel == nil, let outlineLevel, outlineLevel >= 0, outlineLevel < 9 {
            result.headingLevel = outlineLevel + 1
        }
        resolved[id] = result
        return result
    }

    /// `Title` is level 1; `heading N` (any case, with or without the space) is level N.
    static func headingLevel(named name: String) -> Int? {
        let lowered = name.lowercased()
        if lowered == "title" { return 1 }
        guard lowered.hasPrefix("heading") else { return nil }
        let rest = lowered.dropFirst("heading".count).drop { $0 == " " }
        guard let level = Int(rest), level >= 1, level <= 9 else { return nil }
        return level
    }
}

/// WordprocessingML on/off values: absent or `true`/`1`/`on` is on.
enum OnOff {
    static func isOn(_ value: String?) -> Bool {
        guard let value else { return true }
        return !(value == "0" || value == "false" || value == "off" || value == "none")
    }
}
