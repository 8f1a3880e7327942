import Postgres

/// A list of texts in an answer's cell (cpd-needs' evidence ids behind a flag).
///
/// Made from PostgreSQL's text form of an array, a list whose items need no quoting there or escaping in JSON
/// (evidence ids nearly always) keeps that text and is written from it: at 3 million records a year's staff
/// flags list 2.5 million ids, and making a string of each, then writing each, was 0.4 s of the client's
/// 0.67 s on the path to the answer. Any other list is kept as its items.
public struct TextList: Sendable, Hashable, ExpressibleByArrayLiteral {
    private enum Storage: Sendable {
        case items([String])
        /// The array's text between its braces: items separated by commas, none with a quote, backslash, `<`,
        /// control byte or brace, none NULL (`plain(_:)`).
        case plain(String)
    }

    private let storage: Storage

    public init(_ items: [String]) { storage = .items(items) }

    public init(arrayLiteral items: String...) { self.init(items) }

    /// The non-NULL items of a one-dimensional text array's text form (`{a,"b c",NULL}`); none when the text is
    /// not an array.
    public init(arrayText literal: String) {
        if let inner = TextList.plain(literal) {
            storage = .plain(inner)
        } else {
            storage = .items(ArrayText.texts(literal) ?? [])
        }
    }

    public var items: [String] {
        switch storage {
        case .items(let items): items
        case .plain(let inner): inner.isEmpty ? [] : inner.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
    }

    public var isEmpty: Bool {
        switch storage {
        case .items(let items): items.isEmpty
        case .plain(let inner): inner.isEmpty
        }
    }

    /// The items joined with ";": the list's text in tables and CSV.
    public var joined: String {
        var out: [UInt8] = []
        appendJoined(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func == (a: TextList, b: TextList) -> Bool {
        if case .plain(let x) = a.storage, case .plain(let y) = b.storage { return x == y }
        return a.items == b.items
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(items) }

    /// Appends the list as JSON (`["a", "b"]`): a list kept as items, each escaped where it needs to be.
    func appendJSON(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        switch storage {
        case .items(let items):
            for (n, text) in items.enumerated() {
                if n > 0 { out.append(contentsOf: ", ".utf8) }
                JSONText.appendString(text, to: &out)
            }
        case .plain(let inner):
            TextList.forEachItem(of: inner) { n, bytes in
                out.append(contentsOf: n > 0 ? separator : quote)
                out.append(contentsOf: bytes)
            }
            if !inner.isEmpty { out.append(contentsOf: quote) }
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Appends the items joined with ";", as they are (a plain list's need no quoting in CSV: none has a comma,
    /// quote or line break).
    func appendJoined(to out: inout [UInt8]) {
        switch storage {
        case .items(let items):
            for (n, item) in items.enumerated() {
                if n > 0 { out.append(semicolon) }
                out.append(contentsOf: item.utf8)
            }
        case .plain(let inner):
            TextList.forEachItem(of: inner) { n, bytes in
                if n > 0 { out.append(semicolon) }
                out.append(contentsOf: bytes)
            }
        }
    }

    /// Whether the list is kept as PostgreSQL's text and written from it, with no string made per item.
    public var isKeptAsText: Bool { keptItems == nil }

    /// The list kept as items, or nil when it is kept as text.
    var keptItems: [String]? {
        if case .items(let items) = storage { return items }
        return nil
    }

    /// Calls `body` with each item's number and bytes, the items of plain text between braces.
    private static func forEachItem(of inner: String, _ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
        var inner = inner
        inner.withUTF8 { bytes in
            guard !bytes.isEmpty else { return }
            var start = 0, n = 0
            while let end = bytes[start...].firstIndex(of: comma) {
                body(n, UnsafeBufferPointer(rebasing: bytes[start..<end]))
                start = end + 1
                n += 1
            }
            body(n, UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }

    /// The text between the braces when every item is plain: unquoted by PostgreSQL (no comma, quote,
    /// backslash, brace or white space in it, not empty) and not NULL, with no `<` or control byte, which JSON
    /// escapes.
    static func plain(_ literal: String) -> String? {
        var literal = literal
        return literal.withUTF8 { bytes -> String? in
            guard bytes.count >= 2, bytes[0] == UInt8(ascii: "{"), bytes[bytes.count - 1] == UInt8(ascii: "}") else {
                return nil
            }
            let inner = UnsafeBufferPointer(rebasing: bytes[1..<(bytes.count - 1)])
            var itemStart = 0
            for (i, byte) in inner.enumerated() {
                if byte == comma {
                    guard isPlainItem(inner, from: itemStart, to: i) else { return nil }
                    itemStart = i + 1
                } else if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
                    || byte == UInt8(ascii: "<") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") {
                    return nil
                }
            }
            guard inner.isEmpty || isPlainItem(inner, from: itemStart, to: inner.count) else { return nil }
            return String(decoding: inner, as: UTF8.self)
        }
    }

    /// An item between two commas: not empty, not NULL, no space (PostgreSQL quotes an item with one).
    private static func isPlainItem(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        guard end > start else { return false }
        let item = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if item.contains(UInt8(ascii: " ")) { return false }
        return !(item.count == 4 && item.elementsEqual("NULL".utf8))
    }
}

private let comma = UInt8(ascii: ","), semicolon = UInt8(ascii: ";")
/// A JSON list's opening quote of its first item, and what stands between two items.
private let quote = Array("\"".utf8), separator = Array("\", \"".utf8)

extension TextList: CustomStringConvertible {
    public var description: String { joined }
}

extension TextList: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([String].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(items)
    }
}
