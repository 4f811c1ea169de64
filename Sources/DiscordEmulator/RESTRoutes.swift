/// Discord's REST routes the emulator serves, relative to `/api/v10` (discord-protocol.md §6).
/// Bucket names match `RouteLimit.defaults`; the major parameter partitions each bucket.
enum RESTRoutes {
    static let all: [RESTRoute] = [
        // Gateway
        RESTRoute("GET", "gateway", bucket: "gateway", authentication: .none) { state, _ in
            state.gatewayInfo(gatewayURL: state.gatewayURLForClients)
        },
        RESTRoute("GET", "gateway/bot", bucket: "gateway") { state, request in
            state.gatewayBotInfo(gatewayURL: state.gatewayURLForClients, now: request.now)
        },
        // Users and the application
        RESTRoute("GET", "users/@me", bucket: "users", authentication: .botOrBearer) { $0.currentUser($1) },
        RESTRoute("GET", "users/@me/guilds", bucket: "users", authentication: .botOrBearer) {
            $0.currentUserGuilds($1)
        },
        RESTRoute("GET", "users/{user}", bucket: "users") { $0.getUser($1) },
        RESTRoute("POST", "users/@me/channels", bucket: "dm.create") { try $0.createDirectMessageChannel($1) },
        RESTRoute("GET", "oauth2/@me", bucket: "oauth2", authentication: .botOrBearer) { $0.currentAuthorization($1) },
        RESTRoute("GET", "oauth2/applications/@me", bucket: "oauth2") { state, _ in state.currentApplication() },
        RESTRoute("GET", "applications/@me", bucket: "oauth2") { state, _ in state.currentApplication() },
        RESTRoute("POST", "oauth2/token", bucket: "oauth2", authentication: .none) { $0.oauthToken($1) },
        RESTRoute("POST", "oauth2/token/revoke", bucket: "oauth2", authentication: .none) { $0.oauthRevoke($1) },
        // Application commands
        RESTRoute("GET", "applications/{application}/commands", bucket: "commands") { $0.getCommands($1) },
        RESTRoute("PUT", "applications/{application}/commands", bucket: "commands") { $0.overwriteCommands($1) },
        // Guilds
        RESTRoute("GET", "guilds/{guild}", bucket: "guilds.read", major: ["guild"]) { try $0.getGuild($1) },
        RESTRoute("GET", "guilds/{guild}/channels", bucket: "guilds.read", major: ["guild"]) {
            try $0.getGuildChannels($1)
        },
        RESTRoute("POST", "guilds/{guild}/channels", bucket: "channels.create", major: ["guild"]) {
            try $0.createGuildChannel($1)
        },
        RESTRoute("GET", "guilds/{guild}/roles", bucket: "guilds.read", major: ["guild"]) { try $0.getGuildRoles($1) },
        RESTRoute("GET", "guilds/{guild}/members/search", bucket: "guilds.read", major: ["guild"]) {
            try $0.searchGuildMembers($1)
        },
        RESTRoute("GET", "guilds/{guild}/members/{user}", bucket: "guilds.read", major: ["guild"]) {
            try $0.getGuildMember($1)
        },
        // Channels
        RESTRoute("GET", "channels/{channel}", bucket: "channels.read", major: ["channel"]) { try $0.getChannel($1) },
        RESTRoute("PATCH", "channels/{channel}", bucket: "channels.modify", major: ["channel"]) {
            try $0.modifyChannel($1)
        },
        RESTRoute("DELETE", "channels/{channel}", bucket: "channels.delete", major: ["channel"]) {
            try $0.deleteChannel($1)
        },
        RESTRoute(
            "PUT", "channels/{channel}/permissions/{overwrite}", bucket: "channels.permissions", major: ["channel"]
        ) {
            try $0.editChannelOverwrite($1)
        },
        RESTRoute(
            "DELETE", "channels/{channel}/permissions/{overwrite}", bucket: "channels.permissions", major: ["channel"]
        ) {
            try $0.deleteChannelOverwrite($1)
        },
        // Messages
        RESTRoute("GET", "channels/{channel}/messages", bucket: "messages.list", major: ["channel"]) {
            try $0.listMessages($1)
        },
        RESTRoute("POST", "channels/{channel}/messages", bucket: "messages.create", major: ["channel"]) {
            try $0.createMessage($1)
        },
        RESTRoute("POST", "channels/{channel}/messages/bulk-delete", bucket: "messages.delete", major: ["channel"]) {
            try $0.bulkDeleteMessages($1)
        },
        RESTRoute("GET", "channels/{channel}/messages/{message}", bucket: "messages.list", major: ["channel"]) {
            try $0.getMessage($1)
        },
        RESTRoute("PATCH", "channels/{channel}/messages/{message}", bucket: "messages.modify", major: ["channel"]) {
            try $0.editMessage($1)
        },
        RESTRoute("DELETE", "channels/{channel}/messages/{message}", bucket: "messages.delete", major: ["channel"]) {
            try $0.deleteMessage($1)
        },
        // Interactions: no bot authorization and exempt from the global limit.
        RESTRoute(
            "POST", "interactions/{interaction}/{token}/callback", bucket: "interactions.callback",
            major: ["interaction"], authentication: .none, countsTowardGlobal: false, sendsRateLimitHeaders: false
        ) { $0.interactionCallback($1) },
        RESTRoute(
            "POST", "webhooks/{application}/{token}", bucket: "webhooks", major: ["application", "token"],
            authentication: .none, countsTowardGlobal: false
        ) { try $0.createFollowUp($1) },
        RESTRoute(
            "GET", "webhooks/{application}/{token}/messages/@original", bucket: "webhooks",
            major: ["application", "token"], authentication: .none, countsTowardGlobal: false
        ) { try $0.getOriginalResponse($1) },
        RESTRoute(
            "PATCH", "webhooks/{application}/{token}/messages/@original", bucket: "webhooks",
            major: ["application", "token"], authentication: .none, countsTowardGlobal: false
        ) { try $0.editOriginalResponse($1) },
        RESTRoute(
            "DELETE", "webhooks/{application}/{token}/messages/@original", bucket: "webhooks",
            major: ["application", "token"], authentication: .none, countsTowardGlobal: false
        ) { try $0.deleteOriginalResponse($1) },
        RESTRoute(
            "GET", "webhooks/{application}/{token}/messages/{message}", bucket: "webhooks",
            major: ["application", "token"], authentication: .none, countsTowardGlobal: false
        ) { try $0.getFollowUp($1) },
        RESTRoute(
            "PATCH", "webhooks/{application}/{token}/messages/{message}", bucket: "webhooks",
            major: ["application", "token"], authentication: .none, countsTowardGlobal: false
        ) { try $0.editFollowUp($1) },
        RESTRoute(
            "DELETE", "webhooks/{application}/{token}/messages/{message}", bucket: "webhooks",
            major: ["application", "token"], authentication: .none, countsTowardGlobal: false
        ) { try $0.deleteFollowUp($1) },
    ]
}
