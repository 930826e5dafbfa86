#!/bin/sh
# The kiosk runs as its own user, in the dialout group for the serial ports
# and the audio group for the sound card (voice guidance).
set -e
getent group tongban >/dev/null || groupadd --system tongban
getent passwd tongban >/dev/null || useradd --system --gid tongban --groups dialout,audio --home-dir /var/lib/tongban --shell /usr/sbin/nologin tongban
# An installation before voice guidance made the user without the audio group.
usermod --append --groups audio tongban
