#!/bin/sh
# The kiosk runs as its own user, in the dialout group for the serial ports.
set -e
getent group tongban >/dev/null || groupadd --system tongban
getent passwd tongban >/dev/null || useradd --system --gid tongban --groups dialout --home-dir /var/lib/tongban --shell /usr/sbin/nologin tongban
