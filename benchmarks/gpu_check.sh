#!/usr/bin/env bash
# The GPU check moved to scripts/gpu/ with the other GPU tooling; this path keeps working for the guides that name it.
exec bash "$(dirname "$0")/../scripts/gpu/gpu_check.sh" "$@"
