/// Converts Windows-1252 bytes to UTF-8. Every byte value converts.
enum Windows1252 {
    /// Unicode scalars for 0x80...0x9F. The five holes in the code page (0x81, 0x8D, 0x8F, 0x90, 0x9D)
    /// map to the C1 controls of the same value, as the WHATWG Encoding Standard specifies.
    static let high: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// The Unicode scalar value for one byte.
    static func scalar(_ byte: UInt8) -> UInt32 {
        (0x80...0x9F).contains(byte) ? high[Int(byte - 0x80)] : UInt32(byte)
    }

    /// Writes the UTF-8 form of `count` bytes at `source` to `target` (room for 3 bytes per input byte
    /// needed) and returns the number of bytes written.
    static func convert(_ source: UnsafePointer<UInt8>, count: Int, into target: UnsafeMutablePointer<UInt8>) -> Int {
        var out = 0
        for i in 0..<count {
            let b = source[i]
            if b < 0x80 {
                target[out] = b
                out &+= 1
                continue
            }
            let s = scalar(b)
            if s < 0x800 {
                target[out] = UInt8(0xC0 | (s >> 6))
                target[out + 1] = UInt8(0x80 | (s & 0x3F))
                out &+= 2
            } else {
                target[out] = UInt8(0xE0 | (s >> 12))
                target[out + 1] = UInt8(0x80 | ((s >> 6) & 0x3F))
                target[out + 2] = UInt8(0x80 | (s & 0x3F))
                out &+= 3
            }
        }
        return out
    }
}
