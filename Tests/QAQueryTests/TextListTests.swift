import Postgres
import QAQuery
import Testing

@Suite struct TextListTests {
    /// Array texts as PostgreSQL writes them (and two it never would), with whether each can be kept as its text.
    static let arrays: [(text: String, keptAsText: Bool)] = [
        ("{}", true), ("{EV1}", true), ("{EV1,EV2,EV3}", true), ("{Zoë,Ünï}", true), ("{a;b,c}", true),
        ("{\"a b\",c}", false), ("{NULL,x}", false), ("{\"NULL\",x}", false), ("{\"\",x}", false),
        ("{\"q\\\"uote\",x}", false), ("{\"back\\\\slash\"}", false), ("{E<2,x}", false), ("{\"line\nbreak\"}", false),
        ("{a\u{1}b}", false), ("{\"a,b\",c}", false), ("{a,}", false), ("not an array", false), ("", false),
    ]

    /// A list kept as PostgreSQL's text has the items the array parser reads, and is written in every format
    /// byte for byte as the same items kept as strings.
    @Test func aListKeptAsTextIsTheListOfItsItems() {
        for (text, keptAsText) in Self.arrays {
            let kept = TextList(arrayText: text), items = TextList(ArrayText.texts(text) ?? [])
            #expect(kept.isKeptAsText == keptAsText, "\(text)")
            #expect(kept.items == (ArrayText.texts(text) ?? []), "\(text)")
            #expect(kept == items && kept.hashValue == items.hashValue, "\(text)")
            #expect(kept.isEmpty == items.items.isEmpty, "\(text)")
            #expect(kept.joined == items.items.joined(separator: ";"), "\(text)")
            for format in [OutputFormat.json, .csv, .table] {
                func answer(_ list: TextList) -> [UInt8] {
                    format.bytes(ResultTable(columns: [Column("ids"), Column("n")], rows: [[.list(list), .integer(1)]]))
                }
                #expect(answer(kept) == answer(items), "\(format) \(text)")
            }
        }
        #expect(OutputFormat.json.render(ResultTable(columns: [Column("ids")], rows: [[.list(TextList(arrayText: "{EV1,EV2}"))]]))
            == "[\n  {\"ids\": [\"EV1\", \"EV2\"]}\n]\n")
        #expect(OutputFormat.csv.render(ResultTable(columns: [Column("ids")], rows: [[.list(TextList(arrayText: "{EV1,EV2}"))]]))
            == "ids\r\nEV1;EV2\r\n")
    }
}
