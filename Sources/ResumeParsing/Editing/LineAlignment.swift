/// Aligns the lines of a document's text with the lines of its new text: unchanged lines by a shortest
/// edit script, then, between them, changed lines by word similarity; what is left is removed or added,
/// and an added line that repeats a removed one is a move.
enum LineAlignment {
    enum Step: Equatable {
        case keep(original: Int, new: Int)
        case change(original: Int, new: Int)
        case remove(original: Int)
        /// An added line; `movedFrom` is the removed original line it repeats.
        case add(new: Int, movedFrom: Int?)
    }

    /// The line with its white space folded: words separated by one space, none at the ends. Most lines
    /// are already so and come back as they are.
    static func normalized(_ line: String) -> String {
        var previousWasSpace = true
        var isFolded = true
        // ASCII lines (most) are checked byte by byte; a line with any other character, scalar by scalar.
        var isASCII = true
        for byte in line.utf8 {
            guard byte < 0x80 else {
                isASCII = false
                break
            }
            let isSpace = byte == 0x20 || (0x09...0x0D).contains(byte)
            // An unfolded line reads on: only an ASCII one is folded byte by byte.
            if isSpace && (previousWasSpace || byte != 0x20) { isFolded = false }
            previousWasSpace = isSpace
        }
        if isASCII {
            if isFolded && (line.isEmpty || !previousWasSpace) { return line }
            return foldedASCII(line)
        }
        previousWasSpace = true
        isFolded = true
        for scalar in line.unicodeScalars {
            let isSpace = isWhitespace(scalar)
            if isSpace && (previousWasSpace || scalar != " ") {
                isFolded = false
                break
            }
            previousWasSpace = isSpace
        }
        if isFolded && (line.isEmpty || !previousWasSpace) { return line }
        return line.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// An ASCII line's words separated by one space, byte by byte: what splitting it at white space
    /// and joining the words with spaces gives (ASCII white space is one character a byte, but for a
    /// CR LF pair, which is white space too).
    private static func foldedASCII(_ line: String) -> String {
        var folded: [UInt8] = []
        folded.reserveCapacity(line.utf8.count)
        var pendingSpace = false
        for byte in line.utf8 {
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                pendingSpace = !folded.isEmpty
            } else {
                if pendingSpace { folded.append(0x20) }
                pendingSpace = false
                folded.append(byte)
            }
        }
        return String(decoding: folded, as: UTF8.self)
    }

    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? (scalar == " " || (0x09...0x0D).contains(scalar.value)) : scalar.properties.isWhitespace
    }

    /// The line's words, lower-cased: runs of letters and digits (with the marks that combine with them).
    static func words(_ line: String) -> Set<String> {
        var words = Set<String>()
        // Room for a word every six bytes or so, so that the set seldom grows (and rehashes) on the way.
        words.reserveCapacity(line.utf8.count / 6 + 1)
        var word: [UInt8] = []
        var isASCII = true
        func endWord() {
            guard !word.isEmpty else { return }
            let text = String(decoding: word, as: UTF8.self)
            words.insert(isASCII ? text : text.lowercased())
            word.removeAll(keepingCapacity: true)
            isASCII = true
        }
        for scalar in line.unicodeScalars {
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                switch byte {
                case 0x30...0x39, 0x61...0x7A: word.append(byte)
                case 0x41...0x5A: word.append(byte + 0x20)
                default: endWord()
                }
            } else if Self.isWordScalar(scalar) {
                word.append(contentsOf: UTF8.encode(scalar)!)
                isASCII = false
            } else {
                endWord()
            }
        }
        endWord()
        return words
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default:
            let character = Character(scalar)
            return character.isLetter || character.isNumber
        }
    }

    static func similarity(_ a: Set<String>, _ b: Set<String>) -> Double {
        guard !a.isEmpty || !b.isEmpty else { return 1 }
        // The words in common, counted without building their set.
        let (smaller, larger) = a.count <= b.count ? (a, b) : (b, a)
        var common = 0
        for word in smaller where larger.contains(word) { common += 1 }
        return 2 * Double(common) / Double(a.count + b.count)
    }

    /// Whether a line starts with a list marker: a symbol (`•`, `-`, `*`) or up to four letters or digits
    /// followed by `.` or `)` (`1.`, `b)`, `iv.`), and a space.
    static func hasListMarker(_ line: String) -> Bool {
        let rest = line.drop { $0 == " " || $0 == "\t" }
        guard let space = rest.firstIndex(of: " ") else { return false }
        let marker = rest[..<space].drop { $0 == "(" }
        guard !marker.isEmpty else { return false }
        if marker.allSatisfy({ !$0.isLetter && !$0.isNumber }) { return true }
        return marker.count > 1 && marker.count <= 5 && (marker.last == "." || marker.last == ")")
            && marker.dropLast().allSatisfy { $0.isLetter || $0.isNumber }
    }

    static func align(original: [String], new: [String]) -> [Step] {
        let originalKeys = original.map(normalized)
        let newKeys = new.map(normalized)
        // The shortest edit script compares each line with many others: it runs on numbers that stand for
        // the distinct lines (equal numbers for equal lines, as String's == has them), not on the strings.
        var numbers: [String: Int] = [:]
        numbers.reserveCapacity(originalKeys.count + newKeys.count)
        var originalNumbers: [Int] = []
        originalNumbers.reserveCapacity(originalKeys.count)
        func number(_ key: String) -> Int {
            let fresh = numbers.count
            return assigned(&numbers[key, default: fresh])
        }
        for key in originalKeys { originalNumbers.append(number(key)) }
        var newNumbers: [Int] = []
        newNumbers.reserveCapacity(newKeys.count)
        for key in newKeys { newNumbers.append(number(key)) }
        let difference = newNumbers.difference(from: originalNumbers)
        var removed = Set<Int>()
        var inserted = Set<Int>()
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        var steps: [Step] = []
        var i = 0
        var j = 0
        while i < original.count || j < new.count {
            var gapOriginal: [Int] = []
            var gapNew: [Int] = []
            while i < original.count && removed.contains(i) {
                gapOriginal.append(i)
                i += 1
            }
            while j < new.count && inserted.contains(j) {
                gapNew.append(j)
                j += 1
            }
            if !gapOriginal.isEmpty || !gapNew.isEmpty {
                steps.append(contentsOf: pair(gapOriginal, gapNew, original: original, new: new))
                continue
            }
            if i < original.count && j < new.count {
                steps.append(.keep(original: i, new: j))
                i += 1
                j += 1
            } else {
                // Both sides are exhausted together by construction; guard against a malformed difference.
                while i < original.count {
                    steps.append(.remove(original: i))
                    i += 1
                }
                while j < new.count {
                    steps.append(.add(new: j, movedFrom: nil))
                    j += 1
                }
            }
        }
        return markMoves(steps, original: originalKeys, new: newKeys)
    }

    /// The value behind `value`: through the dictionary's `default:` subscript, a key not yet there is
    /// added with one look-up.
    private static func assigned(_ value: inout Int) -> Int { value }

    /// Pairs the lines of one gap in order, maximising their similarity.
    private static func pair(_ olds: [Int], _ news: [Int], original: [String], new: [String]) -> [Step] {
        let n = olds.count
        let m = news.count
        guard n > 0, m > 0, n * m <= 90_000 else {
            return olds.map { .remove(original: $0) } + news.map { .add(new: $0, movedFrom: nil) }
        }
        // One line for one (most changes): both list items or both not, the two pair whatever their words
        // (the score below is then never `nil`), so the words need not be compared.
        if n == 1, m == 1, hasListMarker(original[olds[0]]) == hasListMarker(new[news[0]]) {
            return [.change(original: olds[0], new: news[0])]
        }
        let oldWords = olds.map { words(original[$0]) }
        let newWords = news.map { words(new[$0]) }
        let sameCount = n == m
        let oldMarkers = olds.map { hasListMarker(original[$0]) }
        let newMarkers = news.map { hasListMarker(new[$0]) }
        // As many lines on each side: they pair in order unless nothing ties them (few words in common and
        // one a list item, the other not), which makes them a removal and an addition.
        func score(_ a: Int, _ b: Int) -> Double? {
            let value = similarity(oldWords[a], newWords[b])
            if value >= 0.3 { return sameCount ? value + 0.01 : value }
            return sameCount && oldMarkers[a] == newMarkers[b] ? value + 0.01 : nil
        }
        // best[a][b]: the best total for olds[a...] and news[b...].
        var best = [Double](repeating: 0, count: (n + 1) * (m + 1))
        for a in stride(from: n, through: 0, by: -1) {
            for b in stride(from: m, through: 0, by: -1) where a < n || b < m {
                var value = 0.0
                if a < n { value = max(value, best[(a + 1) * (m + 1) + b]) }
                if b < m { value = max(value, best[a * (m + 1) + b + 1]) }
                if a < n, b < m, let s = score(a, b) { value = max(value, s + best[(a + 1) * (m + 1) + b + 1]) }
                best[a * (m + 1) + b] = value
            }
        }
        var steps: [Step] = []
        var a = 0
        var b = 0
        while a < n || b < m {
            if a < n, b < m, let s = score(a, b),
                abs(best[a * (m + 1) + b] - (s + best[(a + 1) * (m + 1) + b + 1])) < 1e-9
            {
                steps.append(.change(original: olds[a], new: news[b]))
                a += 1
                b += 1
            } else if a < n, abs(best[a * (m + 1) + b] - best[(a + 1) * (m + 1) + b]) < 1e-9 {
                steps.append(.remove(original: olds[a]))
                a += 1
            } else {
                steps.append(.add(new: news[b], movedFrom: nil))
                b += 1
            }
        }
        return steps
    }

    /// An added line equal to a removed one (anywhere) is that line moved.
    private static func markMoves(_ steps: [Step], original: [String], new: [String]) -> [Step] {
        var removedByKey: [String: [Int]] = [:]
        for step in steps {
            if case .remove(let index) = step, !original[index].isEmpty {
                removedByKey[original[index], default: []].append(index)
            }
        }
        guard !removedByKey.isEmpty else { return steps }
        return steps.map { step in
            guard case .add(let index, nil) = step, var candidates = removedByKey[new[index]], !candidates.isEmpty
            else { return step }
            let moved = candidates.removeFirst()
            removedByKey[new[index]] = candidates
            return .add(new: index, movedFrom: moved)
        }
    }
}
