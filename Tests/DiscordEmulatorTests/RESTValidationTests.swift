import DiscordEmulator
import DiscordModels
import EmulatorTestSupport
import Foundation
import Testing

@Suite("REST: validation, errors and permissions")
struct RESTValidationTests {
    @Test("a channel without a name, with a bad type and an unknown category gets 50035 with every field path")
    func createChannelValidation() async throws {
        try await EmulatorHarness.run { harness in
            let guild = try #require(try await harness.guilds().first)
            let response = try await harness.api(
                .POST, "/guilds/\(guild.id)/channels",
                json: #"{"type":99,"parent_id":"123","permission_overwrites":[{"id":"1","type":7}]}"#)
            #expect(response.status == 400)
            let error = try #require(response.error)
            #expect(error.code == 50035)
            #expect(error.message == "Invalid Form Body")
            let paths = Set(error.fieldErrors.map(\.path))
            #expect(paths == ["name", "type", "parent_id", "permission_overwrites.0.type"])
            #expect(error.fieldErrors.first { $0.path == "name" }?.code == "BASE_TYPE_REQUIRED")
        }
    }

    @Test("text channel names are normalised the way Discord does; categories keep theirs")
    func channelNameNormalisation() async throws {
        try await EmulatorHarness.run { harness in
            let guild = try #require(try await harness.guilds().first)
            let text = try await harness.api(
                .POST, "/guilds/\(guild.id)/channels", json: #"{"name":"Joey's   Cool Channel!"}"#)
            #expect(text.status == 201)
            #expect(try text.decode(Channel.self).name == "joeys-cool-channel")
            let category = try await harness.api(
                .POST, "/guilds/\(guild.id)/channels", json: #"{"name":"Open Tickets","type":4}"#)
            #expect(try category.decode(Channel.self).name == "Open Tickets")
        }
    }

    @Test("messages: content, embed and component limits each reported at their path; empty messages get 50006")
    func messageValidation() async throws {
        try await EmulatorHarness.run { harness in
            let guild = try #require(try await harness.guilds().first)
            let channel = try #require(guild.channel(named: "general"))
            let longContent = String(repeating: "a", count: 2001)
            let longTitle = String(repeating: "t", count: 257)
            let body = """
                {"content":"\(longContent)","embeds":[{"title":"\(longTitle)","fields":[{"name":"n"}]}],
                 "components":[{"type":1,"components":[
                   {"type":2,"style":1,"label":"A","custom_id":"same"},
                   {"type":2,"style":1,"label":"B","custom_id":"same"},
                   {"type":2,"style":5,"label":"C"}]}]}
                """
            let response = try await harness.api(.POST, "/channels/\(channel.id)/messages", json: body)
            let error = try #require(response.error)
            #expect(error.code == 50035)
            #expect(
                Set(error.fieldErrors.map(\.path)) == [
                    "content", "embeds.0.title", "embeds.0.fields.0.value", "components.0.components.1.custom_id",
                    "components.0.components.2.url",
                ])
            let empty = try await harness.api(.POST, "/channels/\(channel.id)/messages", json: #"{"content":""}"#)
            #expect(empty.status == 400)
            #expect(empty.error?.code == 50006)
            #expect(empty.error?.message == "Cannot send an empty message")
        }
    }

    @Test("malformed JSON gets 50109; a wrong Content-Type gets 50035; unknown routes get 404; bad tokens get 401")
    func malformedRequests() async throws {
        try await EmulatorHarness.run { harness in
            let guild = try #require(try await harness.guilds().first)
            let channel = try #require(guild.channel(named: "general"))
            let broken = try await harness.api(.POST, "/channels/\(channel.id)/messages", json: #"{"content": "#)
            #expect(broken.status == 400)
            #expect(broken.error?.code == 50109)
            let wrongType = try await harness.request(
                .POST, "/api/v10/channels/\(channel.id)/messages", contentType: "text/plain", body: "hello")
            #expect(wrongType.status == 400)
            #expect(wrongType.error?.code == 50035)
            let unknown = try await harness.api(.GET, "/no/such/route")
            #expect(unknown.status == 404)
            #expect(unknown.error?.message == "404: Not Found")
            let unauthorized = try await harness.api(.GET, "/users/@me", authorization: "Bot bm90.a.token")
            #expect(unauthorized.status == 401)
            #expect(unauthorized.error?.message == "401: Unauthorized")
            let record = try await harness.control(.GET, "/records/rate-limits")
            #expect(record.json?["invalid_requests_last_10_minutes"]?.intValue == 1)
        }
    }

    @Test("the bot gets 50001 where it cannot see and 50013 where it lacks a permission")
    func botPermissionErrors() async throws {
        try await EmulatorHarness.run { harness in
            let guild = try #require(try await harness.guilds().first)
            let hidden = try await harness.control(
                .POST, "/guilds/\(guild.id)/channels",
                json: #"{"name":"secret","permission_overwrites":[{"id":"\#(guild.id)","type":0,"deny":"1024"}]}"#
            ).decode(Channel.self)
            let missingAccess = try await harness.api(.GET, "/channels/\(hidden.id)")
            #expect(missingAccess.status == 403)
            #expect(missingAccess.error?.code == 50001)
            #expect(missingAccess.error?.message == "Missing Access")

            let botRole = try #require(guild.role(named: "Aetheria"))
            _ = try await harness.control(
                .PATCH, "/guilds/\(guild.id)/roles/\(botRole.id)",
                json: #"{"permissions":"\#(Permissions.viewChannel.union(.sendMessages).rawValue)"}"#)
            let missingPermissions = try await harness.api(
                .POST, "/guilds/\(guild.id)/channels", json: #"{"name":"ticket-1"}"#)
            #expect(missingPermissions.status == 403)
            #expect(missingPermissions.error?.code == 50013)
            #expect(missingPermissions.error?.message == "Missing Permissions")
        }
    }

    @Test("overwrites may only grant what the bot has; a full category refuses the 51st channel")
    func overwriteAndCategoryLimits() async throws {
        try await EmulatorHarness.run { harness in
            let guild = try #require(try await harness.guilds().first)
            let grantsAdministrator = try await harness.api(
                .POST, "/guilds/\(guild.id)/channels",
                json: #"{"name":"x","permission_overwrites":[{"id":"\#(guild.id)","type":0,"allow":"8"}]}"#)
            #expect(grantsAdministrator.error?.code == 50013)

            let category = try await harness.api(
                .POST, "/guilds/\(guild.id)/channels", json: #"{"name":"Tickets","type":4}"#
            )
            .decode(Channel.self)
            for _ in 0..<50 {
                _ = try await harness.control(
                    .POST, "/guilds/\(guild.id)/channels", json: #"{"name":"filler","parent_id":"\#(category.id)"}"#)
            }
            let full = try await harness.api(
                .POST, "/guilds/\(guild.id)/channels", json: #"{"name":"one-too-many","parent_id":"\#(category.id)"}"#)
            #expect(full.status == 400)
            #expect(full.error?.fieldErrors.first?.path == "parent_id")
            #expect(full.error?.fieldErrors.first?.code == "CHANNEL_PARENT_MAX_CHANNELS")
        }
    }

    @Test(
        "a private ticket channel: @everyone denied, opener and staff role allowed, as Discord computes it",
        arguments: [
            ("opener", true, true), ("staff", true, true), ("other member", false, false), ("admin", true, true),
        ])
    func permissionAlgorithmThroughTheEmulator(who: String, canView: Bool, canSend: Bool) async throws {
        try await EmulatorHarness.run { harness in
            let guild = try #require(try await harness.guilds().first)
            let staff = try #require(guild.role(named: "Support Team"))
            let opener = try #require(guild.ordinaryMembers.first)
            let other = try #require(guild.ordinaryMembers.last)
            let admin = try #require(
                guild.members.first { $0.roles.contains(guild.role(named: "Admin")!.id) }?.user?.id)
            let staffMember = try #require(guild.members.first { $0.roles.contains(staff.id) }?.user?.id)
            let overwrites = """
                [{"id":"\(guild.id)","type":0,"deny":"1024"},
                 {"id":"\(opener)","type":1,"allow":"117760"},
                 {"id":"\(staff.id)","type":0,"allow":"117760"},
                 {"id":"\(EmulatorConfiguration.botUserID)","type":1,"allow":"117776"}]
                """
            let channel = try await harness.api(
                .POST, "/guilds/\(guild.id)/channels",
                json: #"{"name":"ticket-0001","permission_overwrites":\#(overwrites)}"#)
            #expect(channel.status == 201)
            let channelID = try channel.decode(Channel.self).id
            let subject: UserID =
                switch who {
                case "opener": opener
                case "staff": staffMember
                case "admin": admin
                default: other
                }
            let report = try await harness.control(.GET, "/permissions?channel_id=\(channelID)&user_id=\(subject)")
            #expect(report.json?["view_channel"]?.boolValue == canView)
            #expect(report.json?["send_messages"]?.boolValue == canSend)
        }
    }
}
