/// Turns a model's answer into the resume text alone.
///
/// Strips code fences, chat preambles ("Here is your optimized resume:") and closing remarks ("Let me
/// know if…"), echoed prompt delimiters, chat-template tokens (`[INST]`, `[/INST]`, `<<SYS>>`, `<</SYS>>`,
/// `<s>`, `</s>`, `<|im_start|>`, `<|im_end|>` and other `<|…|>` tokens), and normalises whitespace. When
/// a template leaked, only the model's own turn is kept: an echoed system prompt or prompt before it and a
/// next turn after it go. For plain-text output it also removes Markdown emphasis and heading marks.
public struct OutputCleaner: Sendable {
    /// Creates a cleaner.
    public init() {}

    /// The cleaned text; empty when nothing usable is left.
    public func clean(_ answer: String, format: OutputFormat) -> String {
        var text = answer.replacingAll("\r\n", with: "\n").replacingAll("\r", with: "\n")
            .replacingAll("\u{00A0}", with: " ")
        text = Self.withoutChatTemplate(text)
        text = Self.unfenced(text)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            String(line.reversed().drop(while: \.isWhitespace).reversed())
        }
        lines.removeAll { $0.contains("<<<") || $0.contains(">>>") }
        Self.dropEmptyEdges(&lines)
        while let first = lines.first, Self.isPreamble(first) {
            lines.removeFirst()
            Self.dropEmptyEdges(&lines)
        }
        // Closing paragraphs ("Let me know…", "Key changes:" with its list) and separators before them.
        while let paragraphStart = lines.lastIndex(where: { $0.trimmingWhitespace().isEmpty }).map({ $0 + 1 })
            ?? lines.first.map({ _ in 0 }),
            paragraphStart < lines.count, paragraphStart > 0,
            Self.isClosingRemark(lines[paragraphStart]) || Self.isSeparator(lines[paragraphStart])
        {
            lines.removeSubrange(paragraphStart...)
            Self.dropEmptyEdges(&lines)
        }
        while let last = lines.last, Self.isClosingRemark(last) || Self.isSeparator(last) {
            lines.removeLast()
            Self.dropEmptyEdges(&lines)
        }
        if format != .markdown {
            lines = lines.map(Self.plainText)
        }
        // At most one blank line in a row.
        var result: [String] = []
        for line in lines where !(line.isEmpty && (result.last?.isEmpty ?? true)) {
            result.append(line)
        }
        Self.dropEmptyEdges(&result)
        return result.joined(separator: "\n")
    }

    // MARK: Chat templates

    /// Where the model's own turn starts when its chat template leaked into the answer.
    private static let turnOpeners = [
        "<|im_start|>assistant", "<|start_header_id|>assistant<|end_header_id|>", "<|assistant|>", "[/INST]",
    ]
    /// Where its turn ends: an end-of-turn token, or the start of a next turn.
    private static let turnClosers = [
        "<|im_end|>", "<|eot_id|>", "<|end|>", "<|endoftext|>", "</s>", "[INST]", "<|im_start|>",
        "<|start_header_id|>", "<|user|>",
    ]
    /// Template tokens removed wherever they are left (besides every `<|…|>` token).
    private static let templateTokens = ["<<SYS>>", "<</SYS>>", "[INST]", "[/INST]", "<s>", "</s>"]

    /// The answer without chat-template tokens. When a template leaked, only the model's turn is kept:
    /// the text after the first turn opener (an echoed prompt before it goes) up to the first closer that
    /// has text before it (a next turn after it goes); a `<<SYS>>` … `<</SYS>>` block is a system prompt.
    static func withoutChatTemplate(_ answer: String) -> String {
        guard answer.contains("<|") || answer.contains("INST]") || answer.contains("SYS>>") || answer.contains("s>")
        else { return answer }
        /// The text up to the first closer that has text before it.
        func turn(_ text: Substring) -> Substring {
            var text = text
            while let closer = turnClosers.compactMap({ text.firstRange(of: $0) })
                .min(by: { $0.lowerBound < $1.lowerBound })
            {
                guard text[..<closer.lowerBound].trimmingWhitespace().isEmpty else {
                    return text[..<closer.lowerBound]
                }
                // A closer before any text (a stray end token, or the next turn's opener): read on after it.
                text = text[closer.upperBound...]
            }
            return text
        }
        var text = Substring(answer)
        let opener = turnOpeners.compactMap { text.firstRange(of: $0) }.min { $0.lowerBound < $1.lowerBound }
        if let opener, case let modelTurn = turn(text[opener.upperBound...]),
            !modelTurn.trimmingWhitespace().isEmpty
        {
            // "[/INST] Jordan Rivera": the turn opens after the space.
            text = modelTurn.drop { $0 == " " || $0 == "\t" }
        } else {
            text = turn(text)
        }
        var result = String(text)
        if let open = result.firstRange(of: "<<SYS>>"),
            let close = result[open.upperBound...].firstRange(of: "<</SYS>>")
        {
            result.removeSubrange(open.lowerBound..<close.upperBound)
        }
        for token in templateTokens { result = result.replacingAll(token, with: "") }
        return removingSpecialTokens(result)
    }

    /// The text without `<|…|>` tokens (a name of letters, digits, `_` and `-`, at most 40 characters).
    private static func removingSpecialTokens(_ text: String) -> String {
        var result = ""
        var remaining = Substring(text)
        while let open = remaining.firstRange(of: "<|") {
            let rest = remaining[open.upperBound...]
            if let close = rest.firstRange(of: "|>"), rest.distance(from: rest.startIndex, to: close.lowerBound) <= 40,
                rest[..<close.lowerBound].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
            {
                result += remaining[..<open.lowerBound]
                remaining = rest[close.upperBound...]
            } else {
                result += remaining[..<open.upperBound]
                remaining = rest
            }
        }
        return result + remaining
    }

    /// The content of the largest fenced block when the answer has one; otherwise the answer.
    private static func unfenced(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var blocks: [[Substring]] = []
        var current: [Substring]?
        for line in lines {
            if line.trimmingWhitespace().hasPrefix("```") {
                if let open = current {
                    blocks.append(open)
                    current = nil
                } else {
                    current = []
                }
            } else {
                current?.append(line)
            }
        }
        if let unterminated = current { blocks.append(unterminated) }
        guard let largest = blocks.max(by: { $0.joined().count < $1.joined().count }) else {
            return text
        }
        return largest.joined(separator: "\n")
    }

    private static func dropEmptyEdges(_ lines: inout [String]) {
        while lines.first?.trimmingWhitespace().isEmpty == true { lines.removeFirst() }
        while lines.last?.trimmingWhitespace().isEmpty == true { lines.removeLast() }
    }

    private static let preambleOpeners = [
        "here is", "here's", "here are", "below is", "below are", "sure", "certainly", "of course", "absolutely",
        "okay", "ok,", "ok.", "great", "i have", "i've", "i tailored", "i rewrote", "i updated", "as requested",
        "this is the", "the following",
    ]

    /// A chat line before the resume, such as "Sure! Here is your optimized resume:".
    private static func isPreamble(_ line: String) -> Bool {
        let text = line.trimmingWhitespace().lowercased()
        let cleaned = text.drop { $0 == "*" || $0 == "#" || $0 == " " }
        guard preambleOpeners.contains(where: { cleaned.hasPrefix($0) }) else { return false }
        return text.hasSuffix(":") || text.hasSuffix(":**") || text.contains("resume") || text.count < 40
    }

    private static let closingOpeners = [
        "let me know", "i hope", "hope this", "feel free", "note:", "**note", "please note", "if you'd like",
        "if you would like", "good luck", "i've tailored", "i have tailored", "this version", "these changes",
        "key changes", "changes made", "summary of changes", "**key changes", "**changes", "notes:",
    ]

    /// A chat line after the resume, such as "Let me know if you want changes.".
    private static func isClosingRemark(_ line: String) -> Bool {
        let text = line.trimmingWhitespace().lowercased()
        return closingOpeners.contains { text.hasPrefix($0) }
    }

    /// A horizontal rule such as `---`, which models put before their notes.
    private static func isSeparator(_ line: String) -> Bool {
        let text = line.trimmingWhitespace()
        return text.count >= 3
            && (text.allSatisfy { $0 == "-" } || text.allSatisfy { $0 == "*" } || text.allSatisfy { $0 == "_" })
    }

    /// Removes Markdown heading marks and emphasis from one line of plain-text output.
    private static func plainText(_ line: String) -> String {
        var text = line
        let trimmed = text.trimmingWhitespace()
        if trimmed.hasPrefix("#") {
            text = String(trimmed.drop { $0 == "#" }).trimmingCharacters(in: "")
        }
        for mark in ["**", "__"] {
            text = text.replacingAll(mark, with: "")
        }
        return text
    }
}

extension String {
    /// The text without leading and trailing whitespace.
    func trimmingWhitespace() -> String { Substring(self).trimmingWhitespace() }
}
