import Foundation
import ResumeParsing

// The Swift half of Scripts/check-docx.py: it edits documents with DocxEditor and reads documents back
// with ResumeParsing, so that the check script can compare what a file says with what was intended.
//
//   docx-soundness prepare CORPUS OUT   edit several paragraphs of every readable .docx of CORPUS (and of
//                                        the simple document made of each .txt); write each case to OUT
//                                        (S.original.docx, S.clean.docx, S.tracked.docx, S.expected.txt) and
//                                        print every refused paragraph by reason
//   docx-soundness text FILE...          print a JSON object: each file's text as ResumeParsing reads it,
//                                        or its error code
//
// The edits are what a model does to a resume: a word replaced, a word added, a word dropped, a line
// added after a line, a line removed. The text expected back is the new text, except where the editor
// refused a change (the report names the line or the paragraph): there the original line stays.

let usage = """
    usage: docx-soundness prepare CORPUS OUT
           docx-soundness text FILE...
    """

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "prepare" where arguments.count == 3:
    exit(prepare(corpus: URL(fileURLWithPath: arguments[1]), output: URL(fileURLWithPath: arguments[2])))
case "text" where arguments.count >= 2:
    exit(printTexts(of: arguments.dropFirst().map(URL.init(fileURLWithPath:))))
default:
    FileHandle.standardError.write(Data((usage + "\n").utf8))
    exit(2)
}

// MARK: - Reading back

func printTexts(of files: [URL]) -> Int32 {
    let parser = ResumeParser()
    var result: [String: [String: String]] = [:]
    for file in files {
        do {
            let data = try Data(contentsOf: file)
            result[file.path] = ["text": try parser.parse(data).text]
        } catch let error as ResumeParsingError {
            result[file.path] = ["error": error.code.identifier]
        } catch {
            result[file.path] = ["error": "unreadable"]
        }
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    guard let json = try? encoder.encode(result) else { return 1 }
    FileHandle.standardOutput.write(json)
    FileHandle.standardOutput.write(Data("\n".utf8))
    return 0
}

// MARK: - Editing a corpus

/// One edit of the new text, and the lines it stands for in the new text.
struct Edit {
    enum Kind: String, CaseIterable {
        case replaceWord, insertWord, deleteWord, addLine, removeLine
    }

    var kind: Kind
    /// The original line edited (for `addLine`, the line the new one follows).
    var line: Int
    /// The new line's text (nil for `removeLine`).
    var newText: String?
}

func prepare(corpus: URL, output: URL) -> Int32 {
    let fileManager = FileManager.default
    let names: [String]
    do {
        names = try fileManager.contentsOfDirectory(atPath: corpus.path)
            .filter { $0.lowercased().hasSuffix(".docx") || $0.lowercased().hasSuffix(".txt") }.sorted()
        try fileManager.createDirectory(at: output, withIntermediateDirectories: true)
    } catch {
        print("error: \(error.localizedDescription)")
        return 1
    }
    let parser = ResumeParser()
    let editor = DocxEditor(parser: parser)
    var skipped: [String: [String]] = [:]
    var refusals: [(reason: String, file: String, message: String)] = []
    var cases = 0
    var edits = 0
    for name in names {
        let isText = name.lowercased().hasSuffix(".txt")
        let stem = isText ? String(name.dropLast(".txt".count)) + ".simple" : String(name.dropLast(".docx".count))
        let original: Data
        let document: ResumeDocument
        do {
            let bytes = try Data(contentsOf: corpus.appendingPathComponent(name))
            // A plain-text resume wanted as .docx becomes a simple document first.
            original = isText ? try SimpleDocument.make(text: String(decoding: bytes, as: UTF8.self)) : bytes
            document = try parser.parse(original)
        } catch let error as ResumeParsingError {
            skipped[error.code.identifier, default: []].append(name)
            continue
        } catch {
            skipped["unreadable", default: []].append(name)
            continue
        }
        guard document.format.isWordDocument else {
            skipped["not a Word document (\(document.format))", default: []].append(name)
            continue
        }
        let plan = planEdits(for: document)
        guard !plan.isEmpty else {
            skipped["no paragraph with words to edit", default: []].append(name)
            continue
        }
        let (newText, newIndex) = apply(plan, to: document)
        do {
            let clean = try editor.edit(original, document: document, newText: newText)
            let tracked = try editor.edit(
                original,
                document: document,
                newText: newText,
                options: .init(trackChanges: true, date: Date(timeIntervalSince1970: 1_800_000_000))
            )
            let expected = expectedText(document: document, plan: plan, newIndex: newIndex, report: clean.report)
            try original.write(to: output.appendingPathComponent("\(stem).original.docx"))
            try clean.data.write(to: output.appendingPathComponent("\(stem).clean.docx"))
            try tracked.data.write(to: output.appendingPathComponent("\(stem).tracked.docx"))
            try Data(expected.utf8).write(to: output.appendingPathComponent("\(stem).expected.txt"))
            for refusal in clean.report.refusals {
                refusals.append((refusal.reason.rawValue, name, refusal.message))
            }
            cases += 1
            edits += plan.count
        } catch {
            print("EDIT FAILED \(name): \(error)")
            skipped["edit failed", default: []].append(name)
        }
    }
    print("docx-soundness: \(cases) documents prepared with \(edits) edits in \(output.path)")
    for (reason, files) in skipped.sorted(by: { $0.key < $1.key }) {
        print("  skipped (\(reason)): \(files.count): \(files.joined(separator: ", "))")
    }
    let byReason = Dictionary(grouping: refusals, by: \.reason)
    print("refused paragraphs: \(refusals.count)")
    for (reason, list) in byReason.sorted(by: { $0.key < $1.key }) {
        print("  \(reason): \(list.count)")
        for refusal in list { print("    \(refusal.file): \(refusal.message)") }
    }
    return 0
}

/// Up to six edits spread over the document's lines with words; adding and removing only among body
/// paragraphs outside numbered lists (the numbers after them change, which is right but not the new text).
func planEdits(for document: ResumeDocument) -> [Edit] {
    let lines = document.lines
    let candidates = lines.indices.filter { index in
        !lines[index].sources.isEmpty && !words(of: editableText(lines[index])).isEmpty
    }
    guard !candidates.isEmpty else { return [] }
    let count = min(6, candidates.count)
    var chosen: [Int] = []
    for step in 0..<count {
        let index = candidates[step * candidates.count / count]
        if !chosen.contains(index) { chosen.append(index) }
    }
    var plan: [Edit] = []
    for (position, line) in chosen.enumerated() {
        var kind = Edit.Kind.allCases[position % Edit.Kind.allCases.count]
        let source = lines[line].sources
        let simple =
            source.count == 1 && source[0].address.container == .body
            && !lines[line].text.dropLast(source[0].text.count).contains { $0.isLetter || $0.isNumber }
            && lines[line].text.hasSuffix(source[0].text) && !source[0].text.contains("\n")
        if (kind == .addLine || kind == .removeLine) && !simple { kind = .replaceWord }
        switch kind {
        case .replaceWord, .insertWord, .deleteWord:
            plan.append(Edit(kind: kind, line: line, newText: editWords(of: lines[line], kind)))
        case .addLine:
            let prefix = String(lines[line].text.dropLast(source[0].text.count))
            plan.append(Edit(kind: .addLine, line: line, newText: prefix + "Delivered measurable results on time"))
        case .removeLine:
            plan.append(Edit(kind: .removeLine, line: line, newText: nil))
        }
    }
    return plan
}

/// The part of a line an edit touches: the text of its paragraph (the longest cell of a table row).
func editableText(_ line: ResumeDocument.Line) -> String {
    if line.sources.count > 1 {
        return line.text.split(separator: "\t", omittingEmptySubsequences: false)
            .max { words(of: String($0)).count < words(of: String($1)).count }.map(String.init) ?? ""
    }
    return line.sources.first.map { line.text.hasSuffix($0.text) ? $0.text : line.text } ?? line.text
}

func words(of text: String) -> [Substring] {
    text.split(separator: " ").filter { $0.contains { $0.isLetter || $0.isNumber } }
}

/// The line with one word of its paragraph replaced, added or dropped.
func editWords(of line: ResumeDocument.Line, _ kind: Edit.Kind) -> String {
    let target = editableText(line)
    var tokens = target.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    let wordIndices = tokens.indices.filter { tokens[$0].contains { $0.isLetter || $0.isNumber } }
    let middle = wordIndices[wordIndices.count / 2]
    switch wordIndices.count == 1 && kind == .deleteWord ? .replaceWord : kind {
    case .replaceWord:
        tokens[middle] = tokens[middle].lowercased() == "improved" ? "refined" : "improved"
    case .insertWord:
        tokens.insert("successfully", at: wordIndices[0] + 1)
    default:
        tokens.remove(at: middle)
    }
    let edited = tokens.joined(separator: " ")
    guard let range = line.text.range(of: target, options: .backwards) else { return edited }
    return line.text.replacingCharacters(in: range, with: edited)
}

/// The new text, and for each edit the index of its line in the new text (nil for a removal).
func apply(_ plan: [Edit], to document: ResumeDocument) -> (String, [Int?]) {
    var newLines: [String] = []
    var newIndex = [Int?](repeating: nil, count: plan.count)
    let editsByLine = Dictionary(grouping: plan.indices, by: { plan[$0].line })
    for (index, line) in document.lines.enumerated() {
        guard let edits = editsByLine[index], let editIndex = edits.first else {
            newLines.append(line.text)
            continue
        }
        let edit = plan[editIndex]
        switch edit.kind {
        case .removeLine:
            break
        case .addLine:
            newLines.append(line.text)
            newIndex[editIndex] = newLines.count
            newLines.append(edit.newText ?? "")
        default:
            newIndex[editIndex] = newLines.count
            newLines.append(edit.newText ?? line.text)
        }
    }
    return (newLines.joined(separator: "\n"), newIndex)
}

/// The text the edited document should read: the new text, with the original back wherever the report
/// refused the edit's line or one of its paragraphs.
func expectedText(document: ResumeDocument, plan: [Edit], newIndex: [Int?], report: DocxEditReport) -> String {
    let refusedLines = Set(report.refusals.compactMap(\.line))
    let refusedParagraphs = Set(report.refusals.compactMap(\.address))
    func refused(_ editIndex: Int) -> Bool {
        let edit = plan[editIndex]
        if let line = newIndex[editIndex], refusedLines.contains(line) { return true }
        guard edit.kind != .addLine else { return false }
        return document.lines[edit.line].sources.contains { refusedParagraphs.contains($0.address) }
    }
    var lines: [String] = []
    let editsByLine = Dictionary(grouping: plan.indices, by: { plan[$0].line })
    for (index, line) in document.lines.enumerated() {
        guard let editIndex = editsByLine[index]?.first, !refused(editIndex) else {
            lines.append(line.text)
            continue
        }
        let edit = plan[editIndex]
        switch edit.kind {
        case .removeLine:
            break
        case .addLine:
            lines.append(line.text)
            lines.append(edit.newText ?? "")
        default:
            lines.append(edit.newText ?? line.text)
        }
    }
    return lines.joined(separator: "\n")
}
