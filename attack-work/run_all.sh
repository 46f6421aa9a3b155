#!/bin/sh
# Usage: attack-work/run_all.sh <worktree> [gateway|proxy|claude-code]   (that worktree's .venv, at nice 10)
# Prints per batch and class: tried / leaked / partial / refused (attack), tried / damaged / refused (ordinary);
# details in attack-work/results/<worktree-name>-<head>.json (and -cc.json for Claude Code).
# The claude-code batch runs when Claude Code is installed in this worktree's .bidradar/node (as .ci/run does).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
wt=$(cd "$1" && pwd)
name=$(basename "$wt")
head=$(git -C "$wt" rev-parse --short HEAD)
mkdir -p "$here/results"
out="$here/results/$name-$head.json"
only=${2:-}
if [ "$only" != "claude-code" ]; then
  nice -n 10 "$wt/.venv/bin/python" -W ignore::DeprecationWarning "$here/harness.py" --wt "$wt" --out "$out" ${only:+--only "$only"}
fi
if [ -z "$only" ] || [ "$only" = "claude-code" ]; then
  if [ -x "$here/../.bidradar/node/node_modules/.bin/claude" ]; then
    nice -n 10 "$wt/.venv/bin/python" -W ignore::DeprecationWarning "$here/claude_code.py" --wt "$wt" --out "$here/results/$name-$head-cc.json"
  else
    echo "claude-code: skipped (install as .ci/run does: npm install --prefix .bidradar/node @anthropic-ai/claude-code@2.1.197)"
  fi
fi
