"""Load benchmark at the protocol level: residents that speak Streamlit's websocket protocol.

    python benchmarks/load_protocol.py --processes 1 --residents 10 --minutes 1
    python benchmarks/load_protocol.py --residents 25 --server-option runner.postScriptGC=false
    python benchmarks/load_protocol.py --url http://127.0.0.1:8080 --pids 4242,4243

No browser: each resident is one asyncio task holding one websocket, doing what Streamlit's
frontend (1.67) does on the wire. It fetches the page (nginx's ``cer_node`` sticky cookie), then
``/_stcore/health`` (the ``_streamlit_xsrf`` cookie) and ``/_stcore/host-config``, opens
``/_stcore/stream`` with the subprotocols ``["streamlit", <xsrf cookie>]``, and sends ``BackMsg``
protobufs: ``rerun_script`` with the query string, ``page_name`` (first load) or
``page_script_hash`` (sidebar navigation), the state of every widget on the page (the values the
frontend commits when a widget mounts, form widgets only on submit, a button's trigger once),
the browser's context and the hashes of the ``ForwardMsg``s it holds. It reads ``ForwardMsg``s
until ``script_finished``, keeping the browser's message cache: cacheable messages are stored by
hash, a ``ref_hash`` is answered from the store, and after each finished run entries older than
the server's ``max_cached_message_age`` are dropped. Widgets are found by their label in the
deltas that created them (labels from the app's Italian catalogue), never by a hard-coded id.

The tasks (every one a real rerun of the real app):

- ``calcolatore``: change "Consumo annuo (kWh)" to a value this tab has not typed before (each
  resident its own: every change is a new estimate, as with distinct residents);
- ``mappa``: type an address in the search box and submit the form;
- ``trasparenza``: change the "Periodo" filter.

Three phases:

1. **probe** (``--probe-changes``, 0 to skip): one resident alone, per task, after two warm-up
   changes: that many changes back to back. Server CPU per change = CPU time of the app
   processes (``/proc/PID/stat`` utime + stime) across the batch divided by its changes; also
   bytes and messages received per change.
2. **idle sessions** (``--idle-sessions``, 0 to skip): that many tabs open ``--idle-page`` one
   after the other and stay open doing nothing; RSS of the app processes before and after,
   per session.
3. **load**: ``--residents`` residents, each from its own loopback address (127.0.1.1, …:
   nginx limits connections per address), arrive over ``--ramp`` seconds, each opens a random
   page, then repeats: think 5-10 s (``--think``, seeded random), go to a task's page through the
   sidebar if not there, think, do the task. Latency of each rerun: ``BackMsg`` sent →
   ``script_finished`` received. With ``--steady-after S``, actions started in the first S
   seconds (the arrival burst: every resident's first page at once) are reported apart, named
   ``(arrival) …``, so the steady phase's percentiles are not the burst's. Stops by itself after ``--minutes`` (actions in flight finish,
   each bounded by ``--timeout``). Reported: p50 / p95 / max per task, reruns/s, server CPU per
   rerun and per process (share of a core), RSS per process (start, after the probe, peak, end),
   nginx and PostgreSQL CPU, and this client's own CPU (it shares the machine).

Not modelled: JavaScript in component iframes (``st_folium`` answers the server with its map
state from the browser; a protocol client never does, so the map's follow-up reruns and the
iframe's static files are not counted), the app's static JS/CSS (cached by browsers), downloads.

Runs against ``deploy/stack.py``'s loopback stack (PostgreSQL + ``--processes`` Streamlit
processes + nginx) unless ``--url`` is given; with ``--url``, CPU and memory are read only for
the ``--pids`` given (processes on this machine). Loopback only. Results: printed summary and
``artifacts/load_protocol.json`` (``--output``).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import http.client
import json
import os
import random
import resource
import statistics
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ClientState_pb2 import ClientState  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402
from websockets.asyncio.client import ClientConnection, connect  # noqa: E402
from websockets.exceptions import WebSocketException  # noqa: E402

from app.i18n import translate  # noqa: E402
from deploy.stack import Stack  # noqa: E402

LANG = "it"
TASKS = ("calcolatore", "mappa", "trasparenza")
#: Streets the offline gazetteer knows; residents add their own civic number.
STREETS = ("Via Padova", "Viale Monza", "Piazza Leonardo da Vinci", "Via Giuseppe Ripamonti")
PLACES = ("Città Studi", "Bovisa", "Niguarda")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
MAX_MINUTES = 10.0
FINISHED = ForwardMsg.ScriptFinishedStatus
#: Widgets whose value the frontend keeps and sends with every rerun, and the WidgetState field
#: the server reads for each (``value_type`` in ``streamlit/elements/widgets/*.py``).
WIDGET_KINDS = {
    "number_input",
    "text_input",
    "text_area",
    "selectbox",
    "radio",
    "checkbox",
    "slider",
    "button_group",
    "multiselect",
}
TRIGGER_KINDS = {"button"}


class ProtocolError(RuntimeError):
    """The server answered something a browser would not accept (or did not answer in time)."""


# --- the browser's side of the protocol ---------------------------------------------------------


class MessageCache:
    """The frontend's ``ForwardMessageCache`` (Streamlit 1.67), the other half of
    ``streamlit/runtime/forward_msg_cache.py``.

    The server marks large ``new_element`` deltas ``cacheable``; the browser stores them by hash
    and lists the hashes in every ``rerun_script``; the server then sends a ``ref_hash`` instead
    of an identical message. An entry's age is the number of finished runs since it was last
    received or referenced; entries older than ``max_cached_message_age`` are dropped.
    """

    def __init__(self) -> None:
        self.entries: dict[str, list] = {}  # hash -> [serialized message, run count when used]
        self.run_count = 0

    def resolve(self, msg: ForwardMsg, raw: bytes) -> ForwardMsg:
        """The message to dispatch for ``msg`` as received (``raw``): itself or the cached one."""
        if msg.WhichOneof("type") != "ref_hash":
            if msg.metadata.cacheable and msg.hash:
                entry = self.entries.get(msg.hash)
                if entry is None:
                    self.entries[msg.hash] = [raw, self.run_count]
                else:
                    entry[1] = self.run_count
            return msg
        entry = self.entries.get(msg.ref_hash)
        if entry is None:
            raise ProtocolError(f"cached ForwardMsg miss for hash {msg.ref_hash}")
        entry[1] = self.run_count
        cached = ForwardMsg.FromString(entry[0])
        cached.metadata.CopyFrom(msg.metadata)
        return cached

    def run_finished(self, max_age: int) -> None:
        self.run_count += 1
        for key in [k for k, (_, used) in self.entries.items() if self.run_count - used > max_age]:
            del self.entries[key]

    def hashes(self) -> list[str]:
        return list(self.entries)


def initial_state(kind: str, proto) -> WidgetState | None:
    """The value the frontend commits for a widget it draws from ``proto`` (None: no value)."""
    state = WidgetState(id=proto.id)
    if kind == "number_input":
        if proto.set_value and proto.HasField("value"):
            value = proto.value
        elif proto.HasField("default"):
            value = proto.default
        else:
            return None
        if proto.data_type == proto.INT:
            state.int_value = int(value)
        else:
            state.double_value = value
    elif kind in {"text_input", "text_area"}:
        if proto.set_value and proto.HasField("value"):
            state.string_value = proto.value
        elif proto.HasField("default"):
            state.string_value = proto.default
        else:
            return None
    elif kind in {"selectbox", "radio"}:
        if proto.set_value and proto.HasField("raw_value"):
            state.string_value = proto.raw_value
        elif proto.HasField("default") and proto.default < len(proto.options):
            state.string_value = proto.options[proto.default]
        else:
            return None
    elif kind == "checkbox":
        state.bool_value = proto.value if proto.set_value else proto.default
    elif kind == "slider":
        if proto.options:  # select_slider: option labels
            values = (
                list(proto.raw_value)
                if proto.set_value
                else [proto.options[int(i)] for i in proto.default]
            )
            state.string_array_value.data[:] = values
        else:
            state.double_array_value.data[:] = list(
                proto.value if proto.set_value else proto.default
            )
    elif kind == "button_group":
        values = (
            list(proto.raw_values)
            if proto.set_value
            else [proto.options[i].content for i in proto.default]
        )
        state.string_array_value.data[:] = values
    elif kind == "multiselect":
        values = (
            list(proto.raw_values) if proto.set_value else [proto.options[i] for i in proto.default]
        )
        state.string_array_value.data[:] = values
    else:
        return None
    return state


@dataclass
class Widget:
    """A widget drawn in the last run."""

    kind: str
    proto: object
    script_hash: str  # the script that drew it (the main script's survive a page change)

    @property
    def label(self) -> str:
        return self.proto.label


@dataclass
class Run:
    """One rerun as the client saw it."""

    seconds: float
    bytes_received: int
    messages: int
    references: int  # ref_hash messages answered from the cache
    exceptions: list[str]


class _SourceHTTPHandler(urllib.request.HTTPHandler):
    """Plain HTTP from a chosen local address (``None``: the system's choice)."""

    def __init__(self, source_address: str | None) -> None:
        super().__init__()
        self.source_address = source_address

    def http_open(self, request):
        if self.source_address is None:
            return super().http_open(request)
        return self.do_open(
            functools.partial(http.client.HTTPConnection, source_address=(self.source_address, 0)),
            request,
        )


def resident_address(index: int) -> str:
    """Resident ``index``'s own loopback address (127.0.1.1, 127.0.1.2, …): nginx limits open
    connections per address (100 on the public site), as it would for one household, so a
    crowd must not come from one address. Linux answers for all of 127.0.0.0/8."""
    return f"127.0.{1 + index // 250}.{1 + index % 250}"


class Session:
    """One browser tab on the app: its cookies, websocket, widget states and message cache."""

    def __init__(
        self, base_url: str, timeout_s: float = 60, source_address: str | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.source_address = source_address  # this tab's own loopback address (None: default)
        self.opener = urllib.request.build_opener(_SourceHTTPHandler(source_address))
        self.cookies: dict[str, str] = {}
        self.ws: ClientConnection | None = None
        self.cache = MessageCache()
        self.max_cached_age = 2
        self.query_string = ""
        self.page = ""
        self.page_hash = ""
        self.main_hash = ""
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.widgets: dict[str, Widget] = {}  # id -> widget drawn in the last run
        self.states: dict[str, WidgetState] = {}  # committed values, sent with every rerun
        self.kwh_typed: set[float] = set()  # yearly kWh values this tab typed (all distinct)

    # HTTP, as the browser does before the websocket ------------------------------------------
    def _get(self, path: str) -> bytes:
        request = urllib.request.Request(self.base_url + path)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        with self.opener.open(request, timeout=self.timeout_s) as response:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, value = header.split(";", 1)[0].partition("=")
                self.cookies[name.strip()] = value.strip()
            return response.read()

    async def open(self, page: str, query: str = "") -> Run:
        """Open ``/page?query`` in a new tab: HTTP requests, websocket, first run."""
        start = time.perf_counter()
        await asyncio.to_thread(self._get, f"/{page}" + (f"?{query}" if query else ""))
        await asyncio.to_thread(self._get, "/_stcore/health")
        await asyncio.to_thread(self._get, "/_stcore/host-config")
        ws_url = "ws" + self.base_url.removeprefix("http") + "/_stcore/stream"
        self.ws = await connect(
            ws_url,
            subprotocols=["streamlit", self.cookies.get("_streamlit_xsrf", "")],
            origin=self.base_url,
            additional_headers={
                "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            },
            max_size=None,
            ping_interval=None,  # the frontend sends no websocket pings
            open_timeout=self.timeout_s,
            **({"local_addr": (self.source_address, 0)} if self.source_address else {}),
        )
        self.page, self.query_string = page, query
        state = ClientState(query_string=query, page_name=page)
        run = await self._rerun(state)
        run.seconds = time.perf_counter() - start
        return run

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    # user actions ---------------------------------------------------------------------------
    def widget(self, label: str, kind: str | None = None) -> Widget:
        for widget in self.widgets.values():
            if widget.label == label and (kind is None or widget.kind == kind):
                return widget
        drawn = sorted(f"{w.kind}:{w.label!r}" for w in self.widgets.values())
        raise ProtocolError(f"no widget labelled {label!r} on {self.page!r}: {drawn}")

    async def change(self, label: str, state: WidgetState) -> Run:
        """Set the widget labelled ``label`` to ``state`` (its value field) and rerun."""
        widget = self.widget(label)
        state.id = widget.proto.id
        self.states[state.id] = state
        return await self._rerun(ClientState(query_string=self.query_string))

    async def submit(self, values: dict[str, WidgetState], button_label: str) -> Run:
        """Fill form widgets by label and press the form's submit button (the frontend holds a
        form widget's edits until then, and sends the button's trigger once)."""
        button = self.widget(button_label, "button")
        for label, state in values.items():
            state.id = self.widget(label).proto.id
            self.states[state.id] = state
        trigger = WidgetState(id=button.proto.id, trigger_value=True)
        return await self._rerun(ClientState(query_string=self.query_string), [trigger])

    async def navigate(self, page: str) -> Run:
        """Click ``page`` in the sidebar: the main script's widgets stay, the URL keeps ``lang``."""
        if page not in self.pages:
            raise ProtocolError(f"no page {page!r} in the navigation: {sorted(self.pages)}")
        kept = {
            w_id: s
            for w_id, s in self.states.items()
            if w_id in self.widgets and self.widgets[w_id].script_hash == self.main_hash
        }
        self.states = kept
        lang = urllib.parse.parse_qs(self.query_string).get("lang")
        self.query_string = urllib.parse.urlencode({"lang": lang[0]}) if lang else ""
        self.page = page
        state = ClientState(query_string=self.query_string, page_script_hash=self.pages[page])
        return await self._rerun(state)

    # the exchange ---------------------------------------------------------------------------
    async def _rerun(self, state: ClientState, triggers: list[WidgetState] = ()) -> Run:
        if self.ws is None:
            raise ProtocolError("session not open")
        if not state.page_script_hash and not state.page_name:
            state.page_script_hash = self.page_hash
        state.widget_states.widgets.extend([*self.states.values(), *triggers])
        state.cached_message_hashes[:] = self.cache.hashes()
        state.context_info.timezone = "Europe/Rome"
        state.context_info.timezone_offset = -60
        state.context_info.locale = "it-IT"
        state.context_info.url = f"{self.base_url}/{self.page}" + (
            f"?{self.query_string}" if self.query_string else ""
        )
        state.context_info.is_embedded = False
        state.context_info.color_scheme = "light"
        start = time.perf_counter()
        await self.ws.send(BackMsg(rerun_script=state).SerializeToString())
        run = Run(0.0, 0, 0, 0, [])
        drawn: dict[str, Widget] = {}
        deadline = start + self.timeout_s
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise ProtocolError(f"no script_finished within {self.timeout_s:.0f} s")
            try:
                raw = await asyncio.wait_for(self.ws.recv(), remaining)
            except TimeoutError as exc:
                raise ProtocolError(f"no script_finished within {self.timeout_s:.0f} s") from exc
            run.bytes_received += len(raw)
            run.messages += 1
            received = ForwardMsg.FromString(raw)
            run.references += received.WhichOneof("type") == "ref_hash"
            msg = self.cache.resolve(received, raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.max_cached_age = msg.new_session.config.max_cached_message_age
                self.main_hash = msg.new_session.main_script_hash
                if msg.new_session.page_script_hash:
                    self.page_hash = msg.new_session.page_script_hash
                drawn = {}  # a new run (also after st.rerun)
            elif kind == "navigation":
                self.page_hash = msg.navigation.page_script_hash or self.page_hash
                self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                element_kind = element.WhichOneof("type")
                if element_kind == "exception":
                    run.exceptions.append(
                        f"{element.exception.type}: {element.exception.message}"[:300]
                    )
                elif element_kind in WIDGET_KINDS | TRIGGER_KINDS:
                    self._drawn(element_kind, getattr(element, element_kind), msg, drawn)
            elif kind == "script_finished":
                status = msg.script_finished
                if status == FINISHED.FINISHED_EARLY_FOR_RERUN:
                    continue  # st.rerun(): the next run follows on the same request
                if status == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                    run.exceptions.append("script compile error")
                self.cache.run_finished(self.max_cached_age)
                self.widgets = drawn
                self.states = {k: v for k, v in self.states.items() if k in drawn}
                run.seconds = time.perf_counter() - start
                return run

    def _drawn(self, kind: str, proto, msg: ForwardMsg, drawn: dict[str, Widget]) -> None:
        """Record a widget of this run; commit its value as the frontend does when it mounts
        (also inside a form: only the user's edits wait for the submit button)."""
        drawn[proto.id] = Widget(kind, proto, msg.metadata.active_script_hash)
        if kind in TRIGGER_KINDS:
            return
        if proto.id in self.states and not proto.set_value:
            return  # the frontend keeps what it holds
        state = initial_state(kind, proto)
        if state is not None:
            self.states[proto.id] = state


# --- the residents' tasks -----------------------------------------------------------------------


def label(key: str) -> str:
    return translate(LANG, key)


async def change_kwh(session: Session, rng: random.Random) -> Run:
    """Calculator: type a new yearly consumption (every resident has their own bill)."""
    widget = session.widget(label("calcolatore.annual_label"), "number_input")
    value = float(rng.randrange(1200, 6001))
    while value in session.kwh_typed:  # a value this tab has not typed yet: a new estimate
        value = float(rng.randrange(1200, 6001))
    session.kwh_typed.add(value)
    return await session.change(widget.label, WidgetState(double_value=value))


async def search_address(session: Session, rng: random.Random) -> Run:
    """Map: type an address (a known street, the resident's civic number) and submit."""
    if rng.random() < 0.25:
        address = rng.choice(PLACES)
    else:
        address = f"{rng.choice(STREETS)} {rng.randint(1, 150)}"
    return await session.submit(
        {label("mappa.search_label"): WidgetState(string_value=address)},
        label("mappa.search_button"),
    )


async def change_period(session: Session, rng: random.Random) -> Run:
    """Transparency: choose another period in the filter."""
    widget = session.widget(label("trasparenza.period_label"), "selectbox")
    current = session.states.get(widget.proto.id)
    options = [o for o in widget.proto.options if current is None or o != current.string_value]
    if not options:
        raise ProtocolError("the period filter has a single option")
    return await session.change(widget.label, WidgetState(string_value=rng.choice(options)))


TASK_ACTIONS = {
    "calcolatore": change_kwh,
    "mappa": search_address,
    "trasparenza": change_period,
}
TASK_NAMES = {
    "calcolatore": "calcolatore: change yearly kWh",
    "mappa": "mappa: search an address",
    "trasparenza": "trasparenza: change the period filter",
}


# --- measuring the server -----------------------------------------------------------------------


def _stat_fields(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (PostgreSQL's and nginx's workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int(_stat_fields(int(entry.name))[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def cpu_s(pids: list[int]) -> float:
    """CPU time (user + system) of ``pids`` so far [s] (a process gone counts 0)."""
    total = 0
    for pid in pids:
        try:
            fields = _stat_fields(pid)
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / CLOCK_TICKS


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs so far, from /proc/stat (other work on the machine)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def cpu_pressure_us() -> int | None:
    """Time some task waited for a CPU, machine-wide, so far [µs] (Linux PSI), or None."""
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except OSError:
        return None
    return int(line.rsplit("total=", 1)[1])


def client_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Servers:
    """The processes whose CPU and memory are reported."""

    apps: list[int]
    nginx: list[int] = field(default_factory=list)
    postgres: list[int] = field(default_factory=list)

    def app_cpu(self) -> float:
        return cpu_s(self.apps)

    def cpu(self) -> dict[str, float]:
        return {
            "apps": cpu_s(self.apps),
            **{f"app_{pid}": cpu_s([pid]) for pid in self.apps},
            "nginx": cpu_s(self.nginx),
            "postgres": cpu_s(self.postgres),
        }

    def rss(self) -> dict[str, float | None]:
        return {str(pid): rss_mb(pid) for pid in self.apps}


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = q / 100 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(values: list[float]) -> dict:
    return {
        "count": len(values),
        "p50_s": percentile(values, 50),
        "p95_s": percentile(values, 95),
        "max_s": max(values) if values else None,
    }


# --- the two phases -----------------------------------------------------------------------------


async def probe(
    base: str, servers: Servers, tasks: list[str], changes: int, seed: int, timeout_s: float
) -> dict:
    """Per task, one resident alone: server CPU, time and bytes per change."""
    results = {}
    for task in tasks:
        rng = random.Random(f"{seed}-probe-{task}")
        session = Session(base, timeout_s)
        try:
            await session.open(task)
            for _ in range(2):  # warm-up: first use of the page's caches in this process
                await TASK_ACTIONS[task](session, rng)
            runs: list[Run] = []
            await asyncio.sleep(0.3)
            before = servers.app_cpu()
            for _ in range(changes):
                runs.append(await TASK_ACTIONS[task](session, rng))
            await asyncio.sleep(0.3)  # the event loop's last sends after script_finished
            cpu = servers.app_cpu() - before
        finally:
            await session.close()
        results[task] = {
            "what": TASK_NAMES[task],
            "changes": changes,
            "server_cpu_ms_per_change": round(1000 * cpu / changes, 1) if servers.apps else None,
            "p50_s": percentile([r.seconds for r in runs], 50),
            "max_s": max(r.seconds for r in runs),
            "kib_received_per_change": round(
                statistics.mean(r.bytes_received for r in runs) / 1024, 1
            ),
            "messages_per_change": statistics.mean(r.messages for r in runs),
            "cache_references_per_change": statistics.mean(r.references for r in runs),
            "exceptions": sorted({e for r in runs for e in r.exceptions}),
        }
        print(json.dumps({"probe": task, **results[task]}), flush=True)
    return results


async def idle_sessions(
    base: str, servers: Servers, count: int, page: str, timeout_s: float
) -> dict:
    """Memory of sessions that opened ``page`` and then do nothing: RSS of the app processes
    before and after ``count`` tabs opened it (kept open), per session."""
    before = sum(v or 0.0 for v in servers.rss().values())
    sessions, opening_s = [], []
    cpu_before = servers.app_cpu()
    try:
        for _ in range(count):
            session = Session(base, timeout_s)
            opening_s.append((await session.open(page)).seconds)
            sessions.append(session)
        await asyncio.sleep(2)
        cpu = servers.app_cpu() - cpu_before
        after = sum(v or 0.0 for v in servers.rss().values())
    finally:
        for session in sessions:
            await session.close()
    result = {
        "page": page,
        "sessions": count,
        "rss_before_mb": round(before, 1),
        "rss_after_mb": round(after, 1),
        "mb_per_idle_session": round((after - before) / count, 3) if count else None,
        # opening the page in a new tab, one after the other (HTTP requests + first run)
        "server_cpu_ms_per_open": round(1000 * cpu / count, 1) if count else None,
        "open_p50_s": percentile(opening_s, 50),
    }
    print(json.dumps({"idle_sessions": result}), flush=True)
    return result


@dataclass
class Load:
    times: dict[str, list[float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    exceptions: set[str] = field(default_factory=set)
    bytes_received: int = 0
    reruns: int = 0

    def record(self, name: str, run: Run) -> None:
        self.times.setdefault(name, []).append(run.seconds)
        self.bytes_received += run.bytes_received
        self.reruns += 1
        self.exceptions.update(run.exceptions)


async def resident(
    index: int,
    base: str,
    args: argparse.Namespace,
    deadline: float,
    load: Load,
) -> None:
    rng = random.Random(f"{args.seed}-resident-{index}")
    tasks, weights = zip(*args.mix.items(), strict=True)
    think_low, think_high = args.think

    async def think() -> bool:
        pause = rng.uniform(think_low, think_high)
        if time.monotonic() + pause >= deadline:
            return False
        await asyncio.sleep(pause)
        return True

    steady_from = deadline - 60 * args.minutes + args.steady_after

    def name(what: str) -> str:
        """Actions started before the steady phase are reported apart (arrival burst)."""
        return what if time.monotonic() >= steady_from else f"(arrival) {what}"

    await asyncio.sleep(rng.uniform(0, args.ramp))  # residents arrive over --ramp seconds
    session: Session | None = None
    while time.monotonic() < deadline:
        task = rng.choices(tasks, weights)[0]
        try:
            if session is None:
                label_ = name(f"open {task}")
                own = urllib.parse.urlsplit(base).hostname.startswith("127.")
                session = Session(base, args.timeout, resident_address(index) if own else None)
                load.record(label_, await session.open(task))
            elif session.page != task:
                label_ = name(f"navigate to {task}")
                load.record(label_, await session.navigate(task))
            if not await think():
                break
            label_ = name(TASK_NAMES[task])
            load.record(label_, await TASK_ACTIONS[task](session, rng))
            if not await think():
                break
        except (ProtocolError, WebSocketException, OSError, TimeoutError) as error:
            # a real resident reloads the page: new tab, new session
            load.failures.append(f"resident {index} {task}: {type(error).__name__}: {error}"[:300])
            if session is not None:
                await session.close()
                session = None
            await asyncio.sleep(1)
    if session is not None:
        await session.close()


async def sample_rss(servers: Servers, peak: dict[str, float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        for pid, value in servers.rss().items():
            if value is not None:
                peak[pid] = max(peak.get(pid, 0.0), value)
        try:
            await asyncio.wait_for(stop.wait(), 1.0)
        except TimeoutError:
            pass


async def run_load(base: str, servers: Servers, args: argparse.Namespace) -> dict:
    load = Load()
    peak: dict[str, float] = {}
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_rss(servers, peak, stop))
    cpu_before, client_before, machine_before = servers.cpu(), client_cpu_s(), machine_cpu()
    pressure_before = cpu_pressure_us()
    start = time.monotonic()
    deadline = start + 60 * args.minutes
    await asyncio.wait_for(
        asyncio.gather(*(resident(i, base, args, deadline, load) for i in range(args.residents))),
        timeout=60 * args.minutes + args.timeout + 30,
    )
    elapsed = time.monotonic() - start
    stop.set()
    await sampler
    cpu_after, client_after, machine_after = servers.cpu(), client_cpu_s(), machine_cpu()
    cpu = {k: cpu_after[k] - cpu_before[k] for k in cpu_before}
    busy, total = (
        after - before for after, before in zip(machine_after, machine_before, strict=True)
    )
    pressure_after = cpu_pressure_us()
    return {
        "residents": args.residents,
        "elapsed_s": round(elapsed, 1),
        "reruns": load.reruns,
        "reruns_per_s": round(load.reruns / elapsed, 2),
        "per_task": {name: summary(times) for name, times in sorted(load.times.items())},
        "server_cpu_ms_per_rerun": (
            round(1000 * cpu["apps"] / load.reruns, 1) if servers.apps and load.reruns else None
        ),
        "app_cpu_share_of_a_core": {
            pid: round(cpu[f"app_{pid}"] / elapsed, 3) for pid in servers.apps
        },
        "nginx_cpu_s": round(cpu["nginx"], 2),
        "postgres_cpu_s": round(cpu["postgres"], 2),
        "client_cpu_s": round(client_after - client_before, 2),
        # busy share of all the machine's cores (this benchmark, the stack and anything else)
        "machine_busy_share": round(busy / total, 3) if total else None,
        # share of the time some task on the machine waited for a core (PSI "some")
        "cpu_pressure_share": (
            round((pressure_after - pressure_before) / 1e6 / elapsed, 3)
            if pressure_before is not None and pressure_after is not None
            else None
        ),
        "mib_received": round(load.bytes_received / 2**20, 1),
        "rss_peak_mb": {pid: round(v) for pid, v in peak.items()},
        "failures": load.failures[:20],
        "failure_count": len(load.failures),
        "exceptions": sorted(load.exceptions),
    }


def rounded_rss(servers: Servers) -> dict[str, float | None]:
    return {pid: (round(v) if v is not None else None) for pid, v in servers.rss().items()}


async def benchmark(base: str, servers: Servers, args: argparse.Namespace) -> dict:
    result: dict = {"rss_start_mb": rounded_rss(servers)}
    if args.probe_changes:
        result["probe"] = await probe(
            base, servers, args.probe_tasks, args.probe_changes, args.seed, args.timeout
        )
        result["rss_after_probe_mb"] = rounded_rss(servers)
    if args.idle_sessions:
        result["idle"] = await idle_sessions(
            base, servers, args.idle_sessions, args.idle_page, args.timeout
        )
    if args.residents:
        result["load"] = await run_load(base, servers, args)
        result["rss_end_mb"] = rounded_rss(servers)
    return result


# --- command line -------------------------------------------------------------------------------


def parse_mix(text: str) -> dict[str, float]:
    mix = {}
    for part in text.split(","):
        task, _, weight = part.partition("=")
        if task not in TASKS:
            raise argparse.ArgumentTypeError(f"unknown task {task!r} (one of {', '.join(TASKS)})")
        mix[task] = float(weight or 1)
    return mix


def parse_think(text: str) -> tuple[float, float]:
    low, _, high = text.partition(",")
    return float(low), float(high or low)


def server_env(options: list[str]) -> dict[str, str]:
    """``section.optionName=value`` → Streamlit's ``STREAMLIT_SECTION_OPTION_NAME`` variable."""
    from streamlit.string_util import to_snake_case

    env = {}
    for option in options:
        name, _, value = option.partition("=")
        env[f"STREAMLIT_{to_snake_case(name.replace('.', '_')).upper()}"] = value
    return env


def print_summary(result: dict) -> None:
    for task, p in result.get("probe", {}).items():
        print(
            f"probe {task:12s} CPU {p['server_cpu_ms_per_change']} ms/change, "
            f"p50 {p['p50_s']:.3f} s, {p['kib_received_per_change']} KiB/change"
        )
    load = result.get("load")
    if load:
        print(
            f"load: {load['residents']} residents, {load['reruns_per_s']} reruns/s, "
            f"{load['server_cpu_ms_per_rerun']} ms CPU/rerun, "
            f"{load['failure_count']} failures"
        )
        for name, s in load["per_task"].items():
            if s["count"]:
                print(
                    f"  {name:40s} n={s['count']:4d} p50 {s['p50_s']:.3f}  "
                    f"p95 {s['p95_s']:.3f}  max {s['max_s']:.3f} s"
                )
    print(f"RSS [MB]: {json.dumps({k: v for k, v in result.items() if k.startswith('rss')})}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=1, help="app processes (default 1)")
    parser.add_argument("--residents", type=int, default=10, help="0: probe only (default 10)")
    parser.add_argument("--minutes", type=float, default=1.0, help="load phase length (max 10)")
    parser.add_argument("--think", type=parse_think, default=(5.0, 10.0), help="s,s (5,10)")
    parser.add_argument(
        "--ramp", type=float, default=10.0, help="residents arrive over this many s (10)"
    )
    parser.add_argument(
        "--mix",
        type=parse_mix,
        default=parse_mix("calcolatore=5,mappa=3,trasparenza=2"),
        help="task weights (default calcolatore=5,mappa=3,trasparenza=2)",
    )
    parser.add_argument(
        "--steady-after",
        type=float,
        default=0.0,
        help="s: actions started earlier are reported apart as '(arrival) …' (default 0)",
    )
    parser.add_argument("--probe-changes", type=int, default=10, help="0: no probe (default 10)")
    parser.add_argument(
        "--probe-tasks",
        type=lambda text: list(parse_mix(text)),
        default=list(TASKS),
        help="tasks probed (default calcolatore,mappa,trasparenza)",
    )
    parser.add_argument(
        "--idle-sessions",
        type=int,
        default=0,
        help="after the probe: open this many tabs on --idle-page and measure RSS per session",
    )
    parser.add_argument("--idle-page", choices=TASKS, default="calcolatore")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--timeout", type=float, default=60, help="per rerun [s] (default 60)")
    parser.add_argument("--url", help="an existing deployment on this machine (loopback)")
    parser.add_argument("--pids", default="", help="with --url: app process ids, comma-separated")
    parser.add_argument(
        "--server-option",
        action="append",
        default=[],
        metavar="SECTION.OPTION=VALUE",
        help="Streamlit option for the started app processes (e.g. runner.postScriptGC=false)",
    )
    parser.add_argument("--label", default="", help="free text stored with the results")
    parser.add_argument(
        "--output", type=Path, default=REPO_ROOT / "artifacts" / "load_protocol.json"
    )
    args = parser.parse_args(argv)
    if not 0 < args.minutes <= MAX_MINUTES:
        parser.error(f"--minutes must be in (0, {MAX_MINUTES:g}]")
    if args.url:
        host = urllib.parse.urlsplit(args.url).hostname
        if host not in {"127.0.0.1", "localhost", "::1"}:
            parser.error("loopback only: --url must point at 127.0.0.1 / localhost")

    meta = {
        "label": args.label,
        "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "processes": args.processes if not args.url else None,
        "server_options": args.server_option,
        "think_s": args.think,
        "ramp_s": args.ramp,
        "mix": args.mix,
        "probe_changes": args.probe_changes,
        "seed": args.seed,
        "cpus": os.cpu_count(),
        "loadavg_start": os.getloadavg(),
    }
    if args.url:
        pids = [int(p) for p in args.pids.split(",") if p]
        result = asyncio.run(benchmark(args.url, Servers(pids), args))
    else:
        with Stack(processes=args.processes, app_env=server_env(args.server_option)) as stack:
            postmaster = stack.work_dir / "pgdata" / "postmaster.pid"
            servers = Servers(
                [p.pid for p in stack.apps],
                descendants(stack.nginx.pid),
                descendants(int(postmaster.read_text().split()[0])) if postmaster.exists() else [],
            )
            result = asyncio.run(benchmark(stack.url, servers, args))
    result = {**meta, "loadavg_end": os.getloadavg(), **result}
    print_summary(result)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"written {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
