"""Peer solvers repm is validated and benchmarked against (private; used by ``tests/`` and
``benches/``). Each peer is an external program driven through files and a subprocess."""
