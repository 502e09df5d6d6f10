"""The protocol-level load client (``benchmarks/load_protocol.py``) speaks Streamlit's protocol.

Its numbers are only worth something if its residents do what a browser does: the message cache
answers the server's references and forgets what the frontend forgets, the widget values it
sends are the ones the frontend commits, and a change made through it really changes the app
(the server writes the new value into the page's URL). No timing is asserted here.
"""

from __future__ import annotations

import asyncio
import importlib.util
import random
import sys
import threading
import urllib.parse

import pytest
from streamlit.proto.ButtonGroup_pb2 import ButtonGroup
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NumberInput_pb2 import NumberInput
from streamlit.proto.Selectbox_pb2 import Selectbox
from streamlit.proto.WidgetStates_pb2 import WidgetState

from deploy.stack import REPO_ROOT

SPEC = importlib.util.spec_from_file_location(
    "load_protocol", REPO_ROOT / "benchmarks" / "load_protocol.py"
)
load_protocol = importlib.util.module_from_spec(SPEC)
sys.modules["load_protocol"] = load_protocol  # its dataclasses look their module up there
SPEC.loader.exec_module(load_protocol)


def cacheable(text: str) -> tuple[ForwardMsg, bytes]:
    msg = ForwardMsg(hash=f"h-{text}")
    msg.delta.new_element.markdown.body = text
    msg.metadata.cacheable = True
    return msg, msg.SerializeToString()


def reference(hash_: str) -> ForwardMsg:
    msg = ForwardMsg(ref_hash=hash_)
    msg.metadata.delta_path[:] = [0, 7]
    return msg


def test_message_cache_answers_references_and_forgets_what_the_frontend_forgets():
    cache = load_protocol.MessageCache()
    msg, raw = cacheable("chart")
    assert cache.resolve(msg, raw) is msg
    assert cache.hashes() == ["h-chart"]

    answered = cache.resolve(reference("h-chart"), b"")
    assert answered.delta.new_element.markdown.body == "chart"
    assert list(answered.metadata.delta_path) == [0, 7]  # the reference's position wins

    small = ForwardMsg(hash="h-small")  # not cacheable: never stored
    cache.resolve(small, small.SerializeToString())
    assert cache.hashes() == ["h-chart"]

    for _ in range(2):  # max_cached_message_age = 2 finished runs without use
        cache.run_finished(max_age=2)
    assert cache.hashes() == ["h-chart"]
    cache.run_finished(max_age=2)
    assert cache.hashes() == []
    with pytest.raises(load_protocol.ProtocolError, match="miss"):
        cache.resolve(reference("h-chart"), b"")


def test_widget_values_are_the_ones_the_frontend_commits():
    number = NumberInput(id="n", label="kWh", default=2700.0, data_type=NumberInput.FLOAT)
    assert load_protocol.initial_state("number_input", number).double_value == 2700.0
    number.value, number.set_value = 1234.0, True  # the script set it: the frontend takes it
    assert load_protocol.initial_state("number_input", number).double_value == 1234.0

    select = Selectbox(id="s", label="Periodo", options=["Tutti", "2025", "2024"], default=1)
    assert load_protocol.initial_state("selectbox", select).string_value == "2025"
    assert load_protocol.initial_state("selectbox", Selectbox(id="e", options=["a"])) is None

    group = ButtonGroup(id="g", default=[1])
    group.options.add(content="it")
    group.options.add(content="en")
    assert list(load_protocol.initial_state("button_group", group).string_array_value.data) == [
        "en"
    ]


def query(session) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(session.query_string)


def test_each_resident_has_its_own_loopback_address():
    addresses = [load_protocol.resident_address(i) for i in range(2000)]
    assert len(set(addresses)) == len(addresses)
    for address in addresses:
        parts = [int(p) for p in address.split(".")]
        assert parts[0] == 127
        assert parts[1:3] != [0, 0]  # not 127.0.0.x, which the tests and nginx's own use
        assert 1 <= parts[3] <= 254


def test_a_resident_changes_each_page_through_the_protocol(app_server):
    """Open the calculator, change the kWh; go to the map, search; go to transparency, filter."""

    async def visit():
        # from a resident's own loopback address, as in a load run
        own = load_protocol.resident_address(7)
        session = load_protocol.Session(app_server, timeout_s=120, source_address=own)
        try:
            first = await session.open("calcolatore")
            assert first.exceptions == []
            assert set(load_protocol.TASKS) <= set(session.pages)

            kwh = session.widget(load_protocol.label("calcolatore.annual_label"))
            run = await session.change(kwh.label, WidgetState(double_value=3210.0))
            assert run.exceptions == []
            assert float(query(session)["kwh"][0]) == 3210.0  # the app saw the new value
            assert session.states[kwh.proto.id].double_value == 3210.0

            await session.navigate("mappa")
            assert "kwh" not in query(session)  # a page change leaves the page's parameters
            run = await load_protocol.search_address(session, random.Random(3))
            assert run.exceptions == []
            assert query(session)["indirizzo"][0]  # the form was submitted

            await session.navigate("trasparenza")
            period = session.widget(load_protocol.label("trasparenza.period_label"))
            before = session.states[period.proto.id].string_value
            run = await load_protocol.change_period(session, random.Random(3))
            assert run.exceptions == []
            assert session.states[period.proto.id].string_value != before
        finally:
            await session.close()

    # A thread of its own: in a test worker that already drives Chromium, Playwright's sync API
    # keeps an event loop running in the main thread, and asyncio.run() refuses to nest.
    outcome: list[BaseException | None] = []

    def run_visit():
        try:
            asyncio.run(visit())
            outcome.append(None)
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
            outcome.append(error)

    worker = threading.Thread(target=run_visit)
    worker.start()
    worker.join(timeout=600)
    assert outcome, "the protocol session did not finish within 10 minutes"
    if outcome[0] is not None:
        raise outcome[0]
