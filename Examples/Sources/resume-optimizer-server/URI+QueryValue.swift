import HummingbirdCore

extension URI {
    /// The first value of the query parameter `name`, as ``queryParameters`` gives it, without building
    /// the whole parameter map (the status poll reads one or two parameters on every request).
    ///
    /// A value with a percent escape comes from ``queryParameters``, which decodes it.
    func queryValue(_ name: String) -> Substring? {
        let text = string
        let utf8 = text.utf8
        guard let mark = utf8.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        var start = utf8.index(after: mark)
        while start < utf8.endIndex {
            let end = utf8[start...].firstIndex(of: UInt8(ascii: "&")) ?? utf8.endIndex
            let item = text[start..<end]
            let equals = item.utf8.firstIndex(of: UInt8(ascii: "="))
            let key = equals.map { item[..<$0] } ?? item
            if key == name {
                guard let equals else { return "" }
                let value = item[item.utf8.index(after: equals)...]
                return value.utf8.contains(UInt8(ascii: "%")) ? queryParameters[Substring(name)] : value
            }
            start = end == utf8.endIndex ? end : utf8.index(after: end)
        }
        return nil
    }
}
