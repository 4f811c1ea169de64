import DiscordGateway
import Testing

@Suite("The stored resume position lags the newest dispatch (manual clock)")
struct DurableResumePositionTests {
    let start = ContinuousClock.now

    @Test("nothing is stored until a position is 10 s old; then at most every 5 s, never moving back")
    func lagsAndCoalesces() {
        var position = DurableResumePosition(lag: .seconds(10), saveInterval: .seconds(5))
        for second in 0..<10 {
            #expect(position.observe(sequence: 100 + second, now: start + .seconds(second)) == nil)
        }
        // At 10 s the position seen at 0 s is settled.
        #expect(position.observe(sequence: 110, now: start + .seconds(10)) == 100)
        // Within the save interval nothing more is stored, however many events arrive.
        for second in 11..<15 {
            #expect(position.observe(sequence: 100 + second, now: start + .seconds(second)) == nil)
        }
        #expect(position.observe(sequence: 115, now: start + .seconds(15)) == 105)
        // Quiet time (heartbeats only) settles the rest.
        #expect(position.observe(sequence: nil, now: start + .seconds(40)) == 115)
        #expect(position.observe(sequence: nil, now: start + .seconds(50)) == nil)
    }

    @Test("a burst within one second is one checkpoint holding its newest sequence")
    func burst() {
        var position = DurableResumePosition(lag: .seconds(10), saveInterval: .seconds(5))
        for sequence in 1...5_000 {
            _ = position.observe(sequence: sequence, now: start + .milliseconds(sequence / 10))
        }
        #expect(position.observe(sequence: nil, now: start + .seconds(11)) == 5_000)
    }

    @Test("a new session starts afresh")
    func reset() {
        var position = DurableResumePosition(lag: .seconds(10), saveInterval: .seconds(5))
        _ = position.observe(sequence: 900, now: start)
        #expect(position.observe(sequence: nil, now: start + .seconds(10)) == 900)
        position.reset()
        _ = position.observe(sequence: 3, now: start + .seconds(20))
        #expect(position.observe(sequence: nil, now: start + .seconds(30)) == 3)
    }
}
