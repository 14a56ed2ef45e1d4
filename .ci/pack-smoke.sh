#!/usr/bin/env bash
# Pack-and-install check: runs the README's Install commands exactly as printed, from the repository root, then uses
# what they installed.
#
#  1. README.md, block "pack-smoke: tools": packs every package into ./artifacts under a version of its own and installs
#     the `traces` and `traces-server` tools with `dotnet tool update --global`. DOTNET_CLI_HOME points at a temporary
#     folder for the whole run, so "global" means that folder, not the user's home; NuGet's package cache stays the
#     usual one (its entries for this version are removed at the end).
#  2. The install blocks of docs/cli.md ("cli-tool") and docs/local-server.md ("server-tool") repeat those commands:
#     each of their lines must be a line of the README block, so no document can drift from what ran.
#  3. `traces verify` on docs/test-vectors/bundle-small.json must say Valid (exit 0); `traces-server` must start and
#     answer `traces list` with the key it prints.
#  4. README.md, block "pack-smoke: packages", run in two throw-away projects outside the repository (its
#     /path/to/traces-dotnet replaced by this repository): a console app whose Program.cs is the README's block
#     "pack-smoke: verify-app" (run on bundle-small.json: Valid), and an xunit v3 project whose test file is the
#     README's block "pack-smoke: tests" (the LocalTracesServer class fixture; its test must pass).
#
# Everything this run added is removed afterwards: its packages in ./artifacts, the NuGet cache entries of its
# version, the temporary folder.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
start=$SECONDS

work="$(mktemp -d "${TMPDIR:-/tmp}/traces-pack-smoke.XXXXXX")"
export NUGET_PACKAGES="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
# The machine's NuGet sources (a mirror, say) live in the user-level config; the temporary home gets a copy.
user_config="$HOME/.nuget/NuGet/NuGet.Config"
export DOTNET_CLI_HOME="$work/home"
mkdir -p "$DOTNET_CLI_HOME/.nuget/NuGet"
if [ -f "$user_config" ]; then cp "$user_config" "$DOTNET_CLI_HOME/.nuget/NuGet/NuGet.Config"; fi
export PATH="$DOTNET_CLI_HOME/.dotnet/tools:$PATH"

artifacts_existed=0; [ -d "$repo/artifacts" ] && artifacts_existed=1
version=""
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$version" ]; then
    rm -f "$repo"/artifacts/*."$version".nupkg "$repo"/artifacts/*."$version".snupkg
    for cached in "$NUGET_PACKAGES"/traces.*/"$version"; do
      [ -d "$cached" ] && rm -rf "$cached" && { rmdir "$(dirname "$cached")" 2>/dev/null || true; }
    done
  fi
  if [ "$artifacts_existed" -eq 0 ]; then rmdir "$repo/artifacts" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "pack-smoke: FAILED, $*"; exit 1; }

# The body of the fenced block that follows the line <!-- pack-smoke: NAME --> in FILE (other comment lines may sit
# between the two).
block() {
  awk -v marker="<!-- pack-smoke: $2 -->" '
    index($0, marker) == 1 { armed = 1; next }
    armed && !inside && /^```/ { inside = 1; next }
    armed && !inside && /^<!--/ { next }
    armed && !inside { armed = 0 }
    inside && /^```/ { exit }
    inside { print }' "$repo/$1"
}

# A command without its trailing "   # comment".
commands() { sed -E 's/[[:space:]]+#.*$//'; }

tools="$(block README.md tools)"
[ -n "$tools" ] || fail "README.md has no block marked <!-- pack-smoke: tools -->"
for doc in "docs/cli.md cli-tool" "docs/local-server.md server-tool"; do
  set -- $doc
  lines="$(block "$1" "$2" | commands)"
  [ -n "$lines" ] || fail "$1 has no block marked <!-- pack-smoke: $2 -->"
  while IFS= read -r line; do
    commands <<<"$tools" | grep -Fxq -- "$line" || fail "$1 ($2) has a command the README's install block does not: $line"
  done <<<"$lines"
done

echo "pack-smoke: README install commands, from $repo:"
sed 's/^/  $ /' <<<"$tools"
touch "$work/before-pack"
if ! (cd "$repo" && bash -euo pipefail -c "$tools") >"$work/tools.log" 2>&1; then
  grep -v -e "has no remote" -e "Source control information is not available" "$work/tools.log" | tail -n 40
  fail "the README's install commands"
fi
nupkg="$(find "$repo/artifacts" -maxdepth 1 -name 'Traces.Verification.*.nupkg' -newer "$work/before-pack" | head -n 1)"
[ -n "$nupkg" ] || fail "no Traces.Verification package was packed into ./artifacts"
version="$(basename "$nupkg" .nupkg)"; version="${version#Traces.Verification.}"
for id in Traces.Verification Traces.Client Traces.LocalServer Traces.LocalServer.Tool Traces.Cli; do
  test -f "$repo/artifacts/$id.$version.nupkg" || fail "$id.$version.nupkg was not produced"
  test -f "$repo/artifacts/$id.$version.snupkg" || fail "$id.$version.snupkg (symbols) was not produced"
done
grep -F "was successfully" "$work/tools.log" | sed 's/^/  /'

echo "pack-smoke: traces verify docs/test-vectors/bundle-small.json"
set +e
verdict="$(traces verify "$repo/docs/test-vectors/bundle-small.json" --trust "$repo/docs/test-vectors/public-keys.json" | tail -n 1)"
status=$?
set -e
echo "  $verdict"
[ "$status" -eq 0 ] && [[ "$verdict" == "Verdict: Valid"* ]] || fail "traces verify exited $status (0 = Valid)"

echo "pack-smoke: traces-server, then traces list against it"
traces-server --urls http://127.0.0.1:0 --data "$work/server-data" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  grep -q "^API key" "$work/server.log" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; fail "traces-server exited"; }
  sleep 0.5
done
url="$(sed -n 's/^Traces local server listening on //p' "$work/server.log")"
key="$(sed -n "s/^API key (tenant 'default'): //p" "$work/server.log")"
[ -n "$url" ] && [ -n "$key" ] || { cat "$work/server.log"; fail "traces-server did not print its address and key"; }
traces list --endpoint "$url" --api-key "$key" >"$work/list.log" 2>&1 || { cat "$work/list.log"; fail "traces list against traces-server"; }
echo "  $url answered traces list (exit 0)"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

packages="$(block README.md packages)"
[ -n "$packages" ] || fail "README.md has no block marked <!-- pack-smoke: packages -->"
packages="${packages//\/path\/to\/traces-dotnet/$repo}"
xunit_version="$(sed -n 's/.*PackageVersion Include="xunit.v3" Version="\([^"]*\)".*/\1/p' "$repo/Directory.Packages.props")"

new_project() {  # folder, extra package reference lines
  mkdir -p "$1"
  cat >"$1/$(basename "$1").csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>$2
  </ItemGroup>
</Project>
XML
  if ! (cd "$1" && bash -euo pipefail -c "$packages") >"$1.log" 2>&1; then
    tail -n 30 "$1.log"
    fail "the README's package commands in $(basename "$1")"
  fi
}

echo "pack-smoke: the README's offline verification program against the packed Traces.Verification"
app="$work/VerifyApp"
new_project "$app" ""
block README.md verify-app >"$app/Program.cs"
[ -s "$app/Program.cs" ] || fail "README.md has no block marked <!-- pack-smoke: verify-app -->"
set +e
output="$(dotnet run --project "$app" -c Release -- "$repo/docs/test-vectors/bundle-small.json" "$repo/docs/test-vectors/public-keys.json" 2>&1)"
status=$?
set -e
echo "$output" | tail -n 3 | sed 's/^/  /'
[ "$status" -eq 0 ] && grep -q "^Valid: tr_small0001, 5 entries" <<<"$output" || fail "the verification program exited $status, expected Valid"

echo "pack-smoke: the README's LocalTracesServer xunit fixture against the packed Traces.Client and Traces.LocalServer"
tests="$work/FixtureTests"
new_project "$tests" "
    <PackageReference Include=\"xunit.v3\" Version=\"$xunit_version\" />"
block README.md tests >"$tests/InvoiceAuditTests.cs"
[ -s "$tests/InvoiceAuditTests.cs" ] || fail "README.md has no block marked <!-- pack-smoke: tests -->"
set +e
output="$(set -o pipefail; dotnet run --project "$tests" -c Release 2>&1 | sed 's/\x1b\[[0-9;]*m//g')"   # without the runner's colours
status=$?
set -e
summary="$(grep -E "Total: [0-9]+" <<<"$output" | tail -n 1 | sed 's/^ *//')"
echo "  $summary"
[ "$status" -eq 0 ] || { echo "$output" | tail -n 30; fail "the fixture's tests exited $status"; }
[[ "$summary" == *"Total: 1, Errors: 0, Failed: 0, Skipped: 0"* ]] || { echo "$output" | tail -n 30; fail "expected the fixture's one test to pass"; }

echo "pack-smoke: passed in $((SECONDS - start)) s (version $version)"
