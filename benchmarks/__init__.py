"""Performance benchmarks of Briefing Builder: ``python -m benchmarks [--quick]``.

Not part of the test suite. See benchmarks/README.md for what each measure
means and the latest results.
"""
