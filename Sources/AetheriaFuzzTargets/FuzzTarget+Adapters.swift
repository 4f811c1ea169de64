import AetheriaPorts
import AetheriaServer
import Dashboard
import DiscordEmulator
import DiscordModels
import DiscordREST
import Foundation
import Hummingbird
import HummingbirdCore
import Storage
import TicketCore

extension FuzzTarget {
    static let adapterTargets: [FuzzTarget] = [
        FuzzTarget(name: "rate-limit-headers", summary: "X-RateLimit-* and Retry-After values, then the limiter") {
            bytes in
            let values = parts(bytes, count: 5).map(text)
            let names = ["Retry-After", "X-RateLimit-Reset-After", "X-RateLimit-Remaining", "X-RateLimit-Limit"]
            let headers = Dictionary(uniqueKeysWithValues: zip(names, values))
            let status = [200, 401, 403, 429][Int(bytes.first ?? 0) % 4]
            var response = RateLimitResponse.parsing(status: status, header: { headers[$0] })
            response.bucket = values[4]
            let route = RateLimitRoute(template: "POST /channels/{channel}/messages", majorParameter: "1", guildID: 7)
            var state = RateLimitState()
            let now = ContinuousClock.now
            _ = state.decide(route, now: now)
            state.record(response, for: route, now: now)
            if case .wait(let until) = state.decide(route, now: now) {
                precondition(until <= now + .seconds(86_401), "a wait beyond a day")
            }
        },
        FuzzTarget(name: "resp", summary: "Redis replies (RESP) read by hiredis into Swift values") { bytes in
            guard let replies = RedisConnection.parseReplies(bytes) else { return }
            for reply in replies {
                _ = reply.string
                _ = reply.integer
                _ = reply.array?.count
            }
        },
        FuzzTarget(name: "dashboard-input", summary: "dashboard form bodies, query strings, cursors and cookies") {
            bytes in
            let value = text(bytes)
            let decoder = URLEncodedFormDecoder()
            if let form = try? decoder.decode(LogRoutingForm.self, from: value) {
                _ = form.applied(to: TicketConfig())
            }
            if let form = try? decoder.decode(TicketTypeForm.self, from: value) {
                let (type, _) = form.applied(to: TicketType())
                _ = try? TicketConfig(types: [type], panels: []).validate(
                    in: GuildSnapshot.Builder().build(id: 1, ownerID: 2, memberCount: 1))
            }
            if let form = try? decoder.decode(PanelForm.self, from: value) {
                let (panel, _) = form.applied(to: TicketPanel())
                _ = try? TicketConfig(panels: [panel]).validate(
                    in: GuildSnapshot.Builder().build(id: 1, ownerID: 2, memberCount: 1))
            }
            if let form = try? decoder.decode(AccessForm.self, from: value) {
                // The member field as the route reads it, then applied as found (with hostile names and roles).
                if case .name(let name)? = MemberReference(form.blockMember) {
                    precondition(!name.isEmpty && name.count <= 100, "a member search Discord would refuse")
                }
                let found = AccessForm.FoundMember.member(7, name: form.blockReason, roles: [1], isStaff: false)
                let (config, _) = form.applied(to: TicketConfig(), member: found, by: 2, byName: value, now: Date())
                precondition(
                    config.access.blocked.allSatisfy {
                        ($0.memberName?.count ?? 0) <= 100 && ($0.addedByName?.count ?? 0) <= 100
                    }, "a blocklist name beyond what a stored configuration may hold")
            }
            if let (seconds, number) = DashboardRoutes.cursor(value) {
                precondition(seconds.isFinite && number >= 0, "a cursor that would trap the store")
                _ = OutsideNumber.milliseconds(since1970: Date(timeIntervalSince1970: seconds))
            }
            let uri = URI("/guilds/1/transcripts?" + value)
            _ = uri.queryParameters["after"]
            _ = Cookies(from: [value])["aetheria_session"]?.value
        },
        FuzzTarget(name: "configuration", summary: "config/aetheria.json contents and environment values") { bytes in
            let pieces = parts(bytes, count: 2)
            _ = try? ConfigurationLoader().load(
                contents: Data(pieces[0]), named: "fuzz.json",
                environment: ["AETHERIA_SHARDS": text(pieces[1]), "DASHBOARD_PORT": text(pieces[1])])
        },
        FuzzTarget(name: "emulator-rest", summary: "the emulator's REST handlers: method, path, JSON body") { bytes in
            EmulatorRESTFuzzing.run(bytes)
        },
        FuzzTarget(name: "multipart", summary: "the emulator's multipart/form-data parser (file uploads)") { bytes in
            // The first line names the boundary, as the Content-Type header would; the rest is the body.
            let split = bytes.firstIndex(of: 10) ?? bytes.endIndex
            let header = "multipart/form-data; boundary=" + text(Array(bytes[..<split]))
            guard let boundary = MultipartForm.boundary(inContentType: header) else { return }
            let body = split < bytes.endIndex ? Array(bytes[bytes.index(after: split)...]) : []
            _ = MultipartForm(body: body, boundary: boundary)?.parts.count
            // The bot's own uploads (transcripts), with a hostile file name and any bytes, parse back intact.
            let file = FileUpload(filename: text(Array(bytes.prefix(120))), contentType: "text/html", bytes: bytes)
            let (encoded, contentType) = FileUpload.multipartBody(payload: Data("{}".utf8), files: [file])
            guard let uploadBoundary = MultipartForm.boundary(inContentType: contentType),
                let form = MultipartForm(body: Array(encoded), boundary: uploadBoundary)
            else { preconditionFailure("the bot's upload is not a form the emulator reads") }
            precondition(form.parts.count == 2 && form.parts[1].body == bytes, "an uploaded file's bytes changed")
        },
        FuzzTarget(name: "emulator-message", summary: "the emulator's validation of a message body (REST)") { bytes in
            guard case .object(let body)? = JSONValue.parse(Data(bytes)) else { return }
            var validator = FormValidator()
            _ = MessageDraft.parse(body, forInteraction: bytes.count % 2 == 0, validator: &validator)
            _ = validator.problems.count
        },
    ]
}
