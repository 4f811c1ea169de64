public import DiscordModels

/// `/ticket-setup`, as a pure state machine (see `CloseWorkflow`): only administrators; the command's ID is
/// stored first (a replay after a crash posts no second panel), the command acknowledged privately, the panel
/// posted, and the private reply removed, so the command leaves nothing behind but the panel. When Discord
/// refuses the panel, the admin is told what to grant, and the staff log says so.
public struct SetupWorkflow: Sendable {
    public enum Effect: Sendable, Hashable {
        /// Answer privately and stop (the member may not set up the panel).
        case refuse(String)
        /// Store that this interaction was handled.
        case storeCommand
        /// The deferred private acknowledgement.
        case acknowledge
        case postPanel(ChannelID)
        /// Remove the "thinking…" reply once the panel is up.
        case deleteReply
        case auditSetup(by: UserID, in: ChannelID)
        /// Replace the deferred reply with this text.
        case tellAdmin(String)
        case reportProblem(title: String, detail: String)
    }

    public enum Outcome: Sendable, Equatable {
        case succeeded
        case failed
        case refused(DiscordRESTError)
    }

    private enum Stage: Sendable { case storing, acknowledging, posting, finishing }

    public let userID: UserID
    public let channelID: ChannelID
    private var stage = Stage.storing
    private var queue: [Effect] = []

    public static let adminsOnly = "Only server administrators can set up the ticket panel."

    /// The first effect; a member without Administrator is refused (Discord hides the command from them by
    /// default, but a server can change that).
    public static func begin(
        userID: UserID, channelID: ChannelID, permissions: Permissions?
    ) -> (
        SetupWorkflow, Effect
    ) {
        let workflow = SetupWorkflow(userID: userID, channelID: channelID)
        guard permissions?.contains(.administrator) == true else {
            var refused = workflow
            refused.stage = .finishing
            return (refused, .refuse(adminsOnly))
        }
        return (workflow, .storeCommand)
    }

    private init(userID: UserID, channelID: ChannelID) {
        self.userID = userID
        self.channelID = channelID
    }

    public mutating func next(after outcome: Outcome) -> Effect? {
        switch stage {
        case .storing:
            // Stored or not, the command goes on (a failed write is retried with the next change).
            stage = .acknowledging
            return .acknowledge
        case .acknowledging:
            guard outcome == .succeeded else { return finish() }  // the interaction is gone; nobody to tell
            stage = .posting
            return .postPanel(channelID)
        case .posting:
            stage = .finishing
            if case .refused(let error) = outcome {
                let text =
                    error.kind == .missingPermissions || error.kind == .missingAccess
                    ? "I can't post in this channel: give me **View Channel**, **Send Messages** and **Embed Links** here, then run `/ticket-setup` again."
                    : "Posting the panel failed (\(error.message)). Please try again."
                queue = [
                    .tellAdmin(text),
                    .reportProblem(
                        title: "Ticket panel could not be posted", detail: "<#\(channelID)>: \(error.message)"),
                ]
            } else {
                queue = [.deleteReply, .auditSetup(by: userID, in: channelID)]
            }
            return queue.isEmpty ? nil : queue.removeFirst()
        case .finishing:
            return queue.isEmpty ? finish() : queue.removeFirst()
        }
    }

    private mutating func finish() -> Effect? {
        stage = .finishing
        queue = []
        return nil
    }
}
