"""Qt workers: QObjects moved to QThreads; signals carry frozen dataclasses or primitives."""
