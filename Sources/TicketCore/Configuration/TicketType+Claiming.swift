extension TicketType {
    /// What claiming a ticket of this type does to the rest of its staff.
    public enum ClaimMode: String, Sendable, Hashable, Codable, CaseIterable {
        /// The claimer is shown; every staff member still sees and writes.
        case everyoneWrites = "everyone_writes"
        /// Every staff member still sees it, but only the claimer (and the opener) write.
        case claimerWrites = "claimer_writes"
        /// Only the claimer (and the opener, and members added) see it.
        case claimerOnly = "claimer_only"

        public var label: String {
            switch self {
            case .everyoneWrites: "Everyone on the staff sees and writes"
            case .claimerWrites: "Everyone on the staff sees; only the claimer writes"
            case .claimerOnly: "Only the claimer sees it"
            }
        }
    }

    public var claimMode: ClaimMode {
        get { claimModeStorage ?? .everyoneWrites }
        set { claimModeStorage = newValue == .everyoneWrites ? nil : newValue }
    }
}
