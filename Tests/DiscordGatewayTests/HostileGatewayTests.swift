import AetheriaPorts
import DiscordGateway
import DiscordModels
import Testing

@Suite("Gateway session against a hostile server or store (no sockets, no sleeps)")
struct HostileGatewayTests {
    static let main = "wss://gateway.discord.gg"
    let start = ContinuousClock.now

    func machine(restoring snapshot: GatewaySessionSnapshot? = nil, url: String = main) -> GatewaySessionMachine {
        GatewaySessionMachine(configuration: .init(shard: .init(id: 0, count: 1), gatewayURL: url), restoring: snapshot)
    }

    func connected(_ machine: inout GatewaySessionMachine, resumeURL: String = "wss://gateway-us-east1-b.discord.gg") {
        _ = machine.start()
        _ = machine.socketOpened()
        _ = machine.receivedHello(interval: .seconds(40), jitter: 0)
        _ = machine.identifyPermitGranted()
        _ = machine.receivedDispatch(sequence: 1, ready: ("abc", resumeURL), resumed: false)
    }

    @Test(
        "HELLO's heartbeat_interval is believed only between 100 ms and 10 min",
        arguments: [
            (Duration.milliseconds(Int.max), Duration.seconds(600)), (.zero, .milliseconds(100)),
            (.milliseconds(-5), .milliseconds(100)),
            (.milliseconds(41_250), .milliseconds(41_250)),
        ])
    func heartbeatIntervalBounds(sent: Duration, believed: Duration) {
        var machine = machine()
        _ = machine.start()
        _ = machine.socketOpened()
        let actions = machine.receivedHello(interval: sent, jitter: 1)
        #expect(actions.first == .scheduleHeartbeat(after: believed))
        #expect(machine.heartbeatInterval == believed)
    }

    @Test("a server that keeps sending op 7 gets a growing backoff, not a reconnect loop")
    func repeatedReconnectRequestsBackOff() {
        var machine = machine()
        connected(&machine)
        var delays: [Duration] = []
        for _ in 0..<6 {
            _ = machine.receivedReconnect()
            for action in machine.socketClosed(code: nil, randomFraction: 1) {
                if case .scheduleReconnect(let after) = action { delays.append(after) }
            }
            _ = machine.start()
            _ = machine.socketOpened()
            _ = machine.receivedHello(interval: .seconds(40), jitter: 0)
            _ = machine.receivedDispatch(sequence: nil, ready: nil, resumed: true)
        }
        #expect(delays == [.zero, .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16)])
    }

    @Test("after a connection proves healthy for 30 s, the next op 7 reconnects at once again")
    func healthyConnectionEndsTheStreak() {
        var machine = machine()
        connected(&machine)
        for _ in 0..<3 {
            _ = machine.receivedReconnect()
            _ = machine.socketClosed(code: nil, randomFraction: 1)
            _ = machine.start()
            _ = machine.socketOpened()
            _ = machine.receivedHello(interval: .seconds(40), jitter: 0)
        }
        _ = machine.heartbeatDue(now: start)
        _ = machine.receivedHeartbeatAck(now: start + .seconds(1))
        _ = machine.heartbeatDue(now: start + .seconds(40))
        _ = machine.receivedHeartbeatAck(now: start + .seconds(41))
        _ = machine.receivedReconnect()
        #expect(machine.socketClosed(code: nil, randomFraction: 1).contains(.scheduleReconnect(after: .zero)))
    }

    @Test(
        "a resume_gateway_url outside the configured gateway is refused; the session resumes through the main URL",
        arguments: [
            "ws://gateway-us-east1-b.discord.gg", "wss://evil.example.com", "wss://discord.gg.evil.com",
            "wss://user:pw@gateway.discord.gg", "wss://gateway.discord.gg:8443", "wss://gateway.discord.gg/?x=1",
            "https://gateway.discord.gg", "", "not a url",
        ])
    func hostileResumeURLFromReady(url: String) {
        var machine = machine()
        connected(&machine, resumeURL: url)
        #expect(machine.resumeURL == nil)
        _ = machine.receivedReconnect()
        _ = machine.socketClosed(code: nil, randomFraction: 0)
        #expect(machine.start() == [.connect(url: Self.main)])
        _ = machine.socketOpened()
        #expect(
            machine.receivedHello(interval: .seconds(40), jitter: 0).contains(
                .sendResume(sessionID: "abc", sequence: 1)))
    }

    @Test("Discord's own regional resume host is accepted")
    func discordResumeHostAccepted() {
        var machine = machine()
        connected(&machine, resumeURL: "wss://gateway-us-east1-b.discord.gg")
        #expect(machine.resumeURL == "wss://gateway-us-east1-b.discord.gg")
    }

    @Test("a stored session naming a foreign host connects to the configured gateway, never there")
    func hostileStoredSession() {
        let stored = GatewaySessionSnapshot(
            shardID: 0, shardCount: 1, sessionID: "abc", sequence: 9, resumeURL: "ws://attacker.example:80")
        var machine = machine(restoring: stored)
        #expect(machine.start() == [.connect(url: Self.main)])
    }

    @Test("the local emulator (ws on a loopback address) resumes on its own host and port only")
    func loopbackResume() {
        let local = "ws://127.0.0.1:8901"
        #expect(GatewayResumeURL.accepted("ws://127.0.0.1:8901/resume", configuredGateway: local) != nil)
        #expect(GatewayResumeURL.accepted("ws://127.0.0.1:9999/resume", configuredGateway: local) == nil)
        #expect(GatewayResumeURL.accepted("ws://10.0.0.1:8901/resume", configuredGateway: local) == nil)
    }

    @Test("negative or absurd sequence numbers never move the resume position backwards or trap")
    func hostileSequences() {
        var machine = machine()
        connected(&machine)
        _ = machine.receivedDispatch(sequence: -5, ready: nil, resumed: false)
        _ = machine.receivedDispatch(sequence: Int.max, ready: nil, resumed: false)
        _ = machine.receivedDispatch(sequence: 3, ready: nil, resumed: false)
        #expect(machine.sequence == Int.max)
    }
}
