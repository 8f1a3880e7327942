/// Plausible English academy names, unique within a trust.
enum SchoolNames {
    static let places = [
        "Oakfield", "Riverside", "Meadowbank", "Hillcrest", "Brookside", "Ashgrove", "Elmwood", "Fairfield",
        "Kingsmead", "Westfield", "Northgate", "Southlands", "Beechwood", "Willowbrook", "Highfield", "Greenacres",
        "Thornbury", "Millbrook", "Castlefield", "Parkside", "Lakeside", "Woodlands", "Broadoak", "Hawthorn",
        "Chestnut Grove", "Harbour View", "Moorside", "Stonebridge", "Redhill", "Cherry Tree", "Foxhill", "Kingfisher",
        "Bramley", "Ravensworth", "Ashton Vale", "Priory", "Abbey Fields", "Orchard", "Windmill Hill", "Seacroft",
    ]

    /// Saints' names for church schools: "St Mary's CE Primary".
    static let saints = ["St Mary's", "St John's", "St Peter's", "St Joseph's", "St Anne's", "St Michael's",
                         "St Thomas'", "Holy Trinity", "St Bede's", "St Chad's", "All Saints", "St Luke's"]

    static let primaryPatterns = ["Primary School", "Primary Academy", "Academy", "Community Primary",
                                  "Infant & Junior School", "Junior School"]
    static let churchPrimaryPatterns = ["CE Primary", "Catholic Primary School", "CE Primary Academy", "RC Primary"]
    static let secondaryPatterns = ["Academy", "High School", "School", "College", "Community School"]
    static let churchSecondaryPatterns = ["Catholic High School", "CE Academy", "Catholic College"]

    static func draw(phase: Phase, _ rng: inout SplitMix64) -> String {
        let church = rng.chance(0.2)
        let place = church ? saints[rng.below(saints.count)] : places[rng.below(places.count)]
        let patterns: [String] = switch (phase, church) {
        case (.primary, false): primaryPatterns
        case (.primary, true): churchPrimaryPatterns
        case (.secondary, false): secondaryPatterns
        case (.secondary, true): churchSecondaryPatterns
        }
        return "\(place) \(patterns[rng.below(patterns.count)])"
    }
}
