#!/bin/sh
# Usage: attack-work/run_all.sh <worktree> [gateway|proxy]   (runs with that worktree's .venv, at nice 10)
# Prints per batch and class: tried / leaked / partial / refused (attack), tried / damaged / refused (ordinary);
# details in attack-work/results/<worktree-name>-<head>.json.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
wt=$(cd "$1" && pwd)
name=$(basename "$wt")
head=$(git -C "$wt" rev-parse --short HEAD)
mkdir -p "$here/results"
out="$here/results/$name-$head.json"
only=""
[ $# -ge 2 ] && only="--only $2"
exec nice -n 10 "$wt/.venv/bin/python" "$here/harness.py" --wt "$wt" --out "$out" $only
