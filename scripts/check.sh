#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: every test on every kernel.  The scheduler is
# scripts/check.py; each kernel's job is scripts/check-kernel.sh, the
# host's scripts/check-host.sh.
#   check.sh [--kernel NAME]... [--only MODULE] [--kunit-only] [--host]
exec python3 "$(dirname "$0")/check.py" "$@"
