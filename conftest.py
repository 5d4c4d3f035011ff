"""Test-wide isolation: nothing a test (or a notebook run by nbval) touches $HOME or the network.

* Jupyter/IPython/XDG folders and the quiz progress file point into a temporary folder.
* Every kernel started by the tests (nbval, nbclient) runs an IPython start-up file that makes
  any socket connection to a non-loopback address raise, so a notebook that needs the network
  fails loudly instead of passing on a developer's machine and breaking on Binder or offline.
"""

import os
import tempfile

_ROOT = tempfile.mkdtemp(prefix="mastolib-tests-")
os.environ["MASTOLIB_PROGRESS"] = os.path.join(_ROOT, "progress.json")
for _var in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "XDG_CONFIG_HOME",
             "XDG_CACHE_HOME"):
    os.environ[_var] = os.path.join(_ROOT, _var.lower())
    os.makedirs(os.environ[_var], exist_ok=True)

NETWORK_GUARD = '''
import ipaddress as _ip
import socket as _socket

_real_connect = _socket.socket.connect


def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if host is not None and self.family in (_socket.AF_INET, _socket.AF_INET6):
        try:
            allowed = _ip.ip_address(host).is_loopback
        except ValueError:
            allowed = host == "localhost"
        if not allowed:
            raise OSError(f"network blocked in course tests: connection to {address!r}")
    return _real_connect(self, address)


_socket.socket.connect = _loopback_only
'''
_startup = os.path.join(os.environ["IPYTHONDIR"], "profile_default", "startup")
os.makedirs(_startup, exist_ok=True)
with open(os.path.join(_startup, "00-network-guard.py"), "w") as _f:
    _f.write(NETWORK_GUARD)
