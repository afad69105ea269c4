"""Test-suite wide settings."""
import os
import tempfile

# every on-disk cache (generated source, numba's) goes to a folder of this run, never the user's home;
# it stays on, so the whole suite runs through the source cache's writes and reads
os.environ["S2SGRAD_CACHE_DIR"] = tempfile.mkdtemp(prefix="s2sgrad-test-cache-")
os.environ.pop("S2SGRAD_NO_CACHE", None)
