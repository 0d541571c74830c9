#!/usr/bin/env bash
# ShmIpc on Linux with the .NET 10 SDK.
#   ./run-linux.sh                 build (Release) and run `harness compare` on its defaults
#   ./run-linux.sh compare [ARGS]  the same, with harness options (e.g. --quick, --transports shm,msgpack)
#   ./run-linux.sh quick [ARGS]    compare --quick: 2 s warm-up, 5 s measurement per transport
#   ./run-linux.sh harness ARGS    any harness command (sweep, serve, send, ...)
#   ./run-linux.sh report-check DIR  DIR/report.html in headless Chromium: saves DIR/report.png and DIR/report.dom.html
#   ./run-linux.sh test            build and run every test; the last line is "N passed, N failed[, N skipped]"
#   ./run-linux.sh bench [ARGS]    BenchmarkDotNet suites (codecs), e.g. bench --filter '*Codec*';
#                                  bench ring-latency|ring-throughput [...]: the ring against the C ring
#   ./run-linux.sh pack [--no-build] the NuGet packages and the harness tool into artifacts/packages, then as a user
#                                  would: install the tool, run `harness compare --quick --transports shm` with it,
#                                  build and run samples/ against the packages
#   ./run-linux.sh public-api      brings each library's PublicAPI.Unshipped.txt in line with the build: adds the symbols
#                                  it reports undeclared (RS0016), drops those gone (RS0017); review the diff
#   ./run-linux.sh mutate [ARGS]   Stryker.NET on ShmRing, then Codecs (scope: each tests/*/stryker-config.json; not in CI)
#   ./run-linux.sh soak            the ring's fault suite at soak size (SHMIPC_RING_FAULTS kills per test, default 500;
#                                  SHMIPC_RING_STRESS_ROUNDS, default 1000) and the rate soak (four MPSC producers at
#                                  SHMIPC_RING_SOAK_RATE msg/s, default 50000, for SHMIPC_RING_SOAK_SECONDS, default
#                                  1800, memory and descriptors over time); counts in the output; not in CI
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

harness_dll=src/Harness/bin/Release/net10.0/harness.dll

build_release() {
  dotnet build ShmIpc.sln -c Release -v quiet -nologo >&2
}

# Tools the tests need beyond the .NET SDK: a C compiler and CMake (native-check)
# and Node.js/npm (regenerating the FlatBuffers code to prove the checked-in copy is current).
install_test_prerequisites() {
  local missing=()
  command -v cmake >/dev/null || missing+=(cmake)
  command -v gcc >/dev/null || missing+=(gcc)
  command -v make >/dev/null || missing+=(make)
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  # The report's browser check (scripts/report-check.sh) renders report.html in Debian's Chromium.
  command -v chromium >/dev/null || missing+=(chromium)
  if ((${#missing[@]})); then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "run-linux.sh: please install: ${missing[*]}" >&2
      exit 1
    fi
  fi
  if [ -f src/Codecs/Schemas/flatc/package.json ]; then
    (cd src/Codecs/Schemas/flatc && npm ci --silent --no-audit --no-fund >/dev/null)
  fi
  # The gRPC interop tests' peer (@grpc/grpc-js); the other interop scripts use Node's built-in modules only.
  (cd tests/NetTransports.Tests/Interop/node && npm ci --silent --no-audit --no-fund >/dev/null)
}

run_tests() {
  install_test_prerequisites
  build_release
  local log
  log=$(mktemp)
  set +e
  # -m:1: one test assembly at a time. Several suites start real processes and check timing-dependent figures
  # (rates, peer-gone within a bound); four test hosts at once on a 2-CPU machine starve each other's children.
  dotnet test ShmIpc.sln -c Release --no-build -m:1 --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  set -e
  # Sum the per-assembly summary blocks:
  #   Total tests: 68 / Passed: 67 / Failed: 1 / Skipped: 0 / Total time: ...
  awk '
    /^Total tests: [0-9]+/ { inside = 1; assemblies++; next }
    inside && /^ *Passed: [0-9]+/ { passed += $2 }
    inside && /^ *Failed: [0-9]+/ { failed += $2 }
    inside && /^ *Skipped: [0-9]+/ { skipped += $2 }
    /^ *Total time:/ { inside = 0 }
    END {
      if (assemblies == 0) failed += 1
      line = sprintf("%d passed, %d failed", passed, failed)
      if (skipped > 0) line = line sprintf(", %d skipped", skipped)
      print line
    }' "$log" > "$log.summary"
  if [ "$status" != 0 ] && grep -q " 0 failed" "$log.summary"; then
    # The runner failed without a failing test (a crashed test host, a build error): count it.
    sed -i 's/ 0 failed/ 1 failed/' "$log.summary"
  fi
  cat "$log.summary"
  rm -f "$log" "$log.summary"
  return "$status"
}

# Packs, then uses the packages from outside the repository's build: the tool installed into a temporary tool path,
# the samples restored from artifacts/packages (Directory.Build.props' PackageOutputPath; samples/nuget.config).
pack_and_use() {
  [ "${1:-}" = --no-build ] || build_release
  local packages=artifacts/packages version work
  version=$(sed -n 's:.*<ShmIpcVersion>\(.*\)</ShmIpcVersion>.*:\1:p' version.props)
  rm -rf "$packages"
  dotnet pack ShmIpc.sln -c Release --no-build -v quiet -nologo >&2
  ls "$packages"
  # A repack keeps the version: drop our packages from the NuGet cache so the new ones are used.
  local cache=${NUGET_PACKAGES:-$HOME/.nuget/packages}
  rm -rf "$cache"/shmipc.shmring "$cache"/shmipc.codecs "$cache"/shmipc.nettransports "$cache"/shmipc-harness
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  dotnet tool install shmipc-harness --version "$version" --tool-path "$work/tools" --add-source "$packages" >&2
  "$work/tools/harness" compare --quick --transports shm --out "$work/results"
  test -s "$work/results/results.json"
  dotnet build samples/Strategy -c Release -v quiet -nologo >&2
  dotnet build samples/FeedHandler -c Release -v quiet -nologo >&2
  local ring="sample-$$"
  dotnet samples/Strategy/bin/Release/net10.0/Strategy.dll "$ring" > "$work/strategy.out" &
  local strategy=$!
  dotnet samples/FeedHandler/bin/Release/net10.0/FeedHandler.dll "$ring" 20000 10000
  wait "$strategy"
  cat "$work/strategy.out"
  grep -q "received 20000 snapshots in order" "$work/strategy.out"
  echo "pack: packages, tool and samples OK"
}

declare_public_api() {
  local project log added removed
  for project in ShmRing Codecs NetTransports; do
    log=$(dotnet build "src/$project/$project.csproj" -c Release -v quiet -nologo 2>&1 || true)
    added=$(echo "$log" | grep "error RS0016" | grep "/src/$project/" \
      | sed -E "s/.*Symbol '(.*)' is not part of the declared public API.*/\1/" | sort -u || true)
    removed=$(echo "$log" | grep "error RS0017" | grep "/src/$project/" \
      | sed -E "s/.*Symbol '(.*)' is part of the declared API, but is either not public or could not be found.*/\1/" | sort -u || true)
    [ -n "$added$removed" ] || continue
    { echo '#nullable enable'
      { grep -v '^#nullable' "src/$project/PublicAPI.Unshipped.txt" | grep -vxF -f <(echo "$removed"); echo "$added"; } | grep -v '^$' | sort -u
    } > "src/$project/PublicAPI.Unshipped.txt.new"
    mv "src/$project/PublicAPI.Unshipped.txt.new" "src/$project/PublicAPI.Unshipped.txt"
    echo "$project: $(echo "$added" | grep -c . || true) symbols declared, $(echo "$removed" | grep -c . || true) removed"
  done
}

command=${1:-compare}
[ $# -gt 0 ] && shift
case "$command" in
  compare) build_release; exec dotnet "$harness_dll" compare "$@" ;;
  quick) build_release; exec dotnet "$harness_dll" compare --quick "$@" ;;
  harness) build_release; exec dotnet "$harness_dll" "$@" ;;
  test) run_tests "$@" ;;
  report-check) exec scripts/report-check.sh "$@" ;;
  bench) dotnet run -c Release --project src/Benchmarks -- "$@" ;;
  pack) pack_and_use "$@" ;;
  public-api) declare_public_api ;;
  mutate) dotnet tool restore >/dev/null && for tests in tests/ShmRing.Tests tests/Codecs.Tests; do (cd "$tests" && dotnet dotnet-stryker "$@") || exit 1; done ;;
  soak)
    build_release
    SHMIPC_RING_FAULTS=${SHMIPC_RING_FAULTS:-500} SHMIPC_RING_STRESS_ROUNDS=${SHMIPC_RING_STRESS_ROUNDS:-1000} \
    SHMIPC_RING_SOAK_SECONDS=${SHMIPC_RING_SOAK_SECONDS:-1800} SHMIPC_RING_SOAK_RATE=${SHMIPC_RING_SOAK_RATE:-50000} \
      exec dotnet test tests/ShmRing.Tests -c Release --no-build --logger "console;verbosity=detailed" \
      --filter "FullyQualifiedName~RingFaultInjectionTests|FullyQualifiedName~MultiProducerClaimsStressTests|FullyQualifiedName~RingRateSoakTests" "$@" ;;
  -h|--help|help) sed -n '2,/^[^#]/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//' ;;
  *) echo "run-linux.sh: unknown command '$command' (compare, quick, harness, test, bench, pack, public-api, mutate, soak)" >&2; exit 2 ;;
esac
