/// The subjects a school of each phase teaches, with how often each is the focus of QA:
/// English and maths are looked at far more than music or drama.
enum SubjectCatalogue {
    static let primary: [(String, Double)] = [
        ("English", 8), ("Maths", 8), ("Science", 4), ("History", 2), ("Geography", 2),
        ("Art", 1.5), ("Music", 1.2), ("PE", 1.5), ("Computing", 1.5), ("French", 1),
        ("RE", 1.2), ("DT", 1), ("PSHE", 1), ("Phonics", 3),
    ]

    static let secondary: [(String, Double)] = [
        ("English", 8), ("Maths", 8), ("Science", 7), ("History", 3), ("Geography", 3),
        ("Art", 1.5), ("Music", 1), ("PE", 2), ("Computing", 2), ("French", 2), ("Spanish", 1.5),
        ("RE", 1.5), ("DT", 1.5), ("Drama", 1), ("Business Studies", 1), ("Sociology", 0.8),
    ]

    static func subjects(for phase: Phase) -> [(String, Double)] {
        phase == .primary ? primary : secondary
    }
}
