"""A custom action that cannot reach the action server answers kindly instead of silently."""

from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.runtime.outage_guard import install, outage_text
from tests.servers import free_port


async def test_unreachable_action_server_yields_a_kind_message() -> None:
    install()
    install()  # a second model load must not wrap twice
    domain = Domain.from_yaml("version: '3.1'\nactions:\n  - action_anything\n")
    endpoint = EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook")
    action = RemoteAction("action_anything", endpoint)
    tracker = DialogueStateTracker("outage-user", domain.slots)
    events = await action.run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}), tracker, domain
    )
    assert [e.text for e in events if isinstance(e, BotUttered)] == [outage_text()]
    assert "SOS" in outage_text()


async def test_a_greeting_still_introduces_harbor_when_the_action_server_is_down() -> None:
    install()
    domain = Domain.from_yaml(
        "version: '3.1'\nactions:\n  - action_welcome_back\nresponses:\n"
        "  utter_greet:\n    - text: \"Hi, I'm Harbor, a bot.\"\n"
    )
    endpoint = EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook")
    action = RemoteAction("action_welcome_back", endpoint)
    tracker = DialogueStateTracker("outage-greet", domain.slots)
    events = await action.run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses), tracker,
        domain,
    )
    assert [e.text for e in events if isinstance(e, BotUttered)] == ["Hi, I'm Harbor, a bot."]


async def test_a_plan_first_action_falls_back_to_the_hotline_answer_it_stands_in_for() -> None:
    """SOS for someone with a safety plan: with the action server down, the hotlines come."""
    install()
    domain = Domain.from_yaml(
        "version: '3.1'\n"
        "actions:\n  - action_safety_plan_sos\n"
        "responses:\n  utter_resources:\n    - text: 'People you can reach right now: 988'\n"
    )
    endpoint = EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook")
    action = RemoteAction("action_safety_plan_sos", endpoint)
    tracker = DialogueStateTracker("outage-planner", domain.slots)
    events = await action.run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses), tracker,
        domain,
    )
    assert [e.text for e in events if isinstance(e, BotUttered)] == [
        "People you can reach right now: 988"
    ]


async def test_a_stuck_action_server_does_not_hold_back_the_hotlines(monkeypatch) -> None:
    """An action server that accepts the request and never answers: the stand-in goes out."""
    import asyncio

    from bot.runtime import outage_guard

    install()
    monkeypatch.setattr(outage_guard, "STAND_IN_TIMEOUT_SECONDS", 0.5)

    async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(30)

    server = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    domain = Domain.from_yaml(
        "version: '3.1'\n"
        "actions:\n  - action_safety_plan_crisis\n"
        "responses:\n  utter_crisis:\n    - text: 'You can reach a real person right now: 988'\n"
    )
    action = RemoteAction("action_safety_plan_crisis",
                          EndpointConfig(f"http://127.0.0.1:{port}/webhook"))
    tracker = DialogueStateTracker("stuck-planner", domain.slots)
    try:
        events = await asyncio.wait_for(
            action.run(CollectingOutputChannel(),
                       TemplatedNaturalLanguageGenerator(domain.responses), tracker, domain),
            timeout=10,
        )
    finally:
        server.close()
    assert [e.text for e in events if isinstance(e, BotUttered)] == [
        "You can reach a real person right now: 988"
    ]
