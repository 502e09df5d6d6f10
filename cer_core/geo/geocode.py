"""Geocoder chain: the offline gazetteer first, then (when online and enabled) Nominatim.

Nominatim (OpenStreetMap) is used through geopy under its usage policy: at most one request
per second **for the whole deployment** (``cer_core.shared_limits.SharedRateLimiter``: a slot file
in ``$CER_CACHE_DIR`` shared by every process, its lock never held across the network call), a
user agent naming the application and the operator's contact (``$CER_GEOCODER_CONTACT``; without
it the online geocoder stays off), and every answer cached in memory and on disk
(``$CER_CACHE_DIR/nominatim.json``, newest ``MAX_CACHE_ENTRIES``, replaced atomically) so the
same address is not asked twice. The network call is injectable (``fetch``), and tests always
inject a fake. Answers © OpenStreetMap contributors (ODbL).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cer_core.geo import layers
from cer_core.geo.areas import MILAN_BBOX
from cer_core.geo.gazetteer import Gazetteer, GazetteerHit, LocationNotFound, check_query
from cer_core.paths import cache_dir
from cer_core.shared_limits import (
    SharedRateLimiter,
    bounded,
    contact_user_agent,
    write_json_atomic,
)

#: Application part of the user agent; the operator's contact is added from the configuration.
APPLICATION = "cer-milano/0.1 (public CER dashboard, Comune di Milano)"
#: Minimum delay between two Nominatim requests of the whole deployment [s] (policy: 1 request/s).
MIN_DELAY_S = 1.0
#: Answers kept in the disk cache (the newest); ~100 bytes each.
MAX_CACHE_ENTRIES = 20_000
#: Environment variable that enables the online geocoder in the app ("1").
ONLINE_ENV = "CER_ONLINE_GEOCODER"
#: Gazetteer kinds good enough to skip the online geocoder.
CONFIDENT_KINDS = ("exact", "corrected", "place")

Fetch = Callable[[str], "tuple[float, float, str] | None"]


@dataclass(frozen=True)
class OnlineHit:
    """A Nominatim answer: ``lat``, ``lon`` [deg], ``label`` (display name)."""

    lat: float
    lon: float
    label: str


def online_enabled() -> bool:
    """True when the deployment enables Nominatim (``CER_ONLINE_GEOCODER=1``)."""
    return os.environ.get(ONLINE_ENV, "") == "1"


def _nominatim_fetch() -> Fetch:
    """A geopy Nominatim call bounded to Milan, in the deployment's shared 1-per-second slots.

    Raises
    ------
    ValueError
        When no operator contact is configured (``$CER_GEOCODER_CONTACT``).
    """
    from geopy.geocoders import Nominatim  # only deployments with the online geocoder need it

    geocoder = Nominatim(user_agent=contact_user_agent(APPLICATION), timeout=5)
    limiter = SharedRateLimiter(cache_dir() / "nominatim.slot", MIN_DELAY_S)
    west, south, east, north = MILAN_BBOX

    def fetch(query: str):
        found = limiter(
            geocoder.geocode,
            query,
            country_codes="it",
            viewbox=[(north, west), (south, east)],
            bounded=True,
            exactly_one=True,
        )
        return (found.latitude, found.longitude, found.address) if found else None

    return fetch


class OnlineGeocoder:
    """Cached, rate-limited Nominatim lookups (thread-safe; the lock guards the cache only).

    Parameters
    ----------
    fetch : callable, optional
        ``fetch(query) -> (lat, lon, label) | None``; defaults to geopy's Nominatim. Tests pass a
        fake so the network is never touched.
    cache_path : Path, optional
        JSON file of past answers; defaults to ``$CER_CACHE_DIR/nominatim.json``.
    """

    def __init__(self, fetch: Fetch | None = None, cache_path: Path | None = None):
        self._fetch = fetch
        self._cache_path = cache_path
        self._lock = threading.Lock()
        self._cache: dict[str, list | None] | None = None

    def _load(self) -> dict[str, list | None]:
        if self._cache is None:
            path = self._cache_path or cache_dir() / "nominatim.json"
            self._cache_path = path
            try:
                self._cache = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._cache = {}
        return self._cache

    def __call__(self, query: str) -> OnlineHit | None:
        key = " ".join(query.lower().split())
        with self._lock:
            cache_ = self._load()
            if key in cache_:
                return _hit(cache_[key])
            if self._fetch is None:
                try:
                    self._fetch = _nominatim_fetch()
                except ValueError:  # no operator contact configured: stay offline
                    return None
            fetch = self._fetch
        # the network call (and the wait for this process's slot) happens outside the lock:
        # other sessions keep reading the cache meanwhile
        try:
            found = fetch(f"{query}, Milano")
        except Exception:  # network down, timeout, service error: offline answer stands
            return None
        with self._lock:
            cache_ = self._load()
            cache_.pop(key, None)  # inserted again as the newest entry
            cache_[key] = list(found) if found else None
            self._cache = bounded(cache_, MAX_CACHE_ENTRIES)
            try:
                write_json_atomic(self._cache_path, self._cache)
            except OSError:
                pass
            return _hit(self._cache.get(key))


def _hit(value) -> OnlineHit | None:
    return OnlineHit(float(value[0]), float(value[1]), str(value[2])) if value else None


@cache
def default_gazetteer() -> Gazetteer:
    """The process-wide offline gazetteer (``data/geo/gazetteer_*.parquet``)."""
    return Gazetteer(*layers.load_gazetteer())


@cache
def default_online_geocoder() -> OnlineGeocoder:
    """The process-wide Nominatim client (created on first online lookup)."""
    return OnlineGeocoder()


def in_milan_bbox(lat: float, lon: float) -> bool:
    west, south, east, north = MILAN_BBOX
    return south <= lat <= north and west <= lon <= east


def geocode(
    query: str,
    online: bool = False,
    gazetteer: Gazetteer | None = None,
    online_geocoder: Callable[[str], OnlineHit | None] | None = None,
) -> GazetteerHit | OnlineHit:
    """Coordinates for a Milan address: offline gazetteer, then Nominatim when ``online``.

    Nominatim is asked only when the gazetteer has no confident answer (no match, or the street
    without that civic number).

    Raises
    ------
    LocationNotFound
        When neither finds a place in Milan.
    """
    gazetteer = gazetteer or default_gazetteer()
    check_query(query)
    try:
        hit = gazetteer.search(query)
    except LocationNotFound as exc:
        if not online or exc.reason in ("empty", "too_long", "no_letters", "outside_milan"):
            raise
        found = (online_geocoder or default_online_geocoder())(query)
        if found and in_milan_bbox(found.lat, found.lon):
            return found
        raise
    if online and hit.kind not in CONFIDENT_KINDS:
        found = (online_geocoder or default_online_geocoder())(query)
        if found and in_milan_bbox(found.lat, found.lon):
            return found
    return hit
