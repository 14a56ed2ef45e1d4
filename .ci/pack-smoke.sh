#!/usr/bin/env bash
# Pack-and-install check: pack Traces.Verification, Traces.Client, Traces.Extensions.AI and the Traces.Cli tool into a temporary folder,
# install the libraries into a throw-away console project (outside the repository, so none of its build settings
# apply) and the tool into a temporary tool path, both from that folder, and verify
# docs/test-vectors/bundle-small.json under docs/test-vectors/public-keys.json with each. Asserts "Valid".
#
# The packages get a unique prerelease version per run, so a copy cached in the global packages folder by an earlier
# run can never stand in for the one just packed; they are removed from the cache afterwards.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
start=$SECONDS

work="$(mktemp -d "${TMPDIR:-/tmp}/traces-pack-smoke.XXXXXX")"
suffix="smoke.$(date +%s).$$"
version=""
cleanup() {
  rm -rf "$work"
  if [ -n "$version" ]; then
    local cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
    for id in traces.verification traces.client traces.extensions.ai traces.cli; do
      rm -rf "${cache:?}/$id/$version"
      rmdir "$cache/$id" 2>/dev/null || true
    done
  fi
}
trap cleanup EXIT

feed="$work/feed"
projects=(src/Traces.Verification/Traces.Verification.csproj src/Traces.Client/Traces.Client.csproj src/Traces.Extensions.AI/Traces.Extensions.AI.csproj)
if [ -f "$repo/src/Traces.Cli/Traces.Cli.csproj" ]; then
  projects+=(src/Traces.Cli/Traces.Cli.csproj)
fi
echo "pack-smoke: packing ${projects[*]##*/} (suffix $suffix) into $feed"
for project in "${projects[@]}"; do
  if ! out="$(dotnet pack "$repo/$project" -c Release -o "$feed" --version-suffix "$suffix" -p:ContinuousIntegrationBuild=true -v quiet -nologo 2>&1)"; then
    echo "$out"
    echo "pack-smoke: FAILED, dotnet pack $project"
    exit 1
  fi
  # A clone without a git remote cannot fill in SourceLink; say so once instead of once per project.
  grep -v -e "has no remote" -e "Source control information is not available" <<<"$out" || true
done

nupkg="$(ls "$feed"/Traces.Verification.*.nupkg | grep -v '\.snupkg$' | head -n 1)"
version="$(basename "$nupkg" .nupkg)"; version="${version#Traces.Verification.}"
for id in Traces.Verification Traces.Client Traces.Extensions.AI; do
  test -f "$feed/$id.$version.nupkg" || { echo "pack-smoke: FAILED, $id.$version.nupkg was not produced"; exit 1; }
  test -f "$feed/$id.$version.snupkg" || { echo "pack-smoke: FAILED, $id.$version.snupkg (symbols) was not produced"; exit 1; }
done

app="$work/app"
mkdir -p "$app"
# Its own nuget.config: the local folder is added as a source (the only location named here) and Traces.* may come
# only from it; everything else comes from the machine's default source, inherited as is.
cat > "$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="traces-local" value="$feed" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="traces-local">
      <package pattern="Traces.*" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
XML
cat > "$app/SmokeApp.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Traces.Verification" Version="$version" />
    <PackageReference Include="Traces.Client" Version="$version" />
    <PackageReference Include="Traces.Extensions.AI" Version="$version" />
  </ItemGroup>
</Project>
XML
cat > "$app/Program.cs" <<'CS'
using System.Text.Json;
using Traces.Client;
using Traces.Extensions.AI.Content;
using Traces.Verification;
using Traces.Verification.Bundles;
using Traces.Verification.Trust;

var keys = JsonSerializer.Deserialize(File.ReadAllBytes(args[1]), TracesJsonContext.Strict.PublishedKeySet)!;
var report = await new BundleVerifier(TrustPolicy.FromPublishedKeys(keys)).VerifyFileAsync(args[0]);
Console.WriteLine($"Traces.Client {typeof(TracesClient).Assembly.GetName().Version} installed; env var {TracesClientOptions.EndpointEnvironmentVariable}");
// Traces.Extensions.AI loads with its Microsoft.Extensions.AI dependencies; SHA-256("abc") is FIPS 180-2's example.
if (ContentPolicy.Sha256Of("abc") != "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") return 2;
Console.WriteLine($"{report.TraceId}: {report.EntryCount} entries, verdict {report.Verdict}");
return report.IsValid ? 0 : 1;
CS

echo "pack-smoke: installing $version into a throw-away console project and verifying bundle-small.json"
dotnet build "$app/SmokeApp.csproj" -c Release -v quiet -nologo
set +e
output="$(dotnet "$app/bin/Release/net10.0/SmokeApp.dll" "$repo/docs/test-vectors/bundle-small.json" "$repo/docs/test-vectors/public-keys.json")"
status=$?
set -e
echo "$output"
if [ "$status" -ne 0 ] || ! grep -q "verdict Valid$" <<<"$output"; then
  echo "pack-smoke: FAILED (exit $status), expected verdict Valid"
  exit 1
fi
if [ -f "$feed/Traces.Cli.$version.nupkg" ]; then
  echo "pack-smoke: installing the traces tool $version into a temporary tool path and verifying bundle-small.json"
  (cd "$app" && dotnet tool install Traces.Cli --version "$version" --tool-path "$work/tools" >/dev/null)  # the nuget.config above is the source
  set +e
  "$work/tools/traces" verify "$repo/docs/test-vectors/bundle-small.json" --trust "$repo/docs/test-vectors/public-keys.json" | tail -n 1
  tool_status=${PIPESTATUS[0]}
  set -e
  if [ "$tool_status" -ne 0 ]; then
    echo "pack-smoke: FAILED, traces verify exited $tool_status (0 = Valid)"
    exit 1
  fi
fi
echo "pack-smoke: passed in $((SECONDS - start)) s"
