import DiscordModels

/// An error response the emulator sends, in Discord's shape, with the status Discord uses for it.
struct DiscordAPIError: Error, Sendable {
    var status: Int
    var body: DiscordErrorBody

    init(status: Int, code: Int, message: String, fieldErrors: [DiscordErrorBody.FieldError] = []) {
        self.status = status
        self.body = DiscordErrorBody(code: code, message: message, fieldErrors: fieldErrors)
    }

    static let unauthorized = DiscordAPIError(status: 401, code: 0, message: "401: Unauthorized")
    static let notFound = DiscordAPIError(status: 404, code: 0, message: "404: Not Found")
    static let methodNotAllowed = DiscordAPIError(status: 405, code: 0, message: "405: Method Not Allowed")
    static let unknownChannel = DiscordAPIError(status: 404, code: 10003, message: "Unknown Channel")
    static let unknownGuild = DiscordAPIError(status: 404, code: 10004, message: "Unknown Guild")
    static let unknownMember = DiscordAPIError(status: 404, code: 10007, message: "Unknown Member")
    static let unknownMessage = DiscordAPIError(status: 404, code: 10008, message: "Unknown Message")
    static let unknownOverwrite = DiscordAPIError(status: 404, code: 10009, message: "Unknown Overwrite")
    static let unknownRole = DiscordAPIError(status: 404, code: 10011, message: "Unknown Role")
    static let unknownUser = DiscordAPIError(status: 404, code: 10013, message: "Unknown User")
    static let unknownWebhook = DiscordAPIError(status: 404, code: 10015, message: "Unknown Webhook")
    static let unknownApplication = DiscordAPIError(status: 404, code: 10002, message: "Unknown Application")
    static let unknownInteraction = DiscordAPIError(status: 404, code: 10062, message: "Unknown interaction")
    static let maximumGuildChannels = DiscordAPIError(
        status: 400, code: 30013, message: "Maximum number of guild channels reached (500)")
    static let alreadyAcknowledged = DiscordAPIError(
        status: 400, code: 40060, message: "Interaction has already been acknowledged.")
    static let missingAccess = DiscordAPIError(status: 403, code: 50001, message: "Missing Access")
    static let cannotEditOthersMessage = DiscordAPIError(
        status: 403, code: 50005, message: "Cannot edit a message authored by another user")
    static let emptyMessage = DiscordAPIError(status: 400, code: 50006, message: "Cannot send an empty message")
    static let missingPermissions = DiscordAPIError(status: 403, code: 50013, message: "Missing Permissions")
    static let invalidWebhookToken = DiscordAPIError(status: 401, code: 50027, message: "Invalid Webhook Token")
    static let invalidJSON = DiscordAPIError(
        status: 400, code: 50109, message: "The request body contains invalid JSON.")
    static let requestTooLarge = DiscordAPIError(status: 413, code: 40005, message: "Request entity too large")

    static func invalidFormBody(_ problems: [DiscordErrorBody.FieldError]) -> DiscordAPIError {
        DiscordAPIError(status: 400, code: 50035, message: "Invalid Form Body", fieldErrors: problems)
    }

    static func invalidFormBody(path: String, code: String, message: String) -> DiscordAPIError {
        invalidFormBody([DiscordErrorBody.FieldError(path: path, code: code, message: message)])
    }
}
