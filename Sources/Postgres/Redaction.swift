import Foundation

/// Keeps passwords out of messages: libpq sometimes echoes parts of the connection string.
public enum Redaction {
    /// Replaces every password found in `conninfo` (keyword form `password=...` or a URI's
    /// `user:password@` and `?password=`) with `***` wherever it appears in `message`.
    public static func redact(_ message: String, conninfo: String) -> String {
        var out = message
        for secret in passwords(in: conninfo) where !secret.isEmpty {
            out = out.replacingOccurrences(of: secret, with: "***")
        }
        return out
    }

    /// True when a connection string holds a password (keyword `password=` or a URI's `user:password@`).
    public static func containsPassword(_ conninfo: String) -> Bool {
        passwords(in: conninfo).contains { !$0.isEmpty }
    }

    static func passwords(in conninfo: String) -> [String] {
        var found: [String] = []
        // URI user info: scheme://user:password@host
        if let scheme = conninfo.range(of: "://") {
            let rest = conninfo[scheme.upperBound...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                let encoded = String(authority[authority.index(after: colon)..<at])
                found.append(encoded)
                found.append(encoded.removingPercentEncoding ?? encoded)
            }
        }
        // password=value in keyword form or as a URI query parameter.
        var search = conninfo[...]
        while let r = search.range(of: "password") {
            var i = r.upperBound
            while i < search.endIndex, search[i] == " " { i = search.index(after: i) }
            guard i < search.endIndex, search[i] == "=" else { search = search[r.upperBound...]; continue }
            i = search.index(after: i)
            while i < search.endIndex, search[i] == " " { i = search.index(after: i) }
            var value = ""
            if i < search.endIndex, search[i] == "'" {
                i = search.index(after: i)
                while i < search.endIndex, search[i] != "'" {
                    if search[i] == "\\", search.index(after: i) < search.endIndex { i = search.index(after: i) }
                    value.append(search[i])
                    i = search.index(after: i)
                }
            } else {
                while i < search.endIndex, search[i] != " ", search[i] != "&" {
                    value.append(search[i])
                    i = search.index(after: i)
                }
            }
            found.append(value)
            found.append(value.removingPercentEncoding ?? value)
            search = search[i...]
        }
        return found
    }
}

