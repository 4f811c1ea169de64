/// JSON examples quoted from Discord's developer documentation (discord/discord-api-docs), so the wire types
/// are checked against what Discord says it sends, not against what our emulator happens to produce.
enum DocumentationFixtures {
    /// `resources/message.mdx`, "Example Message".
    static let message = """
        {"reactions":[{"count":1,"count_details":{"burst":0,"normal":1},"me":false,"me_burst":false,
          "emoji":{"id":null,"name":"🔥"},"burst_colors":[]}],
         "attachments":[],"tts":false,"embeds":[],"timestamp":"2017-07-11T17:27:07.299000+00:00",
         "mention_everyone":false,"id":"334385199974967042","pinned":false,"edited_timestamp":null,
         "author":{"username":"Mason","discriminator":"9999","id":"53908099506183680","avatar":"a_bab14f271d565501444b2ca3be944b25"},
         "mention_roles":[],"content":"Supa Hot","channel_id":"290926798999357250","mentions":[],"type":0}
        """

    /// `resources/channel.mdx`, "Example Guild Text Channel".
    static let textChannel = """
        {"id":"41771983423143937","guild_id":"41771983423143937","name":"general","type":0,"position":6,
         "permission_overwrites":[],"rate_limit_per_user":2,"nsfw":true,"topic":"24/7 chat about how to gank Mike #2",
         "last_message_id":"155117677105512449","parent_id":"399942396007890945","default_auto_archive_duration":60}
        """

    /// `resources/channel.mdx`, "Example Guild Category Channel".
    static let categoryChannel = """
        {"id":"399942396007890945","type":4,"name":"lounge","position":0,"flags":0,"parent_id":null,
         "guild_id":"41771983423143937","permission_overwrites":[]}
        """

    /// `interactions/receiving-and-responding.mdx` via discord-protocol.md §5.1: a button click.
    static let componentInteraction = """
        {"id":"4000000000000000001","application_id":"1000000000000000001","type":3,"version":1,
         "token":"aW50ZXJhY3Rpb246NDAwMDAwMDAwMDAwMDAwMDAwMQ","guild_id":"2000000000000000000",
         "channel_id":"2000000000000000001","channel":{"id":"2000000000000000001","type":0,"name":"support","guild_id":"2000000000000000000"},
         "member":{"user":{"id":"3000000000000000001","username":"alice","discriminator":"0","global_name":null,"avatar":null},
                   "roles":[],"joined_at":"2024-01-01T00:00:00.000000+00:00","deaf":false,"mute":false,"flags":0,"pending":false,
                   "permissions":"117760"},
         "app_permissions":"8","locale":"en-US","guild_locale":"en-US","entitlements":[],
         "authorizing_integration_owners":{"0":"2000000000000000000"},"context":0,"attachment_size_limit":10485760,
         "data":{"custom_id":"ticket:open","component_type":2}}
        """

    /// `reference.mdx`, the Invalid Form Body example.
    static let invalidFormBody = """
        {"code":50035,"message":"Invalid Form Body","errors":{"name":{"_errors":[{"code":"BASE_TYPE_REQUIRED","message":"This field is required"}]}}}
        """

    /// `reference.mdx`, a nested array error example.
    static let nestedFormErrors = """
        {"code":50035,"errors":{"activities":{"0":{"platform":{"_errors":[{"code":"BASE_TYPE_CHOICES","message":"Value must be one of ('desktop', 'android', 'ios')."}]},
         "type":{"_errors":[{"code":"BASE_TYPE_CHOICES","message":"Value must be one of (0, 1, 2, 3, 4, 5)."}]}}}},"message":"Invalid Form Body"}
        """

    /// `topics/rate-limits.mdx`, a 429 body.
    static let rateLimited = #"{"message":"You are being rate limited.","retry_after":64.57,"global":false}"#

    /// `events/gateway.mdx`, "Example Gateway Bot Response".
    static let gatewayBot = """
        {"url":"wss://gateway.discord.gg/","shards":9,"session_start_limit":{"total":1000,"remaining":999,"reset_after":14400000,"max_concurrency":1}}
        """
}
