"""Input/output kept apart from computation: readers of the shipped ``data/`` files and the few
online fetches (PVGIS). Nothing here computes energy or money."""
