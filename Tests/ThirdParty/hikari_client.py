"""hikari, a widely used third-party Discord library, unmodified, against the emulator (ThirdPartyClientTests).

Pointed at the emulator only through hikari's own `rest_url` option (the gateway URL then comes from
GET /gateway/bot, as on Discord). It logs in, waits for its guilds, sends and reads messages, creates and
deletes a channel, and answers a button click that the emulator's control API makes as a member. Prints one
JSON line with what it saw; exits 1 if any step failed.

usage: hikari_client.py <emulator origin> <bot token> <guild id> <channel id> <member id>
"""
import asyncio
import json
import sys
import urllib.request

import hikari

origin, token, guild_id, channel_id, member_id = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6])
results = {"library": f"hikari {hikari.__version__}", "steps": []}
answered = asyncio.Event()
guilds = set()


def control(method, path, body=None):
    """The emulator's control API: acts as Discord itself or as a member, never as the bot."""
    request = urllib.request.Request(
        f"{origin}/_emulator{path}", method=method, headers={"Content-Type": "application/json"},
        data=json.dumps(body).encode() if body is not None else None)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


bot = hikari.GatewayBot(token, rest_url=f"{origin}/api/v10", intents=hikari.Intents.ALL, banner=None,
                        logs="WARNING")


@bot.listen(hikari.GuildAvailableEvent)
async def on_guild(event):
    guilds.add(int(event.guild_id))


@bot.listen(hikari.InteractionCreateEvent)
async def on_interaction(event):
    interaction = event.interaction
    if isinstance(interaction, hikari.ComponentInteraction) and interaction.custom_id == "hikari:ping":
        await interaction.create_initial_response(
            hikari.ResponseType.MESSAGE_CREATE, "Pong from hikari", flags=hikari.MessageFlag.EPHEMERAL)
        results["steps"].append("answered an interaction")
        answered.set()


async def scenario():
    me = bot.get_me()
    results["user"] = me.username if me else None
    for _ in range(100):
        if guild_id in guilds:
            break
        await asyncio.sleep(0.05)
    results["guilds"] = len(guilds)
    if guild_id not in guilds:
        raise RuntimeError("the guild never became available")
    results["steps"].append("received guilds")

    row = bot.rest.build_message_action_row().add_interactive_button(
        hikari.ButtonStyle.PRIMARY, "hikari:ping", label="Ping")
    sent = await bot.rest.create_message(channel_id, "Hello from hikari", components=[row])
    results["steps"].append("sent a message")
    history = await bot.rest.fetch_messages(channel_id).limit(20)
    if not any(message.id == sent.id and message.content == "Hello from hikari" for message in history):
        raise RuntimeError("the sent message is not in the channel's history")
    results["steps"].append("read messages")

    channel = await bot.rest.create_guild_text_channel(guild_id, "hikari-test", topic="made by hikari")
    fetched = await bot.rest.fetch_channel(channel.id)
    await bot.rest.delete_channel(channel.id)
    results["steps"].append(f"created and deleted channel {fetched.name}")

    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, control, "POST", "/interactions/component", {
        "channel_id": str(channel_id), "message_id": str(sent.id), "user_id": str(member_id),
        "custom_id": "hikari:ping"})
    await asyncio.wait_for(answered.wait(), timeout=10)


@bot.listen(hikari.StartedEvent)
async def on_started(_):
    try:
        await scenario()
        results["ok"] = True
    except Exception as error:  # noqa: BLE001 - every failure is reported, then the bot stops
        results["ok"] = False
        results["error"] = f"{type(error).__name__}: {error}"
    finally:
        # Closing from inside a listener would wait on itself: let the listener return first.
        asyncio.get_running_loop().create_task(bot.close())


try:
    bot.run(asyncio_debug=False, check_for_updates=False, close_loop=True, propagate_interrupts=True)
except Exception as error:  # noqa: BLE001
    results["ok"] = False
    results["error"] = results.get("error") or f"{type(error).__name__}: {error}"
print(json.dumps(results))
sys.exit(0 if results.get("ok") else 1)
