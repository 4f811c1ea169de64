import AetheriaPorts
import DiscordGateway
import DiscordModels
import Testing

@Suite("Gateway session state machine (no sockets, no sleeps)")
struct GatewaySessionMachineTests {
    typealias Action = GatewaySessionMachine.Action
    static let shard = ShardIdentity(id: 1, count: 4)
    static let main = "wss://gateway.example.com"
    static let resume = "wss://resume.example.com"
    let start = ContinuousClock.now

    func machine(restoring snapshot: GatewaySessionSnapshot? = nil) -> GatewaySessionMachine {
        GatewaySessionMachine(
            configuration: .init(shard: Self.shard, gatewayURL: Self.main), restoring: snapshot)
    }

    /// Drives a fresh machine to a READY session with sequence 5.
    func readyMachine() -> GatewaySessionMachine {
        var machine = machine()
        _ = machine.start()
        _ = machine.socketOpened()
        _ = machine.receivedHello(interval: .seconds(40), jitter: 0.5)
        _ = machine.identifyPermitGranted()
        _ = machine.receivedDispatch(sequence: 1, ready: ("abc", Self.resume), resumed: false)
        _ = machine.receivedDispatch(sequence: 5, ready: nil, resumed: false)
        return machine
    }

    @Test("HELLO → identify permit → IDENTIFY; first heartbeat after interval × jitter; READY saves the session")
    func identifyFlow() {
        var machine = machine()
        #expect(machine.start() == [.connect(url: Self.main)])
        #expect(machine.socketOpened() == [])
        #expect(
            machine.receivedHello(interval: .seconds(40), jitter: 0.25) == [
                .scheduleHeartbeat(after: .seconds(10)), .requestIdentifyPermit,
            ])
        #expect(machine.identifyPermitGranted() == [.sendIdentify, .scheduleReadyTimeout(after: .seconds(30))])
        let saved = machine.receivedDispatch(sequence: 1, ready: ("abc", Self.resume), resumed: false)
        #expect(
            saved == [
                .saveSession(.init(shardID: 1, shardCount: 4, sessionID: "abc", sequence: 1, resumeURL: Self.resume))
            ])
        #expect(machine.phase == .connected)
    }

    @Test("heartbeats carry the last sequence; a missing ACK between two heartbeats closes resumably")
    func zombieDetection() {
        var machine = readyMachine()
        #expect(
            machine.heartbeatDue(now: start) == [.sendHeartbeat(sequence: 5), .scheduleHeartbeat(after: .seconds(40))])
        _ = machine.receivedHeartbeatAck(now: start + .milliseconds(30))
        #expect(machine.lastHeartbeatLatency == .milliseconds(30))
        #expect(
            machine.heartbeatDue(now: start + .seconds(40)) == [
                .sendHeartbeat(sequence: 5), .scheduleHeartbeat(after: .seconds(40)),
            ])
        // No ACK this time.
        #expect(
            machine.heartbeatDue(now: start + .seconds(80)) == [.close(code: GatewaySessionMachine.resumableCloseCode)])
        #expect(machine.socketClosed(code: nil, randomFraction: 0.5) == [.scheduleReconnect(after: .zero)])
        #expect(machine.start() == [.connect(url: Self.resume)])
        _ = machine.socketOpened()
        let hello = machine.receivedHello(interval: .seconds(40), jitter: 0)
        #expect(hello.contains(.sendResume(sessionID: "abc", sequence: 5)))
        // RESUMED does not store the position: the replayed events may not be stored yet.
        #expect(machine.receivedDispatch(sequence: 6, ready: nil, resumed: true).isEmpty)
        #expect(machine.phase == .connected)
    }

    @Test("op 1 from the server is answered at once; op 7 closes to resume")
    func serverRequests() {
        var machine = readyMachine()
        #expect(machine.receivedHeartbeatRequest(now: start) == [.sendHeartbeat(sequence: 5)])
        #expect(machine.receivedReconnect() == [.close(code: GatewaySessionMachine.resumableCloseCode)])
        #expect(machine.socketClosed(code: 1000, randomFraction: 0) == [.scheduleReconnect(after: .zero)])
        #expect(machine.canResume)
    }

    @Test("op 9 true resumes; op 9 false forgets the session and identifies through the queue")
    func invalidSession() {
        var resumable = readyMachine()
        #expect(
            resumable.receivedInvalidSession(resumable: true) == [
                .close(code: GatewaySessionMachine.resumableCloseCode)
            ])
        #expect(resumable.canResume)

        var fresh = readyMachine()
        #expect(
            fresh.receivedInvalidSession(resumable: false) == [
                .discardSession, .close(code: GatewaySessionMachine.resumableCloseCode),
            ])
        _ = fresh.socketClosed(code: nil, randomFraction: 0)
        #expect(fresh.start() == [.connect(url: Self.main)])
        _ = fresh.socketOpened()
        #expect(fresh.receivedHello(interval: .seconds(40), jitter: 0).contains(.requestIdentifyPermit))
    }

    @Test("4007 and 4009 start a new session; other codes resume", arguments: [4007, 4009])
    func newSessionCodes(code: Int) {
        var machine = readyMachine()
        let actions = machine.socketClosed(code: UInt16(code), randomFraction: 0)
        #expect(actions.first == .discardSession)
        #expect(!machine.canResume)
    }

    @Test("4000 keeps the session and backs off", arguments: [4000, 4001, 4002, 4005, 4008])
    func resumableCodes(code: Int) {
        var machine = readyMachine()
        #expect(machine.socketClosed(code: UInt16(code), randomFraction: 1) == [.scheduleReconnect(after: .seconds(1))])
        #expect(machine.canResume)
    }

    @Test(
        "fatal codes stop the shard with an operator-facing error and never reconnect",
        arguments: [4004, 4010, 4011, 4012, 4013, 4014])
    func fatalCodes(code: Int) {
        var machine = readyMachine()
        let actions = machine.socketClosed(code: UInt16(code), randomFraction: 0)
        guard case .stop(let error) = actions.first else {
            Issue.record("expected stop, got \(actions)")
            return
        }
        #expect(!error.description.isEmpty)
        #expect(machine.start() == [])
        #expect(machine.socketClosed(code: 4000, randomFraction: 0) == [])
    }

    @Test("reconnect backoff doubles to a cap, with jitter between half and all of it")
    func backoff() {
        var machine = readyMachine()
        var delays: [Duration] = []
        for _ in 0..<9 {
            guard case .scheduleReconnect(let delay)? = machine.socketClosed(code: 4000, randomFraction: 1).last else {
                Issue.record("no reconnect")
                return
            }
            delays.append(delay)
            _ = machine.start()
        }
        #expect(delays == [1, 2, 4, 8, 16, 32, 60, 60, 60].map { Duration.seconds($0) })
        _ = machine.start()
        guard case .scheduleReconnect(let low)? = machine.socketClosed(code: 4000, randomFraction: 0).last else {
            return
        }
        #expect(low == .seconds(30))
    }

    @Test("a resume URL that does not answer is dropped: back to the main URL and IDENTIFY")
    func failedResumeHandshake() {
        let snapshot = GatewaySessionSnapshot(
            shardID: 1, shardCount: 4, sessionID: "abc", sequence: 9, resumeURL: Self.resume)
        var machine = machine(restoring: snapshot)
        #expect(machine.start() == [.connect(url: Self.resume)])
        let actions = machine.socketClosed(code: nil, randomFraction: 0)
        #expect(actions.contains(.discardSession))
        #expect(machine.start() == [.connect(url: Self.main)])
    }

    @Test("READY or RESUMED not arriving in time closes and retries")
    func readyTimeout() {
        var machine = machine()
        _ = machine.start()
        _ = machine.socketOpened()
        _ = machine.receivedHello(interval: .seconds(40), jitter: 0)
        _ = machine.identifyPermitGranted()
        #expect(machine.readyTimeoutFired() == [.close(code: GatewaySessionMachine.resumableCloseCode)])
        var connected = readyMachine()
        #expect(connected.readyTimeoutFired() == [])
    }

    @Test("a restored session resumes without identifying, and shutdown keeps it resumable")
    func restoreAndShutdown() {
        let snapshot = GatewaySessionSnapshot(
            shardID: 1, shardCount: 4, sessionID: "abc", sequence: 9, resumeURL: Self.resume)
        var machine = machine(restoring: snapshot)
        _ = machine.start()
        _ = machine.socketOpened()
        let hello = machine.receivedHello(interval: .seconds(40), jitter: 0)
        #expect(hello.contains(.sendResume(sessionID: "abc", sequence: 9)))
        #expect(!hello.contains(.requestIdentifyPermit))
        _ = machine.receivedDispatch(sequence: 10, ready: nil, resumed: true)
        let shutdown = machine.shutdown()
        #expect(shutdown.contains(.close(code: GatewaySessionMachine.resumableCloseCode)))
        #expect(
            shutdown.contains(
                .saveSession(.init(shardID: 1, shardCount: 4, sessionID: "abc", sequence: 10, resumeURL: Self.resume))))
    }
}
