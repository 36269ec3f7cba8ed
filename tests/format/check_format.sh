#!/usr/bin/env bash
# Every C++ file of the repository is formatted with the root .clang-format.
set -euo pipefail
cd "$(dirname "$0")/../.."
files=$(git ls-files '*.cc' '*.h' 2>/dev/null || find . -name '*.cc' -o -name '*.h' -not -path './build/*')
bad=$(echo "$files" | xargs clang-format --dry-run -Werror 2>&1 | grep -o '^[^:]*:[0-9]*:[0-9]*: error' | cut -d: -f1 | sort -u || true)
if [[ -n $bad ]]; then
  echo "not clang-formatted (run clang-format -i):"
  echo "$bad"
  exit 1
fi
echo "$(echo "$files" | wc -l) C++ files formatted"
