import Postgres

/// Reads PostgreSQL's text form of a one-dimensional text array, `{a,"b c",NULL}`: the elements, NULLs left
/// out; nothing when the text is not an array.
enum PostgresArray {
    static func texts(_ literal: String) -> [String] {
        ArrayText.texts(literal) ?? []
    }
}
