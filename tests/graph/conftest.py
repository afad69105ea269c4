"""Test setup for the graph tests: on CI, install the tools two of them need.

Rendering the HTML page needs Chromium and the SVG format needs Graphviz's
`dot`. On CI (CI=true, running as root with apt-get) they are installed from
the distribution's packages here, once, bounded to five minutes; anywhere
else, and if the install fails, the tests that need them skip with a reason.
"""
import os
import shutil
import subprocess


def _install_graph_tools() -> None:
    missing = [pkg for pkg, tool in (("chromium", "chromium"), ("graphviz", "dot")) if not shutil.which(tool)]
    if not missing or os.environ.get("CI") != "true" or os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run(["apt-get", "update", "-qq"], env=env, timeout=120, capture_output=True, check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], env=env, timeout=180,
                       capture_output=True, check=True)
    except (subprocess.SubprocessError, OSError):
        pass      # the tests that need the tools skip and say how to install them


_install_graph_tools()
