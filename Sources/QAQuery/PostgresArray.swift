/// Reads PostgreSQL's text form of a one-dimensional text array, `{a,"b c",NULL}`.
enum PostgresArray {
    static func texts(_ literal: String) -> [String] {
        var out: [String] = []
        var chars = Array(literal)
        guard chars.first == "{", chars.last == "}" else { return [] }
        chars = Array(chars.dropFirst().dropLast())
        var i = 0
        while i < chars.count {
            var item = ""
            if chars[i] == "\"" {
                i += 1
                while i < chars.count, chars[i] != "\"" {
                    if chars[i] == "\\", i + 1 < chars.count { i += 1 }
                    item.append(chars[i])
                    i += 1
                }
                i += 1
                out.append(item)
            } else {
                while i < chars.count, chars[i] != "," { item.append(chars[i]); i += 1 }
                if item != "NULL" { out.append(item) }
            }
            i += 1 // the comma
        }
        return out
    }
}
