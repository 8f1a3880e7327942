/// Finds the first byte that is not well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
/// nothing above U+10FFFF). ASCII is checked eight bytes at a time.
enum UTF8Validation {
    enum Result: Equatable {
        /// Every byte before `completeEnd` is valid; the bytes after it start a sequence cut off by the
        /// end of the buffer (only when `isFinal` is false).
        case valid(completeEnd: Int)
        case invalid(at: Int)
    }

    static func check(_ p: UnsafePointer<UInt8>, count n: Int, isFinal: Bool) -> Result {
        var i = 0
        while i < n {
            while i &+ 8 <= n {
                let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                i &+= 8
            }
            if i >= n { break }
            let lead = p[i]
            if lead < 0x80 { i &+= 1; continue }
            let need: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; high = 0x9F
            case 0xF0: need = 3; low = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; high = 0x8F
            default: return .invalid(at: i)
            }
            var k = 1
            while k <= need {
                guard i + k < n else {
                    return isFinal ? .invalid(at: i) : .valid(completeEnd: i)
                }
                let b = p[i + k]
                let ok = k == 1 ? (b >= low && b <= high) : (b & 0xC0 == 0x80)
                if !ok { return .invalid(at: i) }
                k += 1
            }
            i &+= need &+ 1
        }
        return .valid(completeEnd: n)
    }
}
