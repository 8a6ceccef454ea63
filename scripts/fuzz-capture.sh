#!/usr/bin/env bash
# Fuzzes the capture decoder and attributor (SimpulCore/Survey) with libFuzzer and AddressSanitizer
# for a bounded time: FUZZ_SECONDS (default 60). The decoder's sources are compiled on their own with
# `swiftc -sanitize=fuzzer,address` (the package build cannot take the fuzzer's instrumentation), from
# the seed corpus in Tests/Fuzz/corpus (frames of every link type). A crash leaves its input in
# .build/fuzz/ and fails the script with libFuzzer's report.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$REPO/.build/fuzz"
SECONDS_BUDGET="${FUZZ_SECONDS:-60}"
mkdir -p "$OUT/corpus"
cp -n "$REPO"/Tests/Fuzz/corpus/* "$OUT/corpus/" 2>/dev/null || true
SOURCES=()
for f in "$REPO"/Sources/SimpulCore/Survey/*.swift; do
    case "$(basename "$f")" in SurveyFigures.swift|BandwidthSizing.swift) continue ;; esac
    SOURCES+=("$f")
done
SOURCES+=("$REPO/Sources/SimpulCore/IPAM/IPAddress.swift" "$REPO/Sources/SimpulCore/IPAM/Prefix.swift" "$REPO/Sources/SimpulCore/Text/Language.swift")
echo "==> fuzz: building the decoder with libFuzzer and AddressSanitizer (${#SOURCES[@]} files)"
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name SimpulCore "${SOURCES[@]}" "$REPO/Tests/Fuzz/DecoderFuzz.swift" -o "$OUT/decoder-fuzz"
echo "==> fuzz: ${SECONDS_BUDGET}s"
cd "$OUT"
./decoder-fuzz -max_total_time="$SECONDS_BUDGET" -max_len=2048 -print_final_stats=1 -artifact_prefix="$OUT/" corpus 2>&1 | tail -15
