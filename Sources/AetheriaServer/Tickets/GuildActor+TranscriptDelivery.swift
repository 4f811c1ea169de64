import DiscordModels
import Foundation
import TicketCore
import Transcripts

/// After a close: the transcript goes to the guild's transcripts channel as an HTML file, and to the member
/// by DM (when the type says so) with the buttons to rate it. A transcript over Discord's upload limit is
/// linked instead. Each destination is a `TranscriptDelivery` in the guild's outbox until Discord took it or
/// refused it for good: 5xx, timeouts and 429s are retried on the guild's `RetrySchedule` through restarts.
/// A member who does not accept DMs is not an error and never counts toward the guild's pause (that is the
/// member's choice, not a permission the guild took from the bot); it is said in the guild's log.
extension GuildActor {
    /// What one attempt at one destination came to.
    enum DeliveryResult {
        case delivered
        /// Discord refused for good (closed DMs, missing access): said in the log, not tried again.
        case refused(String)
        /// Worth trying again later (5xx, timeout, 429, the store unavailable).
        case retry(String)
    }

    /// Delivers what is left of `delivery`, records the outcome and stores it.
    func deliver(_ delivery: TranscriptDelivery) async {
        let number = delivery.transcriptNumber
        let html: [UInt8]?
        do {
            html = try await services.transcriptStore.html(guildID: guildID, ticketNumber: number)
        } catch {
            logger.warning("ticket #\(delivery.ticket.number): transcript not readable for delivery: \(error)")
            tickets.deliveryFailed(
                delivery.identity, problem: "the transcript store is unavailable", schedule: services.retrySchedule,
                now: services.now())
            await persistQuietly("recording a transcript delivery to retry")
            return
        }
        let files =
            html.flatMap { bytes -> [FileUpload]? in
                guard bytes.count <= FileUpload.sizeLimit else { return nil }
                return [FileUpload(filename: "transcript-\(number).html", contentType: "text/html", bytes: bytes)]
            } ?? []
        // Work a process before this one began may have reached Discord already (it was killed after the post,
        // before recording it), and a nonce only protects for a few minutes: look for it first.
        let mayHaveBeenPosted = delivery.retry != nil || (delivery.ticket.closedAt ?? .distantPast) < services.startedAt
        var retryProblem: String?
        for destination in delivery.remaining {
            let result: DeliveryResult
            switch destination {
            case .transcriptsChannel:
                result = await postToTranscriptsChannel(delivery, files: files, lookFirst: mayHaveBeenPosted)
            case .member:
                result = await sendToMember(delivery, files: files, lookFirst: mayHaveBeenPosted)
            }
            switch result {
            case .delivered:
                tickets.delivered(delivery.identity, to: destination)
            case .refused(let why):
                tickets.delivered(delivery.identity, to: destination)
                await audit(
                    AuditEntry.problem(
                        "Transcript not delivered",
                        detail: "The transcript of ticket #\(number) was not delivered \(destination.inWords): \(why)"))
            case .retry(let problem):
                retryProblem = "\(destination.inWords): \(problem)"
            }
        }
        if let retryProblem {
            tickets.deliveryFailed(
                delivery.identity, problem: retryProblem, schedule: services.retrySchedule, now: services.now())
        }
        await persistQuietly("recording a transcript delivery")
    }

    private func postToTranscriptsChannel(
        _ delivery: TranscriptDelivery, files: [FileUpload], lookFirst: Bool
    ) async -> DeliveryResult {
        guard let channelID = tickets.config.logRouting[.transcripts] else {
            return .refused("no transcripts channel is set any more")
        }
        let number = delivery.transcriptNumber
        let post = TicketMessages.transcriptPost(
            delivery.ticket, number: number, url: services.transcriptURL(guildID: guildID, number: number),
            attached: !files.isEmpty, identity: delivery.identity)
        if lookFirst, await alreadyPosted(post, in: channelID) { return .delivered }
        do {
            _ = try await discordAPI.createMessage(channelID, post, files: files)
            services.metrics.transcriptDelivered("channel")
            CrashPoint.reached(.transcriptPosted)
            return .delivered
        } catch {
            logger.warning(
                "ticket #\(delivery.ticket.number): transcript not posted to the transcripts channel: \(error)")
            guard Self.isRetryable(error) else {
                recordFailure(error, missing: "View Channel, Send Messages and Attach Files in the transcripts channel")
                return .refused(
                    "Discord refused the post to <#\(channelID)> (\(error.message)); Aetheria needs View Channel, Send Messages and Attach Files there."
                )
            }
            services.metrics.failure("transcript_post_retry")
            return .retry(error.message)
        }
    }

    private func sendToMember(
        _ delivery: TranscriptDelivery, files: [FileUpload], lookFirst: Bool
    ) async -> DeliveryResult {
        let type = tickets.type(of: delivery.ticket)
        let number = delivery.transcriptNumber
        let message = TicketMessages.transcriptDirectMessage(
            delivery.ticket, guildID: guildID, guildName: discord?.name ?? "the server", number: number,
            attached: type.sendsTranscriptToOpener && !files.isEmpty, asksForRating: type.asksForFeedback,
            identity: delivery.identity)
        do {
            let channel = try await discordAPI.createDirectMessageChannel(delivery.ticket.openerID)
            if lookFirst, await alreadyPosted(message, in: channel.id) { return .delivered }
            // The member's copy leaves out what only staff saw (notes, deleted messages' content).
            let memberFiles = files.map { file in
                FileUpload(
                    filename: file.filename, contentType: file.contentType,
                    bytes: TranscriptAudience.memberCopy(of: file.bytes))
            }
            _ = try await discordAPI.createMessage(
                channel.id, message, files: type.sendsTranscriptToOpener ? memberFiles : [])
            services.metrics.transcriptDelivered("member")
            return .delivered
        } catch {
            logger.info("ticket #\(delivery.ticket.number): the member's DM was not delivered: \(error)")
            // 50007: the member does not accept DMs from this server's members (or left it). Not the guild's fault.
            if error.code == 50007 {
                services.metrics.failure("dm_closed")
                return .refused("<@\(delivery.ticket.openerID)> does not accept direct messages from this server.")
            }
            guard Self.isRetryable(error) else {
                services.metrics.failure("dm_failed")
                return .refused("Discord refused the direct message (\(error.message)).")
            }
            services.metrics.failure("dm_retry")
            return .retry(error.message)
        }
    }

    /// Whether the bot's recent messages in `channelID` already hold `message` (same title and delivery mark).
    private func alreadyPosted(_ message: MessageRequest, in channelID: ChannelID) async -> Bool {
        guard let mark = message.embeds?.first?.footer?.text,
            let recent = try? await discordAPI.getMessages(channelID, limit: 50)
        else { return false }
        return recent.contains { $0.author.id == services.botUserID && $0.embeds.first?.footer?.text == mark }
    }

    /// 5xx that the client's own retries did not cure, timeouts, 429s, the local breaker and a token being
    /// replaced: Discord may take it later. Everything else is Discord's permanent refusal.
    static func isRetryable(_ error: DiscordRESTError) -> Bool {
        switch error.kind {
        case .serverError, .transport, .refusedByRateLimiter, .unauthorized: true
        default: error.status == 429 || (error.status ?? 0) >= 500
        }
    }
}
