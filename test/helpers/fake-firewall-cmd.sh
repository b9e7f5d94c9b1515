#!/bin/sh
# A stand-in for firewall-cmd: --version prints $FAKE_FIREWALLD_VERSION; every other call is
# appended to $FAKE_LOG and succeeds with no output (no policies or ipsets exist yet).
if [ "$1" = "--version" ]; then echo "$FAKE_FIREWALLD_VERSION"; exit 0; fi
echo "$*" >> "$FAKE_LOG"
