/// List definitions from `numbering.xml` and the counters that turn them into markers such as `1.`, `a)`,
/// `iv.` or `•`.
struct Numbering {
    enum Format {
        case decimal, decimalZero, lowerLetter, upperLetter, lowerRoman, upperRoman, bullet, none, ordinal

        init(_ value: String?) {
            switch value {
            case "decimalZero": self = .decimalZero
            case "lowerLetter": self = .lowerLetter
            case "upperLetter": self = .upperLetter
            case "lowerRoman": self = .lowerRoman
            case "upperRoman": self = .upperRoman
            case "bullet": self = .bullet
            case "none": self = .none
            case "ordinal": self = .ordinal
            default: self = .decimal
            }
        }
    }

    struct Level {
        var start = 1
        var format = Format.decimal
        var text: String?
        /// `w:lvlRestart`: restart after a use of this (1-based) level or a higher one; 0 never restarts.
        var restartAfter: Int?
        var isLegal = false
    }

    struct AbstractDefinition {
        var levels: [Int: Level] = [:]
        var styleLink: String?
    }

    struct Instance {
        var abstractID: Int
        var startOverrides: [Int: Int] = [:]
        var levelOverrides: [Int: Level] = [:]
    }

    private var abstracts: [Int: AbstractDefinition] = [:]
    private var instances: [Int: Instance] = [:]

    // Counters are shared by the instances of one abstract definition, as Word does; an instance with a
    // start override restarts them the first time it is used.
    private var counters: [Int: [Int?]] = [:]
    private var startedInstances: Set<Int> = []

    /// Elements of `numbering.xml` that ``init(reader:)`` skips unread wherever they are, none of which can
    /// hold an element it reads: the paragraph and run properties of list levels, the picture bullets, and
    /// the leaf properties of definitions and levels it ignores. The reader may drop them before parsing,
    /// and the white space between markup too (it reads no text).
    static let elementsSkippedUnread = [
        "w:pPr", "w:rPr", "w:numPicBullet", "w:nsid", "w:multiLevelType", "w:tmpl", "w:name", "w:styleLink",
        "w:lvlJc", "w:pStyle", "w:suff", "w:legacy", "w:lvlPicBulletId",
    ]

    init() {}

    init(reader: XMLStreamReader) throws(ResumeParsingError) {
        var abstract: (id: Int, definition: AbstractDefinition)?
        var instance: (id: Int, value: Instance)?
        var level: (index: Int, value: Level)?
        var overrideLevel: Int?
        while let kind = try reader.read() {
            switch kind {
            case .element:
                guard reader.namespace == .wordprocessingML else { continue }
                let isEmpty = reader.isEmptyElement
                switch reader.localName {
                case .abstractNum:
                    if let id = reader.attribute("abstractNumId").flatMap({ Int($0) }), !isEmpty {
                        abstract = (id, AbstractDefinition())
                    }
                case .num:
                    if let id = reader.attribute("numId").flatMap({ Int($0) }), !isEmpty {
                        instance = (id, Instance(abstractID: -1))
                    }
                case .abstractNumId:
                    if let id = reader.attribute("val").flatMap({ Int($0) }) { instance?.value.abstractID = id }
                case .lvlOverride:
                    overrideLevel = reader.attribute("ilvl").flatMap { Int($0) }
                    if isEmpty { overrideLevel = nil }
                case .startOverride:
                    if let index = overrideLevel, let value = reader.attribute("val").flatMap({ Int($0) }) {
                        instance?.value.startOverrides[index] = value
                    }
                case .lvl:
                    if let index = reader.attribute("ilvl").flatMap({ Int($0) }), !isEmpty {
                        level = (index, Level())
                    }
                case .start:
                    if let value = reader.attribute("val").flatMap({ Int($0) }) { level?.value.start = value }
                case .numFmt:
                    level?.value.format = Format(reader.attribute("val"))
                case .lvlText:
                    level?.value.text = reader.attribute("val")
                case .lvlRestart:
                    level?.value.restartAfter = reader.attribute("val").flatMap { Int($0) }
                case .isLgl:
                    level?.value.isLegal = OnOff.isOn(reader.attribute("val"))
                case .numStyleLink:
                    abstract?.definition.styleLink = reader.attribute("val")
                case .pPr, .rPr:
                    if !isEmpty { try reader.skipElement() }
                default:
                    continue
                }
            case .endElement:
                guard reader.namespace == .wordprocessingML else { continue }
                switch reader.localName {
                case .lvl:
                    if let level {
                        if let overrideLevel {
                            instance?.value.levelOverrides[overrideLevel] = level.value
                        } else {
                            abstract?.definition.levels[level.index] = level.value
                        }
                    }
                    level = nil
                case .lvlOverride:
                    overrideLevel = nil
                case .abstractNum:
                    if let abstract { abstracts[abstract.id] = abstract.definition }
                    abstract = nil
                case .num:
                    if let instance { instances[instance.id] = instance.value }
                    instance = nil
                default:
                    continue
                }
            default:
                continue
            }
        }
    }

    /// Counts a paragraph of list `numberingID` at `level` and returns its marker, or `nil` when the
    /// paragraph is not in a list (`numId` 0 or unknown).
    mutating func nextMarker(numberingID: Int, level: Int, styles: StyleSheet) -> String? {
        guard numberingID != 0, var instance = instances[numberingID] else { return nil }
        let level = min(max(level, 0), 8)
        var abstractID = instance.abstractID
        // A definition that links to a numbering style takes its levels from that style's list.
        if let link = abstracts[abstractID]?.styleLink,
            let linkedID = styles.styles[link]?.numberingID,
            let linked = instances[linkedID]
        {
            abstractID = linked.abstractID
            if instance.levelOverrides.isEmpty { instance.levelOverrides = linked.levelOverrides }
        }
        guard let abstract = abstracts[abstractID] else { return nil }
        func definition(_ index: Int) -> Level {
            instance.levelOverrides[index] ?? abstract.levels[index] ?? Level()
        }
        var values = counters[abstractID] ?? Array(repeating: nil, count: 9)
        if !startedInstances.contains(numberingID) {
            startedInstances.insert(numberingID)
            for (index, start) in instance.startOverrides where index >= 0 && index < 9 {
                values[index] = start - 1
                for deeper in (index + 1)..<9 { values[deeper] = nil }
            }
        }
        let current = definition(level)
        values[level] = (values[level] ?? (current.start - 1)) &+ 1
        for deeper in (level + 1)..<9 {
            let restart = definition(deeper).restartAfter
            if restart == nil || (restart ?? 0) > level && restart != 0 {
                values[deeper] = nil
            }
        }
        counters[abstractID] = values

        if current.format == .bullet { return "•" }
        if current.format == .none { return "" }
        guard let template = current.text else { return Self.format(values[level] ?? 1, as: current.format) + "." }
        var marker = ""
        var scalars = template.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "%" else {
                marker.unicodeScalars.append(scalar)
                continue
            }
            guard let digit = scalars.next() else { break }
            guard let index = Int(String(digit)), index >= 1, index <= 9 else {
                marker.unicodeScalars.append(digit)
                continue
            }
            let referenced = definition(index - 1)
            let value = values[index - 1] ?? referenced.start
            let format = current.isLegal && index - 1 != level ? Format.decimal : referenced.format
            marker += Self.format(value, as: format)
        }
        return marker
    }

    static func format(_ value: Int, as format: Format) -> String {
        switch format {
        case .decimal: return String(value)
        case .decimalZero: return value < 10 && value >= 0 ? "0\(value)" : String(value)
        case .lowerLetter: return letters(value)
        case .upperLetter: return letters(value).uppercased()
        case .lowerRoman: return roman(value).lowercased()
        case .upperRoman: return roman(value)
        case .bullet: return "•"
        case .none: return ""
        case .ordinal: return ordinal(value)
        }
    }

    /// a…z, then aa…zz, as Word counts.
    private static func letters(_ value: Int) -> String {
        // Past zz…z (26 × 30), a hostile start value would build a huge marker: write the number instead.
        guard value >= 1, value <= 26 * 30 else { return String(value) }
        let letter = Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8((value - 1) % 26)))
        return String(repeating: letter, count: (value - 1) / 26 + 1)
    }

    private static func roman(_ value: Int) -> String {
        guard value >= 1, value < 4000 else { return String(value) }
        let table: [(Int, String)] = [
            (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
        ]
        var remaining = value
        var output = ""
        for (amount, numeral) in table {
            while remaining >= amount {
                output += numeral
                remaining -= amount
            }
        }
        return output
    }

    private static func ordinal(_ value: Int) -> String {
        let tens = value % 100
        let suffix: String
        if tens >= 11 && tens <= 13 {
            suffix = "th"
        } else {
            switch value % 10 {
            case 1: suffix = "st"
            case 2: suffix = "nd"
            case 3: suffix = "rd"
            default: suffix = "th"
            }
        }
        return "\(value)\(suffix)"
    }
}
