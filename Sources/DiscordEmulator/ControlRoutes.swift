import DiscordModels
import Foundation

/// The control API under `/_emulator` (documented in docs/emulator.md): build the world, act as members,
/// read what happened, inject faults and drive the firehose. JSON in, JSON out, no authentication: the
/// emulator binds to loopback.
enum ControlRoutes {
    static func all(core: EmulatorCore, firehose: Firehose) -> [RESTRoute] {
        func route(_ method: String, _ template: String, _ handler: @escaping RESTRoute.Handler) -> RESTRoute {
            RESTRoute(method, template, bucket: nil, authentication: .none, handler: handler)
        }
        return [
            route("GET", "state") { state, _ in
                state.controlSummary(liveGatewayHandlers: core.liveGatewayHandlers.load(ordering: .relaxed))
            },
            route("POST", "guilds") { state, request in state.controlCreateGuild(request) },
            route("GET", "guilds/{guild}") { state, request in state.controlGuild(request) },
            route("POST", "guilds/{guild}/roles") { state, request in state.controlCreateRole(request) },
            route("PATCH", "guilds/{guild}/roles/{role}") { state, request in state.controlUpdateRole(request) },
            route("DELETE", "guilds/{guild}/roles/{role}") { state, request in state.controlDeleteRole(request) },
            route("POST", "guilds/{guild}/members") { state, request in state.controlAddMember(request) },
            route("PATCH", "guilds/{guild}/members/{user}") { state, request in state.controlUpdateMember(request) },
            route("DELETE", "guilds/{guild}/members/{user}") { state, request in state.controlRemoveMember(request) },
            route("POST", "guilds/{guild}/channels") { state, request in state.controlCreateChannel(request) },
            route("GET", "channels/{channel}") { state, request in state.controlChannel(request) },
            route("DELETE", "channels/{channel}") { state, request in state.controlDeleteChannel(request) },
            route("GET", "channels/{channel}/messages") { state, request in state.controlMessages(request) },
            route("POST", "channels/{channel}/messages") { state, request in state.controlSendMessage(request) },
            route("PATCH", "channels/{channel}/messages/{message}") { state, request in
                state.controlEditMessage(request)
            },
            route("DELETE", "channels/{channel}/messages/{message}") { state, request in
                state.controlDeleteMessage(request)
            },
            route("GET", "users/{user}/dm") { state, request in state.controlDirectMessages(request) },
            route("PATCH", "users/{user}") { state, request in state.controlUpdateUser(request) },
            route("GET", "permissions") { state, request in state.controlPermissions(request) },
            route("POST", "interactions/command") { state, request in try state.controlRunCommand(request) },
            route("POST", "interactions/component") { state, request in state.controlClickButton(request) },
            route("POST", "interactions/modal") { state, request in state.controlSubmitModal(request) },
            route("POST", "interactions/raw") { state, request in state.controlRawInteraction(request) },
            route("POST", "interactions/autocomplete") { state, request in try state.controlAutocomplete(request) },
            route("GET", "interactions/{interaction}") { state, request in state.controlInteraction(request) },
            route("GET", "commands") { state, _ in .ok(state.commands) },
            route("POST", "oauth/default-user") { state, request in state.controlSetOAuthUser(request) },
            route("GET", "records/rest") { state, _ in .ok(state.records.restCalls) },
            route("GET", "records/identifies") { state, _ in .ok(state.records.identifies) },
            route("GET", "records/resumes") { state, _ in .ok(state.records.resumes) },
            route("GET", "records/sessions") { state, _ in state.controlSessions() },
            route("GET", "records/dispatches") { state, request in state.controlDispatches(request) },
            route("GET", "records/rate-limits") { state, request in state.controlRateLimitRecord(request) },
            route("GET", "records/interactions") { state, _ in .ok(state.records.interactionAcks) },
            route("GET", "records/gateway-closes") { state, _ in .ok(state.records.gatewayCloses) },
            route("DELETE", "records") { state, _ in
                state.records = EmulatorRecords()
                return .noContent
            },
            route("POST", "faults/gateway") { state, request in state.controlGatewayFault(request) },
            route("POST", "faults/rest") { state, request in state.controlRESTFault(request) },
            // The REST faults not used up yet: a test waits for a fault to be taken before its next step.
            route("GET", "faults/rest") { state, _ in .ok(state.faults.routeFaults) },
            route("DELETE", "faults") { state, _ in
                state.faults = FaultBook()
                return .noContent
            },
            route("GET", "firehose") { _, _ in .ok(firehose.status) },
            route("POST", "firehose") { state, request in
                let body = request.object
                let rate = body["rate"]?.intValue ?? 1000
                // At most a year, so `elapsed × rate` stays far inside Int; a negative duration is none.
                let seconds = body["duration_seconds"]?.intValue.map { min(max($0, 0), 86_400 * 365) }
                guard rate > 0, rate <= 2_000_000 else {
                    return .error(
                        .invalidFormBody(path: "rate", code: "NUMBER_TYPE_MAX", message: "rate must be 1…2000000"))
                }
                firehose.start(
                    rate: rate, duration: seconds.map { .seconds($0) }, limit: body["limit"]?.intValue,
                    places: state.firehosePlaces())
                return .ok(firehose.status, status: 202)
            },
            route("DELETE", "firehose") { _, _ in
                firehose.stop()
                return .noContent
            },
        ]
    }
}
