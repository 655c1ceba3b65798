"""A custom action that cannot reach the action server answers kindly instead of silently."""

from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.nlu.outage_guard import install, outage_text
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
