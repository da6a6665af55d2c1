/// Word-level differences between a paragraph's text and its new text, as pieces of text each tied to the
/// run whose formatting it takes.
enum WordDiff {
    enum Kind: Equatable {
        case kept
        case inserted
        case deleted
    }

    struct Piece: Equatable {
        var text: String
        /// The run whose properties the piece takes; `nil` for a paragraph without runs.
        var run: Int?
        var kind: Kind
    }

    /// Splits characters into tokens: runs of whitespace, words, and single punctuation marks or CJK
    /// characters (scripts written without spaces are compared character by character).
    static func tokens(_ characters: [Character]) -> [Range<Int>] {
        tokens(classes: characters.map(classify))
    }

    /// The tokens of ASCII text, one character a byte: the same as ``tokens(_:)`` gives for its characters.
    private static func tokens(ascii bytes: [UInt8]) -> [Range<Int>] {
        tokens(classes: bytes.map(classify))
    }

    private enum CharacterClass {
        case space
        case word
        /// Punctuation, symbols and ideographs: a token each.
        case single
    }

    private static func tokens(classes: [CharacterClass]) -> [Range<Int>] {
        var tokens: [Range<Int>] = []
        var index = 0
        while index < classes.count {
            let start = index
            let kind = classes[index]
            index += 1
            if kind != .single {
                while index < classes.count && classes[index] == kind { index += 1 }
            }
            tokens.append(start..<index)
        }
        return tokens
    }

    /// ASCII characters, most of a resume, are classified without a look-up of Unicode properties.
    private static func classify(_ character: Character) -> CharacterClass {
        let utf8 = character.utf8
        if utf8.count == 1, let byte = utf8.first { return classify(byte) }
        if character.isWhitespace { return .space }
        if (character.isLetter || character.isNumber) && !isIdeographic(character) { return .word }
        return .single
    }

    /// The class of an ASCII character.
    private static func classify(_ byte: UInt8) -> CharacterClass {
        switch byte {
        case 0x20, 0x09...0x0D: .space
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F: .word
        default: .single
        }
    }

    private static func isIdeographic(_ character: Character) -> Bool {
        guard let value = character.unicodeScalars.first?.value else { return false }
        return (0x2E80...0x9FFF).contains(value) || (0xF900...0xFAFF).contains(value)
            || (0xFF00...0xFFEF).contains(value) || (0x20000...0x2FFFF).contains(value)
    }

    /// Characters as UTF-8, with the byte offset of each character (and of the end): a run of characters
    /// becomes a string by copying bytes. ASCII text, one character a byte, needs no offsets.
    private struct Text {
        var bytes: [UInt8] = []
        /// `nil` when every character is one byte.
        var offsets: [Int]?
        var tokens: [Range<Int>]

        init(_ characters: [Character]) {
            var offsets = [0]
            offsets.reserveCapacity(characters.count + 1)
            for character in characters {
                bytes.append(contentsOf: character.utf8)
                offsets.append(bytes.count)
            }
            self.offsets = offsets
            tokens = WordDiff.tokens(characters)
        }

        /// Text that is ASCII without a carriage return: each byte is one character (a CR before a LF would
        /// make one character of two bytes).
        init?(ascii text: some Collection<UInt8>) {
            guard text.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) else { return nil }
            bytes = Array(text)
            tokens = WordDiff.tokens(ascii: bytes)
        }

        func string(_ range: Range<Int>) -> String {
            guard let offsets else { return String(decoding: bytes[range], as: UTF8.self) }
            return String(decoding: bytes[offsets[range.lowerBound]..<offsets[range.upperBound]], as: UTF8.self)
        }
    }

    /// The pieces that turn the paragraph's text (with the run of each character) into `new`; an inserted
    /// word without a neighbour to take its formatting from takes the first run's.
    static func pieces(from paragraph: EditableParagraph, to new: String) -> [Piece] {
        let runs = paragraph.characterRuns
        let defaultRun = runs.first
        // ASCII text, most of a resume, is split into tokens byte by byte; its characters are its bytes.
        let oldText = Text(ascii: paragraph.text.utf8) ?? Text(paragraph.characters)
        let newText = Text(ascii: new.utf8) ?? Text(Array(new))
        let oldTokens = oldText.tokens
        let newTokens = newText.tokens
        let oldWords = oldTokens.map { oldText.string($0) }
        let newWords = newTokens.map { newText.string($0) }

        enum Operation {
            case keep(Int)
            case delete(Int)
            case insert(Int)
        }
        // Common prefix and suffix first; the table covers only the middle.
        var prefix = 0
        while prefix < oldWords.count && prefix < newWords.count && oldWords[prefix] == newWords[prefix] {
            prefix += 1
        }
        var suffix = 0
        while suffix < oldWords.count - prefix && suffix < newWords.count - prefix
            && oldWords[oldWords.count - 1 - suffix] == newWords[newWords.count - 1 - suffix]
        {
            suffix += 1
        }
        // The table compares every old token with every new one: it compares numbers that stand for the
        // distinct tokens (equal numbers for tokens equal as strings), each token hashed once.
        var numbers: [String: Int] = [:]
        numbers.reserveCapacity(oldWords.count + newWords.count - 2 * (prefix + suffix))
        func number(_ token: String) -> Int {
            let fresh = numbers.count
            return assigned(&numbers[token, default: fresh])
        }
        let oldMiddle = oldWords[prefix..<(oldWords.count - suffix)].map(number)
        let newMiddle = newWords[prefix..<(newWords.count - suffix)].map(number)
        var operations: [Operation] = (0..<prefix).map { .keep($0) }
        let n = oldMiddle.count
        let m = newMiddle.count
        if n > 0 && m > 0 && n * m <= 4_000_000 {
            // Longest common subsequence of tokens: table[i][j] is its length for oldMiddle[i...] and
            // newMiddle[j...]. Filled through buffers (every index is in bounds by construction).
            var table = [Int32](repeating: 0, count: (n + 1) * (m + 1))
            let width = m + 1
            table.withUnsafeMutableBufferPointer { table in
                oldMiddle.withUnsafeBufferPointer { old in
                    newMiddle.withUnsafeBufferPointer { new in
                        var i = n - 1
                        while i >= 0 {
                            let row = i * width
                            let below = row + width
                            let token = old[i]
                            var j = m - 1
                            while j >= 0 {
                                table[row + j] =
                                    token == new[j]
                                    ? table[below + j + 1] + 1 : max(table[below + j], table[row + j + 1])
                                j -= 1
                            }
                            i -= 1
                        }
                    }
                }
            }
            var i = 0
            var j = 0
            var pendingInserts: [Operation] = []
            while i < n || j < m {
                if i < n && j < m && oldMiddle[i] == newMiddle[j] {
                    operations.append(contentsOf: pendingInserts)
                    pendingInserts = []
                    operations.append(.keep(prefix + i))
                    i += 1
                    j += 1
                } else if j < m && (i == n || table[i * (m + 1) + j + 1] >= table[(i + 1) * (m + 1) + j]) {
                    // Deletions go before the insertions that replace them.
                    pendingInserts.append(.insert(prefix + j))
                    j += 1
                } else {
                    operations.append(.delete(prefix + i))
                    i += 1
                }
            }
            operations.append(contentsOf: pendingInserts)
        } else {
            operations.append(contentsOf: (0..<n).map { .delete(prefix + $0) })
            operations.append(contentsOf: (0..<m).map { .insert(prefix + $0) })
        }
        for offset in 0..<suffix {
            operations.append(.keep(oldWords.count - suffix + offset))
        }
        var pieces: [Piece] = []
        func add(_ text: String, run: Int?, kind: Kind) {
            guard !text.isEmpty else { return }
            if let last = pieces.last, last.run == run, last.kind == kind {
                pieces[pieces.count - 1].text.append(text)
            } else {
                pieces.append(Piece(text: text, run: run, kind: kind))
            }
        }
        func addOld(_ token: Int, kind: Kind) {
            // The token's characters in stretches of one run each.
            let range = oldTokens[token]
            var start = range.lowerBound
            while start < range.upperBound {
                var end = start + 1
                while end < range.upperBound && runs[end] == runs[start] { end += 1 }
                add(oldText.string(start..<end), run: runs[start], kind: kind)
                start = end
            }
        }
        var index = 0
        while index < operations.count {
            switch operations[index] {
            case .keep(let token):
                addOld(token, kind: .kept)
                index += 1
            case .delete(let token):
                addOld(token, kind: .deleted)
                index += 1
            case .insert:
                // A group of insertions: the formatting of what it replaces, else of the text before, else after.
                var text = ""
                while index < operations.count, case .insert(let token) = operations[index] {
                    text.append(newWords[token])
                    index += 1
                }
                var run: Int?
                if let last = pieces.last, last.kind == .deleted {
                    // The first character of the deleted group.
                    var back = pieces.count - 1
                    while back > 0 && pieces[back - 1].kind == .deleted { back -= 1 }
                    run = pieces[back].run
                } else if let last = pieces.last(where: { $0.kind == .kept }) {
                    run = last.run
                } else {
                    run =
                        nextKeptRun(
                            after: index,
                            operations: operations.map {
                                if case .keep(let token) = $0 { return token } else { return nil }
                            },
                            oldTokens: oldTokens,
                            runs: runs
                        ) ?? defaultRun
                }
                add(text, run: run, kind: .inserted)
            }
        }
        return pieces
    }

    /// The value behind `value`: through the dictionary's `default:` subscript, a key not yet there is
    /// added with one look-up.
    private static func assigned(_ value: inout Int) -> Int { value }

    private static func nextKeptRun(after index: Int, operations: [Int?], oldTokens: [Range<Int>], runs: [Int]) -> Int?
    {
        for operation in operations[index...] {
            if let token = operation, let first = oldTokens[token].first { return runs[first] }
        }
        return nil
    }
}
