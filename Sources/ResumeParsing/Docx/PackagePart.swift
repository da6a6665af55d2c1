import Foundation

/// One relationship of an OPC package part (`_rels/*.rels`).
struct PackageRelationship {
    let id: String
    /// The relationship type URI, such as `…/relationships/officeDocument`.
    let type: String
    /// The target part name, resolved against the source part (no leading slash), or `nil` when the
    /// target is external.
    let targetPartName: String?

    /// Whether the type ends with `/name` (so transitional and strict URIs both match).
    func hasType(_ name: String) -> Bool {
        type.hasSuffix("/" + name)
    }
}

/// Part names, relationship parts and content types, per the Open Packaging Conventions.
enum PackagePart {
    /// The relationships part of `partName`: `word/document.xml` → `word/_rels/document.xml.rels`.
    static func relationshipsPartName(for partName: String) -> String {
        guard let slash = partName.lastIndex(of: "/") else { return "_rels/\(partName).rels" }
        let folder = partName[..<slash]
        let file = partName[partName.index(after: slash)...]
        return "\(folder)/_rels/\(file).rels"
    }

    /// Resolves a relationship target against the folder of its source part.
    static func resolve(target: String, relativeTo sourcePartName: String) -> String {
        if let resolved = resolvePlain(target: target, relativeTo: sourcePartName) { return resolved }
        var target = target
        if target.contains("%"), let decoded = target.removingPercentEncoding { target = decoded }
        if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
        var components: [Substring]
        if target.hasPrefix("/") {
            components = []
        } else {
            components = sourcePartName.split(separator: "/", omittingEmptySubsequences: true)
            if !components.isEmpty { components.removeLast() }
        }
        for component in target.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(component)
            }
        }
        return components.joined(separator: "/")
    }

    /// ``resolve(target:relativeTo:)`` for the usual relative target (`styles.xml`, `media/image1.png`):
    /// no escapes, fragment, empty, `.` or `..` segment, against a source part without empty segments; the
    /// source's folder and the target joined by a slash. `nil` for any other target or source.
    private static func resolvePlain(target: String, relativeTo sourcePartName: String) -> String? {
        func hasPlainSegments(_ path: String.UTF8View) -> Bool {
            var segmentLength = 0
            var dots = 0
            for byte in path {
                switch byte {
                case UInt8(ascii: "%"), UInt8(ascii: "#"): return false
                case UInt8(ascii: "/"):
                    if segmentLength == 0 || segmentLength == dots { return false }
                    segmentLength = 0
                    dots = 0
                    continue
                case UInt8(ascii: "."): dots += 1
                default: break
                }
                segmentLength += 1
            }
            return segmentLength > 0 && segmentLength > dots
        }
        guard hasPlainSegments(target.utf8) else { return nil }
        if sourcePartName.isEmpty { return target }
        guard hasPlainSegments(sourcePartName.utf8) else { return nil }
        guard let slash = sourcePartName.utf8.lastIndex(of: UInt8(ascii: "/")) else { return target }
        return String(sourcePartName[..<slash]) + "/" + target
    }

    /// Parses a relationships part.
    static func relationships(
        in reader: XMLStreamReader,
        sourcePartName: String
    ) throws(ResumeParsingError) -> [PackageRelationship] {
        var relationships: [PackageRelationship] = []
        while let kind = try reader.read() {
            guard kind == .element, reader.localName == .relationship else { continue }
            guard let id = reader.unqualifiedAttribute("Id"), let type = reader.unqualifiedAttribute("Type"),
                let target = reader.unqualifiedAttribute("Target")
            else { continue }
            let isExternal = reader.unqualifiedAttribute("TargetMode") == "External"
            relationships.append(
                PackageRelationship(
                    id: id,
                    type: type,
                    targetPartName: isExternal ? nil : resolve(target: target, relativeTo: sourcePartName)
                )
            )
        }
        return relationships
    }

    /// The content types of `[Content_Types].xml`: overrides by part name (lower-cased, no leading slash) and
    /// defaults by extension (lower-cased).
    struct ContentTypes {
        var overrides: [String: String] = [:]
        var defaults: [String: String] = [:]

        func contentType(of partName: String) -> String? {
            if let type = overrides[partName.lowercased()] { return type }
            guard let dot = partName.lastIndex(of: ".") else { return nil }
            return defaults[partName[partName.index(after: dot)...].lowercased()]
        }

        init() {}

        init(reader: XMLStreamReader) throws(ResumeParsingError) {
            while let kind = try reader.read() {
                guard kind == .element else { continue }
                switch reader.localName {
                case .overrideType:
                    if let name = reader.unqualifiedAttribute("PartName"),
                        let type = reader.unqualifiedAttribute("ContentType")
                    {
                        let trimmed = name.hasPrefix("/") ? String(name.dropFirst()) : name
                        overrides[trimmed.lowercased()] = type
                    }
                case .defaultType:
                    if let ext = reader.unqualifiedAttribute("Extension"),
                        let type = reader.unqualifiedAttribute("ContentType")
                    {
                        defaults[ext.lowercased()] = type
                    }
                default:
                    continue
                }
            }
        }
    }
}
