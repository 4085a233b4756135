"""Developer tools: the benchmark, synthetic papers, screenshots.

The runtime never imports these.
"""
