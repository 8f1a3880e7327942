/// Primary (Reception to Year 6; evidence here uses Y1 to Y6) or secondary (Y7 to Y11, Y13 with a sixth form).
enum Phase: Sendable {
    case primary, secondary
}
