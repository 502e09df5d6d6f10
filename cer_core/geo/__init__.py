"""Geography of Milan for the CER map: areas, NIL, Municipi, offline gazetteer, ``locate``.

>>> from cer_core.geo import locate
>>> locate("Piazza Leonardo da Vinci 32").configuration
'citta-studi'
"""

from __future__ import annotations

from cer_core.geo.areas import AreaHit, AreaIndex, area_at
from cer_core.geo.estimate import AreaEstimate
from cer_core.geo.gazetteer import LocationNotFound
from cer_core.geo.locate import (
    GSE_MAP_URL,
    WARNING_TEXT,
    Location,
    Match,
    locate,
    locate_point,
    lookup,
)

NotFound = LocationNotFound

__all__ = [
    "GSE_MAP_URL",
    "WARNING_TEXT",
    "AreaEstimate",
    "AreaHit",
    "AreaIndex",
    "Location",
    "LocationNotFound",
    "Match",
    "NotFound",
    "area_at",
    "locate",
    "locate_point",
    "lookup",
]
