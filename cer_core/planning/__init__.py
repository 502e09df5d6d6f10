"""Pianificazione: where configurations should grow and which municipal roofs to build first.

* :mod:`cer_core.planning.area_table` — the GSE area codes known around Milan (market zone,
  pilot configuration) and the per-area indicators built by ``scripts/build_planning.py``;
* :mod:`cer_core.planning.roofs` — the Comune's own plants under *autoconsumo individuale a
  distanza*: production, self-consumption at a distance, incentives, greedy order of construction;
* :mod:`cer_core.planning.tables` — CSV reading with every bad row reported at once;
* :mod:`cer_core.planning.ranking` — re-weightable ranking of the areas.
"""
