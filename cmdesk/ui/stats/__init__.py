"""The Stats area: KPI cards with deltas and charts over any period."""
