/// First names and surnames for staff and leaders: a mix seen in English schools,
/// including apostrophes, hyphens and accents so that readers and exporters meet them.
enum PeopleNames {
    static let first = [
        "Sarah", "James", "Emma", "David", "Laura", "Michael", "Rachel", "Daniel", "Hannah", "Thomas",
        "Sophie", "Matthew", "Charlotte", "Andrew", "Amy", "Christopher", "Rebecca", "Mark", "Jessica", "Paul",
        "Helen", "Richard", "Katie", "Joseph", "Lucy", "Samuel", "Emily", "Benjamin", "Claire", "Adam",
        "Priya", "Mohammed", "Aisha", "Imran", "Fatima", "Ravi", "Anjali", "Yusuf", "Amara", "Kwame",
        "Chloé", "Zoë", "Siobhán", "Niamh", "Seán", "Ciarán", "José", "Agnieszka", "Łukasz", "Oluwaseun",
        "Gemma", "Stephen", "Nicola", "Gareth", "Joanne", "Kieran", "Natalie", "Liam", "Victoria", "Owen",
    ]

    static let last = [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
        "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson",
        "Clarke", "Khan", "Ahmed", "Hussain", "Begum", "Singh", "Kaur", "Okafor", "Mensah", "Nowak",
        "O'Brien", "O'Connor", "McCarthy", "Smith-Jones", "Lloyd-Evans", "Hughes", "Edwards", "Turner", "Hill", "Moore",
        "Cooper", "Ward", "Morris", "King", "Baker", "Harris", "Clark", "Lewis", "Young", "Allen",
        "Mitchell", "Kelly", "Carter", "Phillips", "Shaw", "Lee", "Chen", "Nguyen", "Kowalski", "Adeyemi",
    ]

    static func full(_ rng: inout SplitMix64) -> String {
        "\(first[rng.below(first.count)]) \(last[rng.below(last.count)])"
    }
}
